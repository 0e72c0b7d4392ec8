"""One definition of an open plan and of an open or overdue activity, for everything that
counts or reminds of them: the reminders (dialogues/reminders.py), Mit overblik, the
implementation status and its weekly snapshots (ledelse/status/). As lus.selectors exports
`conversation_overdue_q` for LUS.

- A plan is open until it is completed (draft, submitted, approved, in progress).
- An activity is open when it is planned or in progress and its plan is open (a completed
  plan's leftovers are not chased).
- An open activity is overdue when its date has passed.

The `activity` and `plan` arguments are the lookup paths from the model queried to the
activity's and the plan's fields: "" and "plan__" from Activity, "activities__" and ""
from Plan.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from dialogues.models import Activity, Plan

OPEN_PLAN_STATES = (Plan.State.KLADDE, Plan.State.INDSENDT, Plan.State.GODKENDT, Plan.State.I_GANG)
OPEN_ACTIVITY_STATUSES = (Activity.Status.PLANLAGT, Activity.Status.I_GANG)


def plan_open_q(plan: str = "") -> Q:
    """A plan that is not completed."""
    return Q(**{f"{plan}state__in": OPEN_PLAN_STATES})


def activity_open_q(*, activity: str = "", plan: str = "plan__") -> Q:
    """An activity planned or in progress, in an open plan."""
    return Q(**{f"{activity}status__in": OPEN_ACTIVITY_STATUSES}) & plan_open_q(plan)


def activity_overdue_q(*, today: date, activity: str = "", plan: str = "plan__") -> Q:
    """An open activity whose date has passed."""
    return activity_open_q(activity=activity, plan=plan) & Q(**{f"{activity}date__lt": today})


__all__ = [
    "OPEN_ACTIVITY_STATUSES",
    "OPEN_PLAN_STATES",
    "activity_open_q",
    "activity_overdue_q",
    "plan_open_q",
]


# How a plan's state is shown (DKFDS badge classes): the one place, for the plan pages and
# the status pages (dialogues.templatetags.plan_states). No plan at all is an error badge.
STATE_BADGES = {
    Plan.State.KLADDE: "badge-info",
    Plan.State.INDSENDT: "badge-warning",
    Plan.State.GODKENDT: "badge-success",
    Plan.State.I_GANG: "badge-success",
    Plan.State.AFSLUTTET: "badge-success",
}
NO_PLAN_BADGE = "badge-error"
