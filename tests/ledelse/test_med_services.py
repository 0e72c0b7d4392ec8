"""MED committees and their seats as services (ledelse.services), and the admin that calls them."""

import pytest
from django.core.exceptions import ValidationError

from ledelse.audit.models import AuditEntry
from ledelse.models import MedCommittee, MedMembership
from ledelse.services import med_committee_remove, med_committee_set, med_memberships_set


def _seats(committee):
    return set(committee.memberships.values_list("person__user__username", "role"))


def test_a_committee_gets_a_default_name_and_is_changed_in_place(org):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal")
    assert committee.name == "MED-udvalg Afdeling A1"
    again = med_committee_set(unit=org.units["A1"], kind="omraade", name="LMU A1")
    assert again.pk == committee.pk
    assert (again.kind, again.name) == ("omraade", "LMU A1")
    assert MedCommittee.objects.count() == 1


@pytest.mark.parametrize(
    "kind,name,message",
    [
        ("bestyrelse", "", "Ukendt type MED-udvalg"),
        ("lokal", "x" * 201, "højst være 200 tegn"),
        ("lokal", "LMU\x07", "kontroltegn"),
    ],
)
def test_a_bad_kind_or_name_is_refused_in_danish(org, kind, name, message):
    with pytest.raises(ValidationError) as exc:
        med_committee_set(unit=org.units["A1"], kind=kind, name=name)
    assert message in " ".join(exc.value.messages)
    assert not MedCommittee.objects.exists()


def test_the_seats_are_the_whole_membership_and_are_audited(org):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal")
    p = org.people
    med_memberships_set(
        committee=committee,
        seats=[(p["leader2"], "formand"), (p["employee"], "naestformand")],
        actor=org.users["admin"],
    )
    assert _seats(committee) == {("leader2", "formand"), ("employee", "naestformand")}
    # The employee becomes formand and the leader a member: a swap, then one leaves.
    med_memberships_set(committee=committee, seats=[(p["employee"], "formand"), (p["leader2"], "medlem")])
    assert _seats(committee) == {("employee", "formand"), ("leader2", "medlem")}
    details = list(
        AuditEntry.objects.filter(object_id=str(p["employee"].pk)).order_by("pk").values_list("action", "detail")
    )
    assert details == [
        ("role_added", "med-naestformand:A1"),
        ("role_added", "med-formand:A1"),
        ("role_removed", "med-naestformand:A1"),
    ]
    assert AuditEntry.objects.filter(actor_label="admin").count() == 2


@pytest.mark.parametrize(
    "roles,message",
    [
        (("formand", "formand"), "én formand"),
        (("naestformand", "naestformand"), "én næstformand"),
    ],
)
def test_a_committee_has_one_formand_and_one_naestformand(org, roles, message):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal")
    with pytest.raises(ValidationError) as exc:
        med_memberships_set(
            committee=committee, seats=[(org.people["leader2"], roles[0]), (org.people["employee"], roles[1])]
        )
    assert message in " ".join(exc.value.messages)
    assert not MedMembership.objects.exists()


def test_removing_a_committee_removes_and_audits_its_seats(org):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal")
    med_memberships_set(committee=committee, seats=[(org.people["employee"], "medlem")])
    assert med_committee_remove(unit=org.units["A1"])
    assert not MedCommittee.objects.exists() and not MedMembership.objects.exists()
    assert AuditEntry.objects.filter(action="role_removed", detail="med-medlem:A1").exists()
    assert not med_committee_remove(unit=org.units["A1"])


# --- The admin ---------------------------------------------------------------------------------


def _form(committee_unit, seats, *, initial=()):
    data = {
        "unit": committee_unit.pk,
        "kind": "lokal",
        "name": "LMU",
        "memberships-TOTAL_FORMS": len(initial) + len(seats),
        "memberships-INITIAL_FORMS": len(initial),
    }
    for i, m in enumerate(initial):
        data |= {
            f"memberships-{i}-id": m.pk,
            f"memberships-{i}-committee": m.committee_id,
            f"memberships-{i}-person": m.person_id,
            f"memberships-{i}-role": m.role,
            f"memberships-{i}-DELETE": "on",
        }
    for i, (person, role) in enumerate(seats, start=len(initial)):
        data |= {f"memberships-{i}-person": person.pk, f"memberships-{i}-role": role}
    return data


def test_an_administrator_makes_a_committee_with_seats_in_the_admin(client, org):
    client.force_login(org.users["admin"])
    seats = [(org.people["leader2"], "formand"), (org.people["employee"], "naestformand")]
    r = client.post("/admin/ledelse/medcommittee/add/", _form(org.units["A1"], seats))
    assert r.status_code == 302, r.content.decode()[:3000]
    committee = MedCommittee.objects.get()
    assert committee.name == "LMU"
    assert _seats(committee) == {("leader2", "formand"), ("employee", "naestformand")}
    assert AuditEntry.objects.filter(actor_label="admin", detail="med-formand:A1").exists()


def test_two_formaend_in_the_admin_are_refused_with_the_services_message(client, org):
    client.force_login(org.users["admin"])
    seats = [(org.people["leader2"], "formand"), (org.people["employee"], "formand")]
    r = client.post("/admin/ledelse/medcommittee/add/", _form(org.units["A1"], seats))
    assert r.status_code == 200
    assert "én formand" in r.content.decode()
    assert not MedCommittee.objects.exists()


def test_deleting_a_committee_in_the_admin_audits_its_seats(client, org):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal")
    med_memberships_set(committee=committee, seats=[(org.people["employee"], "medlem")])
    client.force_login(org.users["admin"])
    r = client.post(f"/admin/ledelse/medcommittee/{committee.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not MedCommittee.objects.exists()
    assert AuditEntry.objects.filter(actor_label="admin", action="role_removed", detail="med-medlem:A1").exists()


@pytest.mark.parametrize("username", ["leader", "employee", "hr"])
def test_only_administrators_reach_the_committees_in_the_admin(client, org, username):
    client.force_login(org.users[username])
    r = client.get("/admin/ledelse/medcommittee/")
    assert r.status_code in (302, 403)
    r = client.post("/admin/ledelse/medcommittee/add/", _form(org.units["A1"], [(org.people[username], "formand")]))
    assert r.status_code in (302, 403)
    assert not MedCommittee.objects.exists()


def test_without_sign_in_the_committees_admin_asks_for_it(client, org):
    r = client.post("/admin/ledelse/medcommittee/add/", _form(org.units["A1"], []))
    assert r.status_code == 302 and "login" in r["Location"]
    assert not MedCommittee.objects.exists()
