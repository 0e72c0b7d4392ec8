"""Admin access follows a person's roles (ledelse.services): administrators get the whole
admin, HR what the apps declare HR edits, everyone else nothing."""

from django.contrib.auth.models import Permission

from ledelse.models import Person, RoleAssignment, User
from ledelse.services import hr_group_ensure, people_delete, people_sync_admin_access, person_roles_set, person_save


def _access(username: str) -> tuple[bool, bool, bool]:
    user = User.objects.get(username=username)
    return user.is_staff, user.is_superuser, user.groups.filter(name="HR").exists()


def test_the_cast_has_the_access_its_roles_call_for(org):
    assert _access("hr") == (True, False, True)
    assert _access("admin") == (True, True, False)
    assert _access("koncern") == (False, False, False)
    assert _access("leader") == (False, False, False)


def test_setting_an_hr_role_grants_hr_access(org):
    person_roles_set(person=org.people["leader3"], roles=[("hr", org.units["B"])])
    assert list(org.people["leader3"].roles.values_list("role", "unit__code")) == [("hr", "B")]
    assert _access("leader3") == (True, False, True)


def test_setting_the_roles_replaces_them_and_the_access_follows(org):
    person_roles_set(person=org.people["hr"], roles=[("administrator", None)])
    assert list(org.people["hr"].roles.values_list("role", "unit")) == [("administrator", None)]
    assert _access("hr") == (True, True, False)
    person_roles_set(person=org.people["hr"], roles=[])
    assert not org.people["hr"].roles.exists()
    assert _access("hr") == (False, False, False)


def test_the_account_a_person_leaves_loses_its_admin_access(org):
    hr = org.people["hr"]
    spare = User.objects.create_user("ny-konto")
    hr.user = spare
    person_save(person=hr)
    assert _access("hr") == (False, False, False)
    assert _access("ny-konto") == (True, False, True)


def test_saving_a_person_without_a_change_of_account_keeps_its_access(org):
    hr = org.people["hr"]
    hr.title = "Ny titel"
    person_save(person=hr)
    assert _access("hr") == (True, False, True)


def test_deleting_people_takes_their_admin_access_away_and_keeps_their_accounts(org):
    deleted = people_delete(people=Person.objects.filter(user__username__in=["hr", "admin"]))
    assert deleted == 2
    assert _access("hr") == (False, False, False)
    assert _access("admin") == (False, False, False)
    assert not RoleAssignment.objects.filter(person__user__username__in=["hr", "admin"]).exists()


def test_the_hr_group_gets_what_the_apps_declare_and_nothing_else(db):
    from django.apps import apps

    group = hr_group_ensure()
    values = apps.get_app_config("values")
    assert values.hr_editable_models
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("values", "change_item") in granted
    assert ("values", "add_framework") not in granted  # withheld by values
    assert {label for label, _ in granted} == {"values"}  # nothing of the organisation's own
    declared = Permission.objects.filter(
        content_type__app_label="values", content_type__model__in=values.hr_editable_models
    ).exclude(codename__in=values.hr_withheld_permissions)
    assert granted == set(declared.values_list("content_type__app_label", "codename"))


def test_syncing_many_people_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    people = list(Person.objects.select_related("user"))
    with django_assert_max_num_queries(8):
        people_sync_admin_access(people=people)
