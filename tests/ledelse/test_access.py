"""Role checks, each tested with and without the role."""

import pytest
from django.db import IntegrityError

from ledelse import access
from ledelse.models import Person, RoleAssignment, User


def test_hr_is_scoped_to_its_subtree(org):
    hr = org.users["hr"]
    assert access.is_hr_for(hr, org.units["A1a"])
    assert access.is_hr_for(hr, org.units["A"])
    assert not access.is_hr_for(hr, org.units["B"])
    assert not access.is_hr_for(org.users["leader"], org.units["A"])


def test_koncernledelse_is_region_wide(org):
    assert access.is_koncernledelse_for(org.users["koncern"], org.region.pk)
    assert not access.is_koncernledelse_for(org.users["koncern"], org.other_region.pk)
    assert not access.is_koncernledelse_for(org.users["leader"], org.region.pk)


def test_administrator(org):
    assert access.is_admin(org.users["admin"])
    assert not access.is_admin(org.users["hr"])


def test_a_leader_leads_their_unit_and_everything_below(org):
    leader = org.users["leader"]
    assert access.leads_unit_or_above(leader, org.units["A"])
    assert access.leads_unit_or_above(leader, org.units["A1a"])
    assert not access.leads_unit_or_above(leader, org.units["B"])
    assert not access.leads_unit_or_above(org.users["leader2"], org.units["A"])
    assert not access.leads_unit_or_above(org.users["employee"], org.units["A1"])


@pytest.mark.parametrize(
    "username,label",
    [
        ("admin", "Administrator"),
        ("koncern", "Koncernledelse"),
        ("hr", "HR"),
        ("leader", "Leder"),
        ("employee", "Medarbejder"),
    ],
)
def test_role_label(org, username, label):
    assert access.role_label(org.users[username]) == label


def test_a_user_without_a_person_has_no_roles(db):
    user = User.objects.create_user("ingen")
    roles = access.roles_for(user)
    assert roles.person is None and not roles.is_hr and not roles.is_leader and access.role_label(user) == ""


def test_roles_are_read_once_per_user_object(org, django_assert_num_queries):
    user = User.objects.get(username="hr")
    with django_assert_num_queries(2):
        access.roles_for(user)
        access.is_hr_for(user, org.units["A"])
        access.role_label(user)


def test_the_database_allows_one_leader_per_unit(org):
    with pytest.raises(IntegrityError):
        Person.objects.create(employee_id="X", name="X", unit=org.units["A"], is_leader=True)


def test_the_database_requires_a_scope_for_hr(org):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(person=org.people["employee"], role="hr", unit=None)
