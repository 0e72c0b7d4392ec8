"""Questions before a dialogue meeting (issue 24): the person responsible for an activity
asks those taking part one or two of the framework's reflection questions; they answer on
the activity's page; the answers are shown without names once enough people have answered.

The rules, each checked here and nowhere else (the views, the meeting guide and the
presentation call these):

- Only the person responsible for the activity asks, one or two questions in all
  (`ActivityQuestion.MAX_PER_ACTIVITY`, also a database constraint), chosen from the
  reflection questions of the plan's framework version; the activity needs at least
  MIN_GROUP_SIZE people taking part, or the answers could never be shown.
- Only those taking part answer, one answer each per question, which they may change.
- Asking and answering close when the meeting starts (the activity's date and time in
  Europe/Copenhagen; a date without a time: when that day begins, as the calendar shows
  it), when the activity is done or cancelled, and when the plan is completed.
- The answers are shown to everyone who may read the activity, without names and in a
  fixed order that says nothing of who wrote what or when (sorted by their text), and only
  once at least ledelse.privacy.MIN_GROUP_SIZE people have answered the question: the same
  rule of three as the LUS figures. Below it, the page says how many have answered. The
  count alone is shown, as the LUS figures show counts: it tells that people answered, not
  who, nor what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues.definitions import OPEN_PLAN_STATES
from dialogues.models import Activity, ActivityAnswer, ActivityQuestion, Plan
from ledelse.concurrency.versions import Seen, seen_token, version_check
from ledelse.dates import long_date, long_datetime
from ledelse.models import Person
from ledelse.notifications.services import notifications_clear, notify
from ledelse.privacy import MIN_GROUP_SIZE
from values.models import ReflectionQuestion

NOTICE_KIND = "activity-questions-asked"
CLOSED_STATUSES = (Activity.Status.GENNEMFOERT, Activity.Status.AFLYST)


# --- When asking and answering are open ---------------------------------------------------------


def meeting_starts_at(activity: Activity) -> datetime | None:
    """When the meeting starts: its date and time, or the start of its day without a time;
    None without a date (nothing is set yet, so it has not started)."""
    if activity.date is None:
        return None
    return datetime.combine(activity.date, activity.start_time or time(0, 0), tzinfo=timezone.get_default_timezone())


def questions_open(activity: Activity, *, plan: Plan | None = None, now: datetime | None = None) -> bool:
    """Asking and answering are open: before the meeting starts, while the activity is
    planned or in progress and its plan open."""
    plan = plan or activity.plan
    if plan.state not in OPEN_PLAN_STATES or activity.status in CLOSED_STATUSES:
        return False
    starts = meeting_starts_at(activity)
    return starts is None or (now or timezone.now()) < starts


def closed_message(activity: Activity) -> str:
    if activity.status in CLOSED_STATUSES or activity.plan.state not in OPEN_PLAN_STATES:
        return _("The activity is over: questions can no longer be asked or answered.")
    return _("The meeting has started (%(when)s): questions can no longer be asked or answered.") % {
        "when": _when(activity)
    }


def _when(activity: Activity) -> str:
    starts = meeting_starts_at(activity)
    if starts is None:
        return ""
    return long_datetime(starts) if activity.start_time else long_date(activity.date)


# --- The questions to choose from ---------------------------------------------------------------


@dataclass
class QuestionGroup:
    """Reflection questions offered under one heading: a principle of the activity (first),
    or the rest of the framework."""

    label: str
    questions: list[ReflectionQuestion] = field(default_factory=list)
    suggested: bool = False  # the activity's own principles (else the plan's in focus)


def _version_questions(plan: Plan) -> QuerySet[ReflectionQuestion]:
    return (
        ReflectionQuestion.objects.filter(item__version_id=plan.rollout.framework_version_id)
        .select_related("item")
        .order_by("item__position", "position", "id")
    )


def question_choices(*, activity: Activity) -> list[QuestionGroup]:
    """The plan's framework version's reflection questions: those of the activity's
    principles first (else the plan's principles in focus), one group a principle, then all
    the others in the framework's order. Two queries."""
    plan = activity.plan
    chosen = list(activity.principles.all()) or list(plan.focus_principles.all())
    chosen_ids = {item.pk for item in chosen}
    by_item: dict[int, list[ReflectionQuestion]] = {}
    others = QuestionGroup(label=_("Other questions from the framework"))
    for question in _version_questions(plan):
        if question.item_id in chosen_ids:
            by_item.setdefault(question.item_id, []).append(question)
        else:
            others.questions.append(question)
    groups = [
        QuestionGroup(label=item.heading, questions=by_item[item.pk], suggested=True)
        for item in sorted(chosen, key=lambda i: i.position)
        if item.pk in by_item
    ]
    if others.questions:
        groups.append(others)
    return groups


def question_choices_queryset(*, activity: Activity) -> QuerySet[ReflectionQuestion]:
    """What the form accepts: every reflection question of the plan's framework version."""
    return _version_questions(activity.plan)


# --- Asking -------------------------------------------------------------------------------------


def _check_ask(activity: Activity, questions: Sequence[ReflectionQuestion], by: Person) -> None:
    if activity.responsible_id is None or by.pk != activity.responsible_id:
        raise ValidationError(_("Only the person responsible for the activity can ask the participants questions."))
    if not questions_open(activity):
        raise ValidationError({"questions": closed_message(activity)})
    already = list(activity.questions.all())
    if not questions:
        raise ValidationError({"questions": _("Choose one or two questions.")})
    if len(already) + len(questions) > ActivityQuestion.MAX_PER_ACTIVITY:
        left = ActivityQuestion.MAX_PER_ACTIVITY - len(already)
        message = (
            _("The participants have been asked two questions already: no more can be asked.")
            if left <= 0
            else _("Choose at most one more question: an activity has at most two.")
            if left == 1
            else _("Choose at most two questions.")
        )
        raise ValidationError({"questions": message})
    version_id = activity.plan.rollout.framework_version_id
    if any(q.item.version_id != version_id for q in questions):
        raise ValidationError({"questions": _("Choose questions from the plan's framework.")})
    asked = {q.source_id for q in already}
    if any(q.pk in asked for q in questions) or len({q.pk for q in questions}) != len(questions):
        raise ValidationError({"questions": _("The participants have been asked that question already.")})
    if activity.participants.count() < MIN_GROUP_SIZE:
        raise ValidationError(
            {
                "questions": _(
                    "Questions can be asked when at least %(n)d people take part: the answers are shown only "
                    "when at least %(n)d have answered. Add the participants to the activity first."
                )
                % {"n": MIN_GROUP_SIZE}
            }
        )


@transaction.atomic
def activity_questions_ask(
    *, activity: Activity, questions: Sequence[ReflectionQuestion], by: Person
) -> list[ActivityQuestion]:
    """Ask those taking part one or two reflection questions ahead of the meeting, and tell
    them (a notice and an e-mail naming the activity and its date)."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("plan__rollout", "plan__unit", "responsible")
        .get(pk=activity.pk)
    )
    _check_ask(activity, questions, by)
    now = timezone.now()
    start = activity.questions.count() + 1
    made = ActivityQuestion.objects.bulk_create(
        ActivityQuestion(
            activity=activity,
            position=start + n,
            source=q,
            item_key=q.item.key,
            text=q.text,
            asked_by=by,
            asked_at=now,
        )
        for n, q in enumerate(questions)
    )
    _tell_participants(activity=activity, by=by, questions=made)
    return made


def page_url(activity: Activity) -> str:
    return reverse("dialogues:activity_questions", args=[activity.plan_id, activity.pk])


def _tell_participants(*, activity: Activity, by: Person, questions: list[ActivityQuestion]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        names = {"who": by.name, "activity": activity.title}
        when = _when(activity)
        if when:
            title = _("%(who)s asks you to answer questions before “%(activity)s” on %(when)s") % {
                **names,
                "when": when,
            }
        else:
            title = _("%(who)s asks you to answer questions before “%(activity)s”") % names
        context = {
            "activity": activity.title,
            "unit": activity.plan.unit.name,
            "when": when,
            "who": by.name,
            "questions": [q.text for q in questions],
        }
    for person in activity.participants.select_related("user").exclude(pk=by.pk):
        if person.user is None:
            continue
        notify(
            recipient=person.user,
            kind=NOTICE_KIND,
            target=activity,
            title=title,
            url=page_url(activity),
            context=context,
            key=f"questions-{questions[0].pk}",
        )


# --- Answering ----------------------------------------------------------------------------------


def answer_seen_token(*, answer: ActivityAnswer | None) -> str:
    if answer is None:
        return seen_token(number=0, values={"text": ""})
    return seen_token(number=answer.lock_version, values={"text": answer.text})


def _clean_answer(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your answer.")})
    if len(text) > ActivityAnswer.MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The answer can be at most %(max)d characters (it has %(n)d).")
                % {"max": ActivityAnswer.MAX_LENGTH, "n": len(text)}
            }
        )
    return text


@transaction.atomic
def activity_answer_save(
    *, question: ActivityQuestion, person: Person, text: str, version: Seen | None = None
) -> ActivityAnswer:
    """A participant's answer (a new one, or their earlier answer changed) before the
    meeting starts. `version` is what the form was loaded from: a save over a change made
    meanwhile in another window raises VersionConflict."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("plan").get(pk=question.activity_id)
    if not activity.participants.filter(pk=person.pk).exists():
        raise ValidationError(_("Only those taking part in the activity can answer its questions."))
    if not questions_open(activity):
        raise ValidationError({"text": closed_message(activity)})
    text = _clean_answer(text)
    now = timezone.now()
    answer = ActivityAnswer.objects.select_for_update().filter(question=question, person=person).first()
    if answer is None:
        version_check(seen=version, number=0, theirs={"text": ""}, yours={"text": text})
        answer = ActivityAnswer.objects.create(
            question=question, person=person, text=text, answered_at=now, changed_at=now
        )
    else:
        version_check(seen=version, number=answer.lock_version, theirs={"text": answer.text}, yours={"text": text})
        answer.text, answer.changed_at = text, now
        answer.lock_version += 1
        answer.save(update_fields=["text", "changed_at", "lock_version"])
    if person.user_id and not activity.questions.exclude(answers__person=person).exists():
        # Every question answered: the notice has done its work.
        notifications_clear(target=activity, kinds=[NOTICE_KIND], recipient=person.user)
    return answer


# --- What the page, the guide and the presentation show -----------------------------------------


@dataclass
class QuestionView:
    """A question as shown: the answers without names (None below the threshold), how many
    have answered, and the reader's own answer (to change it)."""

    question: ActivityQuestion
    answered: int
    answers: list[str] | None
    own: ActivityAnswer | None = None

    @property
    def waiting_for(self) -> int:
        return max(0, MIN_GROUP_SIZE - self.answered)


def shown_answers(texts: Sequence[str]) -> list[str] | None:
    """The rule of three: the answers, in an order that says nothing of who or when (by
    their text), once at least MIN_GROUP_SIZE people have answered; else None."""
    if len(texts) < MIN_GROUP_SIZE:
        return None
    return sorted(texts, key=lambda t: (t.casefold(), t))


def activity_questions_shown(*, activity: Activity, person: Person | None = None) -> list[QuestionView]:
    """The activity's questions with what everyone who may read the activity sees (two
    queries, whatever the number of answers)."""
    questions = activity.questions.prefetch_related(
        Prefetch(
            "answers", queryset=ActivityAnswer.objects.only("id", "question_id", "person_id", "text", "lock_version")
        )
    )
    views = []
    for q in questions:
        answers = list(q.answers.all())
        own = next((a for a in answers if person is not None and a.person_id == person.pk), None)
        views.append(
            QuestionView(question=q, answered=len(answers), answers=shown_answers([a.text for a in answers]), own=own)
        )
    return views


__all__ = [
    "MIN_GROUP_SIZE",
    "NOTICE_KIND",
    "QuestionGroup",
    "QuestionView",
    "activity_answer_save",
    "activity_questions_ask",
    "activity_questions_shown",
    "answer_seen_token",
    "closed_message",
    "meeting_starts_at",
    "question_choices",
    "question_choices_queryset",
    "questions_open",
    "shown_answers",
]
