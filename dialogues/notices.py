"""Event notices of the plan workflow, through the shared ledelse.notifications. Each names
its plan and the other person: a submitted plan to the approver ("Lars Leder To has sent the
plan for Afdeling A1 for your approval"), a plan sent back to its owners with the comment
(plans are not confidential), an approved plan to its owners. The notice whose task is done
clears: an approved or sent-back plan clears the approver's "waits for your approval"; a
plan submitted again clears its owners' "sent back". Called inside the workflow's
transaction; the notice is claimed there and sent after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dialogues.models import Activity, Hearing, HearingComment, Plan, PlanEvent
from ledelse.dates import long_date
from ledelse.models import Person
from ledelse.notifications.services import notifications_clear, notify
from ledelse.selectors import person_own_leader

COMMENT_LENGTH = 200
# The notices that wait for an answer, and the actions that answer them.
WAITING_FOR_APPROVAL = ("plan-submitted", "plan-waiting-approval")
CLEARED_BY = {
    "approve": WAITING_FOR_APPROVAL,
    "send_back": WAITING_FOR_APPROVAL,
    "withdraw": WAITING_FOR_APPROVAL,
    "submit": ("plan-sent-back",),
}


def _owners(plan: Plan) -> list[Person]:
    people = [plan.owner, *plan.co_owners.all()]
    return [p for p in people if p.user_id]


def _approver(plan: Plan) -> Person | None:
    """The owner's own leader, or (when that leader is a co-owner, who never approves the
    plan) the next leader up."""
    approver = person_own_leader(person=plan.owner)
    co_owner_ids = set(plan.co_owners.values_list("pk", flat=True))
    while approver is not None and approver.pk in co_owner_ids:
        approver = person_own_leader(person=approver)
    return approver


def _message(plan: Plan, action: str, event: PlanEvent) -> tuple[list[Person], str, str] | None:
    names = {"unit": plan.unit.name, "actor": event.actor_name or _("Someone")}
    if action == "submit":
        approver = _approver(plan)
        recipients = [approver] if approver is not None and approver.user_id else []
        return recipients, "plan-submitted", _("%(actor)s has sent the plan for %(unit)s for your approval") % names
    if action == "send_back":
        comment = Truncator(" ".join(event.comment.split())).chars(COMMENT_LENGTH)
        title = _("The plan for %(unit)s has been sent back by %(actor)s: %(comment)s") % {**names, "comment": comment}
        return _owners(plan), "plan-sent-back", title
    if action == "approve":
        return _owners(plan), "plan-approved", _("%(actor)s has approved the plan for %(unit)s") % names
    return None


def plan_state_changed(*, plan: Plan, action: str, event: PlanEvent) -> None:
    if action in CLEARED_BY:
        notifications_clear(target=plan, kinds=CLEARED_BY[action])
    with translation.override(settings.LANGUAGE_CODE):
        message = _message(plan, action, event)
        if message is None:
            return
        recipients, kind, title = message
        # The comment goes with the notice and the e-mail: a send-back says what to change, an
        # approval may add a word, a resubmission answers the comment.
        context = {"unit": plan.unit.name, "actor": event.actor_name, "comment": event.comment}
        url = reverse("dialogues:plan_detail", args=[plan.pk])
        for person in recipients:
            if person.user_id == event.actor_id:
                continue
            notify(
                recipient=person.user,
                kind=kind,
                target=plan,
                title=title,
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


# --- Hearings (dialogues.hearings) ---------------------------------------------------------------

HEARING_OPENED = "hearing-opened"
HEARING_COMMENT_ANSWERED = "hearing-comment-answered"


def hearing_opened(*, hearing: Hearing, plan: Plan, people: Iterable[Person], by: AbstractBaseUser) -> None:
    """Tell everyone the hearing invites: who asks, which plan, until when. The link opens
    the plan at the hearing, where they comment per theme."""
    actor = Person.objects.filter(user_id=by.pk).only("name").first()
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "actor": actor.name if actor else _("The plan's owner"),
            "unit": plan.unit.name,
            "date": long_date(hearing.closes_on),
        }
        title = _("%(actor)s asks for your comments on the plan for %(unit)s by %(date)s") % names
    url = hearing.get_absolute_url()
    for person in people:
        if person.user is None or person.user_id == by.pk:
            continue
        notify(
            recipient=person.user,
            kind=HEARING_OPENED,
            target=hearing,
            title=title,
            url=url,
            context={**names, "audience": hearing.get_audience_display()},
        )


def hearing_closed(*, hearing: Hearing) -> None:
    """The invitations to comment leave the notices once the hearing has closed."""
    notifications_clear(target=hearing, kinds=(HEARING_OPENED,))


def hearing_comment_answered(*, comment: HearingComment, plan: Plan, by: Person) -> None:
    """Tell the one who wrote a comment that the owners answered it (not when they answered
    their own)."""
    author = comment.author
    if author is None or author.user is None or author.pk == by.pk:
        return
    with translation.override(settings.LANGUAGE_CODE):
        names = {"actor": by.name, "unit": plan.unit.name, "theme": comment.theme.heading}
        title = _("%(actor)s has answered your comment on “%(theme)s” in the plan for %(unit)s") % names
    notify(
        recipient=author.user,
        kind=HEARING_COMMENT_ANSWERED,
        target=comment,
        title=title,
        url=comment.get_absolute_url(),
        context={**names, "comment": comment.text, "answer": comment.answer},
    )
