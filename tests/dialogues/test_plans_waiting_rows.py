"""dialogues.access.plans_waiting_rows (the front page's plans waiting, plain SQL for the
common reader) agrees with plans_owned_by (drafts) and plans_approvable_by (submitted) for
every kind of reader: owner, co-owner, own leader by the rule and explicit, leaders above,
employee, HR, koncernledelse, administrator, another region, and a reader whose MED seat
reaches outside their region (the ORM's querysets then)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues import access
from dialogues.models import Plan
from ledelse.models import MedCommittee, MedMembership, User

pytestmark = pytest.mark.django_db

FIELDS = access.PLAN_WAITING_FIELDS


def _expected(user, limit: int) -> tuple[list[dict], list[dict]]:
    drafts = (
        access.plans_owned_by(user)
        .filter(state=Plan.State.KLADDE)
        .values(*FIELDS)
        .order_by("rollout__deadline", "unit__path")
    )
    submitted = (
        access.plans_approvable_by(user).filter(state=Plan.State.INDSENDT).values(*FIELDS).order_by("submitted_at")
    )
    return list(drafts[:limit]), list(submitted[:limit])


def _parts(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    return (
        [r for r in rows if r["state"] == Plan.State.KLADDE],
        [r for r in rows if r["state"] == Plan.State.INDSENDT],
    )


@pytest.fixture
def many_plans(org, rollout, plan):
    """Drafts and submitted plans across the region's units and in the other region."""
    now = timezone.now()
    plan.co_owners.add(org.people["employee"])  # a co-owner of leader2's draft
    hr = org.people["hr"]
    hr.own_leader = org.people["leader2"]  # an explicit own leader
    hr.save(update_fields=["own_leader"])

    def make(unit: str, owner: str, state: str, days_ago: int | None = None) -> Plan:
        return Plan.objects.create(
            rollout=rollout,
            unit=org.units[unit],
            owner=org.people[owner],
            state=state,
            submitted_at=now - timedelta(days=days_ago) if days_ago is not None else None,
        )

    make("A", "leader", Plan.State.INDSENDT, 2)  # approved by koncern (own leader by the rule)
    make("A1a", "employee", Plan.State.INDSENDT, 1)  # leader2 (own leader), leader and koncern above
    make("B", "leader3", Plan.State.KLADDE)
    co_owned = make("HR", "hr", Plan.State.INDSENDT, 3)  # leader2 (explicit), koncern above
    co_owned.co_owners.add(org.people["koncern"])  # ... but a co-owner never approves
    make("RA", "outsider", Plan.State.INDSENDT, 4)
    make("RT", "koncern", Plan.State.KLADDE)


@pytest.mark.parametrize("limit", [1, 51])
def test_the_plans_waiting_agree_with_the_querysets_for_every_reader(org, many_plans, limit):
    for name in org.users:
        user = User.objects.get(pk=org.users[name].pk)  # as a new request reads them
        drafts, submitted = _parts(access.plans_waiting_rows(user, limit=limit))
        expected_drafts, expected_submitted = _expected(user, limit)
        assert drafts == expected_drafts, name
        assert submitted == expected_submitted, name
    # The cases the plans were made for.
    seen = {
        name: [r["unit__name"] for r in access.plans_waiting_rows(User.objects.get(pk=u.pk), limit=51)]
        for name, u in org.users.items()
    }
    assert sorted(seen["leader2"]) == ["Afdeling A1", "Afsnit A1a", "HR-afdeling"]  # own, by rule, explicit
    assert sorted(seen["employee"]) == ["Afdeling A1"]  # co-owner of the draft
    assert "HR-afdeling" not in seen["koncern"] and "Hospital A" in seen["koncern"]
    assert sorted(seen["outsider"]) == []


def test_a_reader_whose_seat_reaches_outside_the_region_gets_the_same_rows(org, many_plans):
    committee = MedCommittee.objects.create(unit=org.units["A1"], name="LokalMED A1")
    MedMembership.objects.create(committee=committee, person=org.people["outsider"], role="formand")
    user = User.objects.get(pk=org.users["outsider"].pk)
    assert access._reaches_outside_region(access._person(user))
    drafts, submitted = _parts(access.plans_waiting_rows(user, limit=51))
    assert (drafts, submitted) == _expected(user, 51)


def test_the_plans_waiting_are_one_query(org, many_plans, django_assert_num_queries):
    user = User.objects.get(pk=org.users["leader2"].pk)
    access.plans_waiting_rows(user, limit=51)  # the roles read with the user
    with django_assert_num_queries(1):
        access.plans_waiting_rows(user, limit=51)
