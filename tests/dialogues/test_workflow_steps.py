"""The steps the plan page offers (dialogues.selectors.plan_steps_for) are exactly the steps
the workflow service takes (dialogues.services.plan_transition), for every state × reader,
with and without a required MED treatment: both ask dialogues.workflow.transition_refusal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from dialogues import selectors, services
from dialogues.models import Plan, Rollout
from dialogues.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db

READERS = ("koncern", "leader", "leader2", "leader3", "employee", "hr", "admin")


def _taken(org, plan: Plan, user, action: str) -> tuple[bool, str]:
    """Whether the service takes the step (undone afterwards), and its refusal."""
    try:
        with transaction.atomic():
            services.plan_transition(user=user, plan=plan, action=action, comment="Se kommentaren")
            transaction.set_rollback(True)
    except ValidationError as exc:
        return False, " ".join(exc.messages)
    return True, ""


@pytest.mark.parametrize("state", Plan.State.values)
@pytest.mark.parametrize("med_required", [False, True])
def test_the_page_offers_exactly_the_steps_the_service_takes(org, rollout, plan, make_activity, state, med_required):
    make_activity(plan)
    Rollout.objects.filter(pk=rollout.pk).update(requires_med_treatment=med_required)
    Plan.objects.filter(pk=plan.pk).update(state=state, submitted_at="2026-06-10T10:00Z")
    for reader in READERS:
        user = org.users[reader]
        fresh = selectors.plan_get_for_user(user=user, pk=plan.pk)
        steps = selectors.plan_steps_for(plan=fresh, user=user).steps
        offered = {s.action for s in steps if not s.blocked}
        blocked = {s.action: s.blocked for s in steps if s.blocked}
        for action in TRANSITIONS:
            taken, refusal = _taken(org, fresh, user, action)
            assert taken == (action in offered), (reader, state, action, refusal)
            if action in blocked:
                assert refusal == blocked[action], (reader, state, action)


def test_an_approver_who_also_edits_is_not_offered_the_owners_submit(org, plan, make_activity):
    make_activity(plan)
    steps = selectors.plan_steps_for(plan=plan, user=org.users["leader"])
    assert steps.steps == [] and steps.note == "Planen er en kladde hos ejerne."
    with pytest.raises(ValidationError):
        services.plan_transition(user=org.users["leader"], plan=plan, action="submit")


def test_no_template_names_a_plan_state():
    """The templates show the steps and badges they are given; none compares a state."""
    root = Path(__file__).resolve().parents[2] / "templates"
    pattern = re.compile(
        r"""['"](kladde|indsendt|godkendt|i_gang|afsluttet)['"]|State\.(KLADDE|INDSENDT|GODKENDT|I_GANG|AFSLUTTET)"""
    )
    assert [str(p) for p in root.rglob("*.html") if pattern.search(p.read_text(encoding="utf-8"))] == []
