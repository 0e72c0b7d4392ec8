"""dialogues.access.plan_rights: the plan page's four rights in one query, each the same
answer as its own rule (can_edit_plan, can_approve_plan, can_manage_co_owners,
can_record_med_treatment) for every user of the cast."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues import access

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
