"""dialogues.access.plan_rights: the plan page's four rights in one query, each the same
answer as its own rule (can_edit_plan, can_approve_plan, can_manage_co_owners,
can_record_med_treatment) for every user of the cast."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogues import access, med, selectors, services
from dialogues.models import Plan
from ledelse.models import MedCommittee, MedMembership, Person
from tests.dialogues.conftest import person_in

pytestmark = pytest.mark.django_db


def test_each_right_is_the_answer_of_its_own_rule_for_everyone(org, plan, hospital_a_med):
    plan.co_owners.add(org.people["employee"])
    seen = set()
    for name, user in [*org.users.items(), ("anonymous", AnonymousUser())]:
        rights = access.plan_rights(user, plan)
        expected = access.PlanRights(
            edit=access.can_edit_plan(user, plan),
            approve=access.can_approve_plan(user, plan),
            manage_co_owners=access.can_manage_co_owners(user, plan),
            record_med=access.can_record_med_treatment(user, plan),
        )
        assert rights == expected, name
        if access.plans_visible_to(user).filter(pk=plan.pk).exists():
            # The plan's page: a plan read through plans_visible_to, its visibility not asked again.
            assert access.plan_rights(user, plan, visible=True) == expected, name
        seen.add(rights)
    # The cast covers more than one answer for each right.
    for right in ("edit", "approve", "manage_co_owners", "record_med"):
        assert {getattr(r, right) for r in seen} == {True, False}, right


def test_without_med_the_treatment_right_is_not_asked(org, plan, hospital_a_med):
    assert access.plan_rights(org.users["leader"], plan).record_med
    assert not access.plan_rights(org.users["leader"], plan, med=False).record_med


def test_a_plan_the_user_cannot_read_gives_no_right_but_the_med_treatment(org, plan, hospital_a_med):
    """The outsider reads no plan of the region: their rights are the rules' answers,
    whatever else they would match."""
    plan.co_owners.add(org.people["outsider"])
    assert access.plan_rights(org.users["outsider"], plan) == access.PlanRights()


def test_the_four_rights_are_one_query(org, plan, hospital_a_med):
    user = org.users["leader"]
    access.plan_rights(user, plan)  # the roles are read once per request (ledelse.access)
    with CaptureQueriesContext(connection) as ctx:
        access.plan_rights(user, plan)
    assert len(ctx.captured_queries) == 1


def _read_plans(org, plan, more):
    """The plans as the plan page reads them (plans_visible_to, owner and unit), for everyone."""
    for name, user in [*org.users.items(), *more.items(), ("anonymous", AnonymousUser())]:
        if access.plans_visible_to(user).filter(pk=plan.pk).exists():
            yield name, user, selectors.plan_get_for_user(user=user, pk=plan.pk)


@pytest.mark.parametrize("state", [Plan.State.KLADDE, Plan.State.INDSENDT, Plan.State.GODKENDT])
@pytest.mark.parametrize("committee_below", [False, True])
def test_the_page_rights_without_the_query_are_the_rules_answers_for_everyone(
    org, rollout, plan, hospital_a_med, state, committee_below
):
    """access.plan_rights_of_read_plan (the plan page: the rules asked of the row in Python)
    gives what plan_rights gives for every reader, plan, owner's own leader, co-owner and
    MED committee of the cast; a committee at the plan's unit itself covers it instead of
    Hospital A's (the nearest covers)."""
    org.people["leader2"].own_leader = org.people["leader3"]
    org.people["leader2"].save()
    plan.co_owners.add(org.people["employee"])
    top = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    # A plan of Afsnit A1a owned by an employee, and the section's own leader (who leads at
    # the plan's unit, so does not approve it) besides Afdeling A1's (who leads above it).
    section_leader = person_in(org, "A1a", "Signe Sektionsleder", "signe")
    Person.objects.filter(pk=section_leader.pk).update(is_leader=True)
    section = Plan.objects.create(rollout=rollout, unit=org.units["A1a"], owner=org.people["employee"])
    if committee_below:
        committee = MedCommittee.objects.create(unit=org.units["A1"], name="MED A1", kind="lokal")
        MedMembership.objects.create(committee=committee, person=org.people["employee"], role="naestformand")
    Plan.objects.filter(pk__in=[plan.pk, top.pk, section.pk]).update(state=state, submitted_at=timezone.now())
    seen = set()
    for each in (plan, top, section):
        for name, user, read in _read_plans(org, each, {"section_leader": section_leader.user}):
            treatable = read.state in med.MED_TREATABLE_STATES
            expected = access.plan_rights(user, read, visible=True, med=treatable)
            co_owner_ids = set(read.co_owners.values_list("pk", flat=True))
            assert access.plan_rights_of_read_plan(user, read, co_owner_ids=co_owner_ids, med=treatable) == expected, (
                name,
                each.unit.code,
            )
            # As the page reads it: MED's treatment in plain SQL with the plan (access.med_treating_seat_sql).
            page_read = selectors.plan_get_for_page(user=user, pk=each.pk)
            page_rights = access.plan_rights_of_read_plan(
                user,
                page_read,
                co_owner_ids=co_owner_ids,
                med=treatable,
                record_med=getattr(page_read, "page_record_med", None),
            )
            assert page_rights == expected, (name, each.unit.code)
            seen.add(expected)
    for right in ("edit", "approve", "manage_co_owners"):
        assert {getattr(r, right) for r in seen} == {True, False}, right
    assert {r.record_med for r in seen} == ({True, False} if state != Plan.State.GODKENDT else {False})


def test_the_page_rights_read_no_rule_but_the_med_treatment(org, plan, hospital_a_med):
    user = org.users["leader"]
    read = selectors.plan_get_for_user(user=user, pk=plan.pk)
    with CaptureQueriesContext(connection) as ctx:
        access.plan_rights_of_read_plan(user, read, co_owner_ids=set(), med=False)
    assert len(ctx.captured_queries) == 0
    with CaptureQueriesContext(connection) as ctx:
        assert access.plan_rights_of_read_plan(user, read, co_owner_ids=set(), med=True).record_med
    assert len(ctx.captured_queries) == 1
