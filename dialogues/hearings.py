"""The høring: before the plan is submitted, its owners open the draft translation for
comments until a date, for the unit's employees, its MED committee or both. Those invited
are told (a notice and an e-mail), comment per theme under their own name while it is open,
and read the plan and the comments during and after it; the owners answer; the comments
and answers stay with the plan and are shown to the approver.

Who is invited (`hearing_audience_people`), fixed when the hearing opens and kept as
`HearingInvitation` rows, which `hearing_invitees`, the notices, the access rule
(`dialogues.access.plans_heard_by`, `hearings_visible_to`) and the plan page all read:

- "the unit's employees": the people of the plan's unit and of the units below it that have
  no plan of their own in the same rollout (those units are covered by this plan; a unit
  with its own plan is heard on that one);
- "the MED committee": the members of the committee that covers the plan's unit
  (`ledelse.selectors.med_committee_for_unit`);
- never the plan's owners and co-owners: they answer.

Open means open by the calendar: until the end of its closing date, whether or not the
nightly task (`hearings_close_due`, Celery beat) has written the closing yet; every service
here closes a hearing whose date has passed before it decides anything. At most one hearing
of a plan is open (a partial unique constraint). Closing, by the owners or by the date, is
a step in the plan's history (`hearing_history_steps`, merged with the workflow's steps on
the plan page), with the number of comments.

Submitting a plan while its hearing is open is refused (dialogues.workflow, told by
`hearing_open_until_for_submit`): the owners promised the invited people time until the closing date, so
they close the hearing themselves first, which is then in the history for all to see.

Services check who may call them (and the state and the calendar) and write in one
transaction; the views ask dialogues.access first for the 403 and 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogues import access, notices
from dialogues.access import AnyUser
from dialogues.models import HEARING_TEXT_LENGTH, Hearing, HearingComment, HearingInvitation, Plan, PlanEvent
from ledelse import access as org_access
from ledelse.concurrency.versions import Seen, seen_token, version_check
from ledelse.dates import long_date
from ledelse.models import MedCommittee, Person
from ledelse.selectors import med_committee_for_unit, subtree_q
from values.models import Item

# A hearing lasts at least until tomorrow and at most this many days.
HEARING_LONGEST_DAYS = 90
# The owners answer comments until the plan is approved (the approver reads the answers).
ANSWERABLE_STATES = frozenset({Plan.State.KLADDE, Plan.State.INDSENDT})

Audience = Hearing.Audience


# --- Who is invited ----------------------------------------------------------------------------


@dataclass
class AudiencePeople:
    """The people each audience of a hearing of the plan would invite now."""

    employees: list[Person]
    med: list[Person]
    committee: MedCommittee | None

    def of(self, audience: str) -> dict[int, tuple[Person, bool, bool]]:
        """person pk -> (person, as an employee, as a MED member) for `audience`."""
        chosen: dict[int, tuple[Person, bool, bool]] = {}
        if audience in (Audience.EMPLOYEES, Audience.BOTH):
            for person in self.employees:
                chosen[person.pk] = (person, True, False)
        if audience in (Audience.MED, Audience.BOTH):
            for person in self.med:
                was = chosen.get(person.pk)
                chosen[person.pk] = (person, was is not None, True)
        return chosen


def _owner_ids(plan: Plan) -> set[int]:
    return {plan.owner_id, *plan.co_owners.values_list("pk", flat=True)}


def plan_employees(*, plan: Plan) -> QuerySet[Person]:
    """The unit's employees for a hearing: the people of the plan's unit and of the units
    below it without a plan of their own in the same rollout."""
    own_plans = Plan.objects.filter(rollout_id=plan.rollout_id).filter(
        subtree_q(plan.unit, prefix="unit__", include_self=False)
    )
    q = subtree_q(plan.unit, prefix="unit__")
    for path in own_plans.values_list("unit__path", flat=True):
        q &= ~Q(unit__path__startswith=path)
    return Person.objects.filter(q)


def hearing_audience_people(*, plan: Plan) -> AudiencePeople:
    """Who each audience of a hearing of the plan invites (the owners never: they answer).
    Three queries."""
    owners = _owner_ids(plan)
    committee = med_committee_for_unit(unit=plan.unit)
    employees = list(plan_employees(plan=plan).exclude(pk__in=owners).select_related("user").order_by("name"))
    med: list[Person] = []
    if committee is not None:
        med = list(
            Person.objects.filter(med_memberships__committee=committee)
            .exclude(pk__in=owners)
            .select_related("user")
            .order_by("name")
        )
    return AudiencePeople(employees=employees, med=med, committee=committee)


def hearing_invitees(*, hearing: Hearing) -> QuerySet[Person]:
    """The people the hearing invited (fixed when it opened): told, commenting, reading."""
    return Person.objects.filter(hearing_invitations__hearing=hearing).select_related("user").order_by("name")


# --- The calendar ---------------------------------------------------------------------------


def _closing_moment(closes_on: date) -> datetime:
    """The moment a hearing closes by its date: the start of the day after, local time."""
    return timezone.make_aware(datetime.combine(closes_on + timedelta(days=1), time.min))


def _close_by_date(hearing: Hearing) -> None:
    hearing.closed_at = _closing_moment(hearing.closes_on)
    hearing.closed_how = Hearing.ClosedHow.BY_DATE
    hearing.save(update_fields=["closed_at", "closed_how"])
    notices.hearing_closed(hearing=hearing)


def _close_due_of(plan: Plan) -> None:
    """Write the closing of the plan's hearing whose date has passed (the calendar already
    says it is closed; this makes the rows say so too)."""
    for hearing in Hearing.objects.select_for_update().filter(
        plan=plan, closed_at__isnull=True, closes_on__lt=timezone.localdate()
    ):
        _close_by_date(hearing)


@transaction.atomic
def hearings_close_due(*, today: date | None = None) -> int:
    """Close every hearing whose closing date has passed (nightly, Celery beat): the step in
    the plan's history is written and the invitations leave the notices. Returns how many."""
    today = today or timezone.localdate()
    closed = 0
    for hearing in (
        Hearing.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(closed_at__isnull=True, closes_on__lt=today)
        .order_by("pk")
    ):
        _close_by_date(hearing)
        closed += 1
    return closed


def open_hearing_of(*, plan: Plan) -> Hearing | None:
    """The plan's hearing that is open by the calendar, if any."""
    return (
        Hearing.objects.filter(plan=plan, closed_at__isnull=True, closes_on__gte=timezone.localdate())
        .order_by("-opened_at")
        .first()
    )


def hearing_open_message(*, closes_on: date) -> str:
    """Why a plan out for comments cannot be submitted (dialogues.workflow says it)."""
    return _(
        "The plan is out for comments until %(date)s. Close the hearing before you submit the plan, "
        "or wait until it has closed."
    ) % {"date": long_date(closes_on)}


def hearing_open_until_for_submit(*, plan: Plan) -> date | None:
    """For the workflow's submit (called in its transaction, the plan locked): a hearing
    whose date has passed is closed now; the closing date of one still open, or None."""
    _close_due_of(plan)
    hearing = open_hearing_of(plan=plan)
    return None if hearing is None else hearing.closes_on


def open_hearing_until(*, hearings: list[Hearing]) -> date | None:
    """The closing date of the open one of a plan's hearings (read by plan_hearings), or
    None: what the plan page's steps need, without a query."""
    return next((h.closes_on for h in hearings if h.is_open), None)


# --- Writes -------------------------------------------------------------------------------------


def _person_of(user: AbstractBaseUser) -> Person:
    person = org_access.roles_for(user).person
    if person is None:
        raise ValidationError(_("You are not registered in the organisation."))
    return person


def _check_text(text: str, field_name: str, empty: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field_name: empty})
    if len(text) > HEARING_TEXT_LENGTH:
        raise ValidationError({field_name: _("Keep it within %(limit)d characters.") % {"limit": HEARING_TEXT_LENGTH}})
    return text


def _check_closes_on(closes_on: date) -> None:
    today = timezone.localdate()
    if closes_on <= today:
        raise ValidationError({"closes_on": _("Choose a closing date after today.")})
    if closes_on > today + timedelta(days=HEARING_LONGEST_DAYS):
        raise ValidationError(
            {"closes_on": _("A hearing lasts at most %(days)d days.") % {"days": HEARING_LONGEST_DAYS}}
        )


@transaction.atomic
def hearing_open(*, plan: Plan, closes_on: date, audience: str, by: AbstractBaseUser) -> Hearing:
    """Open the draft for comments until `closes_on` (inclusive) for `audience`, and tell
    everyone it invites. Only the plan's owners, only while the plan is a draft (also
    after it was sent back), one open hearing at a time."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit", "rollout").get(pk=plan.pk)
    if not access.can_own_plan(by, plan):
        raise ValidationError(_("Only the plan's owners can send it for comments."))
    if plan.state != Plan.State.KLADDE:
        raise ValidationError(_("Only a draft can be sent for comments."))
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who is asked for comments.")})
    _check_closes_on(closes_on)
    _close_due_of(plan)
    current = open_hearing_of(plan=plan)
    if current is not None:
        raise ValidationError(
            _("The plan is already out for comments until %(date)s.") % {"date": long_date(current.closes_on)}
        )
    people = hearing_audience_people(plan=plan)
    if audience in (Audience.MED, Audience.BOTH) and people.committee is None:
        raise ValidationError({"audience": _("No MED committee covers the unit: ask the unit's employees.")})
    chosen = people.of(audience)
    if not chosen:
        raise ValidationError({"audience": _("Nobody is in the group you chose: choose another.")})
    try:
        with transaction.atomic():
            hearing = Hearing.objects.create(
                plan=plan,
                audience=audience,
                closes_on=closes_on,
                opened_by=_person_of(by),
                opened_at=timezone.now(),
            )
    except IntegrityError as exc:  # opened by a co-owner at the same moment
        raise ValidationError(_("The plan is already out for comments.")) from exc
    HearingInvitation.objects.bulk_create(
        HearingInvitation(hearing=hearing, person=person, as_employee=as_employee, as_med=as_med)
        for person, as_employee, as_med in chosen.values()
    )
    notices.hearing_opened(hearing=hearing, plan=plan, people=hearing_invitees(hearing=hearing), by=by)
    return hearing


def _theme_of(plan: Plan, theme: Item) -> Item:
    if theme.version_id != plan.rollout.framework_version_id or theme.kind != Item.Kind.THEME:
        raise ValidationError({"text": _("Comment on one of the themes of the plan.")})
    return theme


@transaction.atomic
def hearing_comment_add(*, hearing: Hearing, theme: Item, text: str, by: AbstractBaseUser) -> HearingComment:
    """A named comment on one theme, by someone the hearing invited, while it is open by
    the calendar (after its closing date it is closed, whether or not anyone closed it)."""
    hearing = Hearing.objects.select_for_update(of=("self",)).select_related("plan__rollout").get(pk=hearing.pk)
    person = _person_of(by)
    if not hearing.invitations.filter(person=person).exists():
        raise ValidationError(_("Only the people invited to the hearing can comment."))
    if not hearing.is_open:
        raise ValidationError(
            _("The hearing has closed, so your comment was not saved. Your text is still in the box below.")
        )
    _theme_of(hearing.plan, theme)
    text = _check_text(text, "text", _("Write your comment."))
    return HearingComment.objects.create(
        hearing=hearing, theme=theme, author=person, author_name=person.name, text=text, created_at=timezone.now()
    )


def hearing_comment_seen_token(*, comment: HearingComment) -> str:
    return seen_token(number=comment.lock_version, values={"answer": comment.answer})


@transaction.atomic
def hearing_comment_answer(
    *, comment: HearingComment, answer: str, by: AbstractBaseUser, version: Seen | None = None
) -> HearingComment:
    """The owners' answer to a comment (given or changed until the plan is approved); the
    one who wrote it is told the first time. `version` is what the form was loaded from: an
    answer over a co-owner's newer one raises VersionConflict."""
    comment = (
        HearingComment.objects.select_for_update(of=("self",))
        .select_related("hearing__plan__unit", "author__user")
        .get(pk=comment.pk)
    )
    plan = comment.hearing.plan
    if not access.can_own_plan(by, plan):
        raise ValidationError(_("Only the plan's owners answer the comments."))
    if plan.state not in ANSWERABLE_STATES:
        raise ValidationError(_("The comments can be answered until the plan is approved."))
    answer = _check_text(answer, "answer", _("Write your answer."))
    version_check(
        seen=version, number=comment.lock_version, theirs={"answer": comment.answer}, yours={"answer": answer}
    )
    first = not comment.answer
    person = _person_of(by)
    comment.answer, comment.answered_by, comment.answered_at = answer, person, timezone.now()
    comment.lock_version += 1
    comment.save(update_fields=["answer", "answered_by", "answered_at", "lock_version"])
    if first:
        notices.hearing_comment_answered(comment=comment, plan=plan, by=person)
    return comment


@transaction.atomic
def hearing_close(*, hearing: Hearing, by: AbstractBaseUser) -> Hearing:
    """The owners close the hearing before its date (a hearing whose date has passed is
    recorded as closed by the date). A step in the plan's history."""
    hearing = Hearing.objects.select_for_update(of=("self",)).select_related("plan").get(pk=hearing.pk)
    if not access.can_own_plan(by, hearing.plan):
        raise ValidationError(_("Only the plan's owners close the hearing."))
    if hearing.closed_at is not None:
        raise ValidationError(_("The hearing is closed already."))
    if not hearing.is_open:
        _close_by_date(hearing)
        return hearing
    hearing.closed_at = timezone.now()
    hearing.closed_by = _person_of(by)
    hearing.closed_how = Hearing.ClosedHow.BY_OWNER
    hearing.save(update_fields=["closed_at", "closed_by", "closed_how"])
    notices.hearing_closed(hearing=hearing)
    return hearing


# --- Reads for the plan page --------------------------------------------------------------------


@dataclass
class HearingPanel:
    """What the plan page shows of the plan's hearings to this reader."""

    hearings: Sequence[Hearing] = field(default_factory=list)  # those the reader may read, oldest first
    current: Hearing | None = None  # open by the calendar
    latest: Hearing | None = None
    can_open: bool = False
    can_answer: bool = False
    invited: bool = False  # to the current hearing: the comment forms
    invitee_count: int = 0
    comment_count: int = 0
    unanswered: int = 0

    @property
    def can_comment(self) -> bool:
        return self.current is not None and self.invited


def plan_hearings(*, plan: Plan) -> list[Hearing]:
    """Every hearing of the plan, oldest first, with who opened and closed it and its numbers
    of invitations and comments (one query): what the plan page's panel and history read."""
    return list(
        Hearing.objects.filter(plan=plan)
        .select_related("opened_by", "closed_by")
        .annotate(invitee_count=Count("invitations", distinct=True), comment_count=Count("comments", distinct=True))
        .order_by("opened_at", "id")
    )


def hearing_panel(
    *,
    user: AnyUser,
    plan: Plan,
    themes: Iterable,
    hearings: list[Hearing] | None = None,
    co_owners: Iterable[Person] | None = None,
) -> HearingPanel:
    """The reader's view of the plan's hearings (`hearings`: plan_hearings, read once for the
    page); each theme row (`themes`, the plan page's ThemeRows) gets the comments the reader
    may read (`hearing_comments`), each with its answer form's token when the reader
    answers. No query for a plan without hearings (`co_owners` read already), three or four
    with, however many comments."""
    held = plan_hearings(plan=plan) if hearings is None else hearings
    owner = access.can_own_plan(user, plan, co_owners=co_owners)
    panel = HearingPanel(
        can_open=owner and plan.state == Plan.State.KLADDE, can_answer=owner and plan.state in ANSWERABLE_STATES
    )
    if not held:
        return panel
    visible = set(access.hearings_visible_to(user).filter(plan=plan).values_list("pk", flat=True))
    panel.hearings = [h for h in held if h.pk in visible]
    panel.latest = panel.hearings[-1] if panel.hearings else None
    panel.current = next((h for h in reversed(panel.hearings) if h.is_open), None)
    if panel.current is not None:
        panel.invited = access.is_invited(user, panel.current)
        panel.invitee_count = panel.current.invitee_count  # type: ignore[attr-defined]
        panel.can_open = False
    comments = list(
        HearingComment.objects.filter(hearing__in=visible).select_related("answered_by").order_by("created_at", "id")
    )
    by_theme: dict[int, list[HearingComment]] = {}
    for comment in comments:
        if panel.can_answer:
            comment.seen = hearing_comment_seen_token(comment=comment)  # type: ignore[attr-defined]
        by_theme.setdefault(comment.theme_id, []).append(comment)
    for row in themes:
        row.hearing_comments = by_theme.get(row.theme.pk, [])
    panel.comment_count = len(comments)
    panel.unanswered = sum(1 for c in comments if not c.answer)
    return panel


@dataclass(frozen=True)
class HistoryStep:
    """One line of the plan's history (a workflow step or a hearing's)."""

    at: datetime
    title: str
    actor_name: str
    detail: str = ""
    comment: str = ""


def hearing_history_steps(*, plan: Plan, hearings: list[Hearing] | None = None) -> list[HistoryStep]:
    """Each hearing of the plan opened, and closed (by the owners or by its date, as the
    calendar says even before the nightly task wrote it) with its number of comments. The
    steps say who was asked and how many commented, never what: everyone who reads the
    plan reads its history. `hearings`: plan_hearings, if read already (else one query)."""
    steps = []
    hearings = plan_hearings(plan=plan) if hearings is None else hearings
    for h in hearings:
        steps.append(
            HistoryStep(
                at=h.opened_at,
                title=_("Sent for comments"),
                actor_name=h.opened_by.name if h.opened_by else "",
                detail=_("%(audience)s, until %(date)s")
                % {"audience": h.get_audience_display(), "date": long_date(h.closes_on)},
            )
        )
        if h.is_open:
            continue
        count = h.comment_count  # type: ignore[attr-defined]  # plan_hearings annotates it
        comments = ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}
        by_date = h.closed_how != Hearing.ClosedHow.BY_OWNER
        steps.append(
            HistoryStep(
                at=h.closed_at or _closing_moment(h.closes_on),
                title=_("Hearing closed"),
                actor_name=h.closed_by.name if h.closed_by else "",
                detail=(_("its closing date passed") + " · " + comments) if by_date else comments,
            )
        )
    return steps


def plan_history(
    *, plan: Plan, events: Iterable[PlanEvent], hearings: list[Hearing] | None = None
) -> list[HistoryStep]:
    """The plan's history on its page: the workflow's steps and the hearings' steps, by time."""
    steps = [
        HistoryStep(
            at=e.at,
            title=e.get_to_state_display(),
            actor_name=e.actor_name,
            detail=(_("from %(from)s") % {"from": e.get_from_state_display()}) if e.from_state else "",
            comment=e.comment,
        )
        for e in events
    ]
    steps.extend(hearing_history_steps(plan=plan, hearings=hearings))
    return sorted(steps, key=lambda s: s.at)
