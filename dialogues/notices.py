"""Event notices of the plan workflow, through the shared ledelse.notifications: a
submitted plan to the approver, a plan sent back to its owners (with the comment on the
plan page, not in the e-mail), an approved plan to its owners. Called inside the
workflow's transaction; the notice is claimed there and sent after commit."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dialogues.models import Activity, Plan, PlanEvent
from ledelse.models import Person
from ledelse.notifications.services import notifications_mark_read_for, notify
from ledelse.selectors import person_own_leader


def _owners(plan: Plan) -> list[Person]:
    people = [plan.owner, *plan.co_owners.all()]
    return [p for p in people if p.user_id]


# What waits for the approver; read once the plan no longer waits.
APPROVER_KINDS = ("plan-submitted", "plan-waiting-approval")


def _approver(plan: Plan) -> Person | None:
    """The owner's own leader, or (when that leader is a co-owner, who never approves the
    plan) the next leader up."""
    approver = person_own_leader(person=plan.owner)
    co_owner_ids = set(plan.co_owners.values_list("pk", flat=True))
    while approver is not None and approver.pk in co_owner_ids:
        approver = person_own_leader(person=approver)
    return approver


def plan_state_changed(*, plan: Plan, action: str, event: PlanEvent) -> None:
    url = reverse("dialogues:plan_detail", args=[plan.pk])
    # The comment goes with the notice and the e-mail: a send-back says what to change, an
    # approval may add a word, a resubmission answers the comment.
    context = {"unit": plan.unit.name, "actor": event.actor_name, "comment": event.comment}
    if action in ("approve", "send_back", "withdraw"):
        notifications_mark_read_for(target=plan, kinds=APPROVER_KINDS)
    with translation.override(settings.LANGUAGE_CODE):
        if action == "submit":
            approver = _approver(plan)
            recipients = [approver] if approver is not None and approver.user_id else []
            kind, title = "plan-submitted", _("The plan for %(unit)s waits for your approval")
        elif action == "send_back":
            recipients = _owners(plan)
            kind = "plan-sent-back"
            title = _("The plan for %(unit)s has been sent back: “%(comment)s”").replace(
                "%(comment)s", Truncator(event.comment).chars(140).replace("%", "%%")
            )
        elif action == "approve":
            recipients = _owners(plan)
            kind, title = "plan-approved", _("The plan for %(unit)s has been approved")
        else:
            return
        for person in recipients:
            if person.user_id == event.actor_id:
                continue
            notify(
                recipient=person.user,
                kind=kind,
                target=plan,
                title=title % {"unit": plan.unit.name},
                url=url,
                context=context,
                key=f"event-{event.pk}",
            )


def activity_responsible_told(*, activity: Activity, plan: Plan, actor) -> None:
    """Tell the person made responsible for an activity (not the one who chose them): the
    link opens the activity, where they record what came out of it. Without an actor (a
    script, the demo data) no one is told."""
    person = activity.responsible
    if actor is None or person is None or not person.user_id or person.user_id == actor.pk:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("You are responsible for “%(activity)s” in the plan for %(unit)s") % {
            "activity": activity.title,
            "unit": plan.unit.name,
        }
    notify(
        recipient=person.user,
        kind="notice",
        target=activity,
        title=title,
        url=reverse("dialogues:activity_edit", args=[plan.pk, activity.pk]),
        context={"unit": plan.unit.name},
        key=f"responsible-{person.pk}",
    )
