"""plans_visible_to adds the hearing and MED conditions only when the reader's invitations
or seats reach outside their own region (dialogues.access._reaches_outside_region, read once
per request): the rule is the same either way. These tests hold the cases where they do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import access, hearings, services
from dialogues.models import Hearing, HearingInvitation
from ledelse.models import MedCommittee, MedMembership, Person, User

pytestmark = pytest.mark.django_db


def _fresh(org, name: str) -> User:
    """The user as a new request reads them (nothing kept on the object yet)."""
    return User.objects.get(pk=org.users[name].pk)


def _open_hearing(org, plan, audience=Hearing.Audience.EMPLOYEES):
    closes_on = timezone.localdate() + timedelta(days=7)
    return hearings.hearing_open(plan=plan, closes_on=closes_on, audience=audience, by=org.users["leader2"])


def _visible(user, plan) -> bool:
    return access.plans_visible_to(user).filter(pk=plan.pk).exists()


def test_in_the_region_the_rule_is_the_region_alone(org, plan):
    user = _fresh(org, "employee")
    assert _visible(user, plan)
    assert not access._reaches_outside_region(access._person(user))
    assert not _visible(_fresh(org, "outsider"), plan)


def test_a_hearing_invitation_from_another_region_still_shows_the_plan(org, plan, client):
    """Invited, then moved to another region (no MED seat anywhere): the invitation alone
    keeps the plan readable, in the list and on its page."""
    hearing = _open_hearing(org, plan)
    employee = org.people["employee"]
    assert HearingInvitation.objects.filter(hearing=hearing, person=employee).exists()
    employee.unit = org.units["RA"]
    employee.save(update_fields=["unit"])
    user = _fresh(org, "employee")
    assert access._reaches_outside_region(access._person(user))
    assert _visible(user, plan)
    client.force_login(user)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert plan.pk in [row.pk for row in client.get(reverse("dialogues:plan_list")).context["plans"]]


def test_a_med_seat_in_another_region_still_shows_the_covered_plans_only(org, plan, rollout):
    committee = MedCommittee.objects.create(unit=org.units["A1"], name="LokalMED A1")
    other = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    assert not _visible(_fresh(org, "outsider"), plan)
    MedMembership.objects.create(committee=committee, person=org.people["outsider"], role="medlem")
    user = _fresh(org, "outsider")
    assert access._reaches_outside_region(access._person(user))
    assert _visible(user, plan)
    assert not _visible(user, other)  # Hospital B: not the committee's
    assert list(access.plans_visible_to(user)) == [plan]


def test_a_seat_on_a_committee_of_the_own_region_adds_nothing(org, plan):
    committee = MedCommittee.objects.create(unit=org.units["A"], name="MED Hospital A")
    MedMembership.objects.create(committee=committee, person=org.people["employee"], role="medlem")
    user = _fresh(org, "employee")
    assert not access._reaches_outside_region(access._person(user))
    assert _visible(user, plan)


def test_the_reach_is_read_with_the_roles(org, plan, django_assert_num_queries):
    user = _fresh(org, "employee")
    with django_assert_num_queries(2):  # the roles (ledelse.access.roles_for), nothing more
        access.plans_visible_to(user)
    with django_assert_num_queries(0):
        access.plans_visible_to(user)
        access.plans_editable_by(user)
        access.plans_approvable_by(user)


def test_a_new_invitation_is_seen_by_the_next_request(org, plan, client):
    """The reach is kept on one request's user object only: the outsider's next request
    after the invitation reads the plan."""
    client.force_login(org.users["outsider"])
    assert client.get(plan.get_absolute_url()).status_code == 404
    hearing = _open_hearing(org, plan)
    HearingInvitation.objects.create(hearing=hearing, person=org.people["outsider"], as_employee=True, as_med=False)
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_opening_a_hearing_does_not_change_the_openers_reach(org, plan):
    """The request that opens a hearing goes on reading plans as the owner: a hearing never
    invites the plan's owners, so what the request kept for them still holds."""
    committee = MedCommittee.objects.create(unit=org.units["A"], name="MED Hospital A")
    MedMembership.objects.create(committee=committee, person=org.people["outsider"], role="medlem")
    user = org.users["leader2"]
    before = set(access.plans_visible_to(user).values_list("pk", flat=True))
    hearing = _open_hearing(org, plan, audience=Hearing.Audience.BOTH)
    assert not hearing.invitations.filter(person=org.people["leader2"]).exists()
    assert set(access.plans_visible_to(_fresh(org, "leader2")).values_list("pk", flat=True)) == before
    assert access._reaches_outside_region(access._person(user)) is False


def test_a_person_read_elsewhere_is_asked(org, plan, rollout):
    committee = MedCommittee.objects.create(unit=org.units["A1"], name="LokalMED A1")
    MedMembership.objects.create(committee=committee, person=org.people["outsider"], role="medlem")
    assert access._reaches_outside_region(Person.objects.get(pk=org.people["outsider"].pk))
    assert not access._reaches_outside_region(Person.objects.get(pk=org.people["employee"].pk))
