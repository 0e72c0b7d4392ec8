"""The plan's workflow: kladde → indsendt → godkendt → i gang → afsluttet, sent back with a
comment, every change in the history with who, when and why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dialogues import services
from dialogues.models import Plan, PlanEvent
from tests.dialogues.conftest import submitted

pytestmark = pytest.mark.django_db


def _history(plan):
    return list(PlanEvent.objects.filter(plan=plan).order_by("at", "id").values_list("from_state", "to_state"))


def test_a_new_plan_is_a_draft_owned_by_the_units_leader(org, plan):
    assert plan.state == Plan.State.KLADDE
    assert plan.owner == org.people["leader2"]
    event = plan.events.get()
    assert (event.from_state, event.to_state, event.actor) == ("", "kladde", org.users["leader2"])
    assert event.actor_name == "Lars Leder To"


def test_the_plan_goes_through_every_state_and_records_each(org, plan, make_activity):
    make_activity(plan)
    plan = submitted(org, plan)
    assert plan.state == "indsendt" and plan.submitted_at is not None
    plan = services.plan_transition(user=org.users["leader"], plan=plan, action="approve", comment="Fint")
    plan = services.plan_transition(user=org.users["leader2"], plan=plan, action="start")
    plan = services.plan_transition(user=org.users["leader2"], plan=plan, action="finish")
    assert plan.state == "afsluttet"
    assert _history(plan) == [
        ("", "kladde"),
        ("kladde", "indsendt"),
        ("indsendt", "godkendt"),
        ("godkendt", "i_gang"),
        ("i_gang", "afsluttet"),
    ]
    approval = plan.events.get(to_state="godkendt")
    assert approval.actor == org.users["leader"] and approval.comment == "Fint"


def test_the_approver_sends_it_back_with_a_comment(org, plan, make_activity):
    make_activity(plan)
    plan = submitted(org, plan)
    plan = services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment="Mere om MED, tak")
    assert plan.state == "kladde"
    event = plan.events.order_by("-at", "-id").first()
    assert (event.from_state, event.to_state, event.comment) == ("indsendt", "kladde", "Mere om MED, tak")


def test_sending_back_needs_a_comment(org, plan, make_activity):
    make_activity(plan)
    plan = submitted(org, plan)
    with pytest.raises(ValidationError) as exc:
        services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment="  ")
    assert "comment" in exc.value.error_dict
    plan.refresh_from_db()
    assert plan.state == "indsendt" and plan.events.count() == 2


def test_a_plan_without_activities_cannot_be_submitted(org, plan):
    with pytest.raises(ValidationError, match="mindst én aktivitet"):
        submitted(org, plan)
    plan.refresh_from_db()
    assert plan.state == "kladde"


def test_a_step_from_the_wrong_state_is_refused(org, plan, make_activity):
    make_activity(plan)
    with pytest.raises(ValidationError, match="kladde"):
        services.plan_transition(user=org.users["leader"], plan=plan, action="approve")
    plan.refresh_from_db()
    assert plan.state == "kladde" and plan.events.count() == 1


def test_the_owner_cannot_approve_their_own_plan(org, plan, make_activity):
    make_activity(plan)
    plan = submitted(org, plan)
    with pytest.raises(ValidationError):
        services.plan_transition(user=org.users["leader2"], plan=plan, action="approve")
    plan.refresh_from_db()
    assert plan.state == "indsendt"


def test_a_plan_can_carry_on_the_plan_of_the_unit_above(org, rollout, principles):
    above = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    theme = principles[0].parent
    services.plan_translation_save(
        plan=above, texts={theme.pk: "Hos os betyder det tillid"}, focus_principles=principles[:1]
    )
    below = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"], carry_on=True)
    assert below.based_on == above
    assert below.translations.get().text == "Hos os betyder det tillid"
    assert list(below.focus_principles.all()) == principles[:1]
    # Adapting the copy leaves the original alone.
    services.plan_translation_save(plan=below, texts={theme.pk: "Vores ord"}, focus_principles=[])
    assert above.translations.get().text == "Hos os betyder det tillid"
    assert "Hospital A" in below.events.get().comment


def test_one_plan_per_unit_per_rollout(org, rollout, plan):
    with pytest.raises(ValidationError):
        services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    assert Plan.objects.filter(rollout=rollout, unit=org.units["A1"]).count() == 1


def test_the_database_refuses_a_second_plan_for_the_unit(org, rollout, plan):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(rollout=rollout, unit=org.units["A1"], owner=org.people["leader2"])


def test_a_unit_without_a_leader_cannot_start_a_plan(org, rollout):
    with pytest.raises(ValidationError, match="ingen leder"):
        services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1a"])
