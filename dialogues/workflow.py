"""The plan's workflow: its steps (draft → submitted → approved → in progress →
completed, with send back and withdraw), who takes each, and the one rule of when a step
may be taken (`transition_refusal`). dialogues.services.plan_transition raises its
message; dialogues.selectors.plan_steps_for shows the steps it allows, so the templates
name no state and re-encode no rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from dialogues import hearings, med
from dialogues.models import Plan

State = Plan.State


@dataclass(frozen=True)
class Transition:
    from_state: str
    to_state: str
    by: str  # who takes the step: "approver", "editors" (those who edit the plan) or "owners"


# "owners": those who edit the plan and do not approve it (a leader above edits the plans
# below but is not shown their owners' submit step; they approve instead).
TRANSITIONS = {
    "submit": Transition(State.KLADDE, State.INDSENDT, by="owners"),
    "approve": Transition(State.INDSENDT, State.GODKENDT, by="approver"),
    "send_back": Transition(State.INDSENDT, State.KLADDE, by="approver"),
    "start": Transition(State.GODKENDT, State.I_GANG, by="editors"),
    "finish": Transition(State.I_GANG, State.AFSLUTTET, by="editors"),
    # The owners take a submitted plan back to change it before it is approved.
    "withdraw": Transition(State.INDSENDT, State.KLADDE, by="owners"),
}
# The steps that keep what the plan held, so the approver sees what changed in between.
SNAPSHOT_ACTIONS = frozenset({"send_back", "submit", "withdraw"})


@dataclass(frozen=True)
class Refusal:
    """Why a step cannot be taken. `kind`: "role" (not this user's step), "state" (not in
    the plan's state) or "content" (the plan lacks something first: the page says what)."""

    kind: str
    message: str


def transition_refusal(
    *,
    plan: Plan,
    action: str,
    can_edit: bool,
    can_approve: bool,
    has_activities: bool,
    med_missing: bool,
    open_hearing_until: date | None = None,
) -> Refusal | None:
    """The one rule of who may take which step of the workflow when: plan_transition
    raises its message, dialogues.selectors.plan_steps_for shows the steps it allows (and
    those only blocked by the plan's content, with the reason)."""
    transition = TRANSITIONS[action]
    allowed = {
        "approver": can_approve,
        "editors": can_edit,
        "owners": can_edit and not can_approve,
    }[transition.by]
    if not allowed:
        return Refusal("role", _("You may not do this with the plan."))
    if plan.state != transition.from_state:
        return Refusal(
            "state",
            _("The plan is %(state)s, so this cannot be done now.") % {"state": plan.get_state_display().lower()},
        )
    if action == "submit" and not has_activities:
        return Refusal("content", _("Add at least one activity before you submit the plan."))
    if action == "submit" and med_missing:
        return Refusal("content", med.med_missing_message())
    if action == "submit" and open_hearing_until is not None:
        # Those invited were promised time until the date: the owners close it first.
        return Refusal("content", hearings.hearing_open_message(closes_on=open_hearing_until))
    return None
