"""People, their roles and accounts edited in the Django admin: the admin calls the
services in ledelse.services (tests/ledelse/test_admin_access.py), so their rules hold here too."""

from ledelse.models import Person, RoleAssignment, User

CHANGELIST = "/admin/ledelse/person/"


def _change_form(person: Person, *, user: User | None, roles: list[tuple[str, int | None]]) -> dict:
    """The person's change form as the admin posts it, with `roles` as new inline rows
    (the person's current roles are deleted in the same post)."""
    current = list(person.roles.all())
    data = {
        "name": person.name,
        "employee_id": person.employee_id,
        "email": person.email,
        "title": person.title,
        "unit": person.unit_id,
        "is_leader": "on" if person.is_leader else "",
        "own_leader": "",
        "user": user.pk if user is not None else "",
        "roles-TOTAL_FORMS": len(current) + len(roles),
        "roles-INITIAL_FORMS": len(current),
    }
    for i, role in enumerate(current):
        data |= {
            f"roles-{i}-id": role.pk,
            f"roles-{i}-person": person.pk,
            f"roles-{i}-role": role.role,
            f"roles-{i}-unit": role.unit_id or "",
            f"roles-{i}-DELETE": "on",
        }
    for i, (role, unit_id) in enumerate(roles, start=len(current)):
        data |= {f"roles-{i}-person": person.pk, f"roles-{i}-role": role, f"roles-{i}-unit": unit_id or ""}
    return data


def _in_hr_group(user: User) -> bool:
    return user.groups.filter(name="HR").exists()


def test_an_hr_role_given_in_the_admin_grants_framework_editing(client, org):
    from tests.values.factories import make_framework
    from values.models import FrameworkVersion

    framework = make_framework(slug="g", owner_unit="Hospital A")  # inside hr:A
    person = Person.objects.get(user__username="leader3")
    client.force_login(org.users["admin"])
    r = client.post(
        f"{CHANGELIST}{person.pk}/change/", _change_form(person, user=person.user, roles=[("hr", org.units["A"].pk)])
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert list(person.roles.values_list("role", "unit__code")) == [("hr", "A")]
    person.user.refresh_from_db()
    assert person.user.is_staff and _in_hr_group(person.user)
    client.force_login(person.user)
    client.post(
        "/admin/values/frameworkversion/",
        {"action": "make_draft", "_selected_action": [framework.current_version_id]},
    )
    assert FrameworkVersion.objects.filter(framework=framework, status="kladde").exists()


def test_an_hr_role_removed_in_the_admin_takes_the_admin_access_away(client, org):
    hr = org.people["hr"]
    client.force_login(org.users["admin"])
    r = client.post(f"{CHANGELIST}{hr.pk}/change/", _change_form(hr, user=hr.user, roles=[]))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert not RoleAssignment.objects.filter(person=hr).exists()
    user = User.objects.get(username="hr")
    assert not user.is_staff and not _in_hr_group(user)
    # The change history names the role that went.
    assert "rolle" in client.get(f"{CHANGELIST}{hr.pk}/history/").content.decode()


def test_an_account_taken_off_a_person_in_the_admin_loses_its_admin_access(client, org):
    hr = org.people["hr"]
    spare = User.objects.create_user("ny-konto")
    client.force_login(org.users["admin"])
    r = client.post(f"{CHANGELIST}{hr.pk}/change/", _change_form(hr, user=spare, roles=[("hr", org.units["B"].pk)]))
    assert r.status_code == 302, r.content.decode()[:3000]
    old = User.objects.get(username="hr")
    assert not old.is_staff and not _in_hr_group(old)
    spare.refresh_from_db()
    assert spare.is_staff and _in_hr_group(spare)


def test_deleting_a_person_in_the_admin_takes_their_admin_access_away(client, org):
    hr = org.people["hr"]
    client.force_login(org.users["admin"])
    r = client.post(f"{CHANGELIST}{hr.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not Person.objects.filter(pk=hr.pk).exists()
    user = User.objects.get(username="hr")
    assert not user.is_staff and not user.groups.exists()


def test_deleting_people_in_bulk_takes_their_admin_access_away(client, org):
    client.force_login(org.users["admin"])
    hr = Person.objects.get(user__username="hr")
    r = client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [hr.pk], "post": "yes"})
    assert r.status_code == 302
    user = User.objects.get(username="hr")
    assert not user.is_staff and not user.groups.exists()


def test_only_administrators_edit_people(client, org):
    hr = org.people["hr"]
    client.force_login(org.users["hr"])
    assert client.get(f"{CHANGELIST}{hr.pk}/change/").status_code == 403
    assert client.post(f"{CHANGELIST}{hr.pk}/change/", _change_form(hr, user=hr.user, roles=[])).status_code == 403
    client.force_login(org.users["leader"])
    assert client.get(CHANGELIST, follow=True).status_code == 403  # via the admin login
    client.logout()
    assert client.get(CHANGELIST).status_code == 302
    assert RoleAssignment.objects.filter(person=hr).exists()
