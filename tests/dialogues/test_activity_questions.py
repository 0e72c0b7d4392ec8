"""Questions before a dialogue meeting (issue 24), as services: only the person responsible
asks, one or two questions of the plan's framework; only those taking part answer; both close
when the meeting starts; the answers are shown without names once three have answered (the
same rule of three as the LUS figures: ledelse.privacy)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialogues import activity_questions as aq
from dialogues import services
from dialogues.models import Activity, ActivityAnswer, ActivityQuestion, Plan
from ledelse import privacy
from ledelse.models import Person
from ledelse.notifications.models import Reminder
from lus import masking
from tests.dialogues.conftest import activity_data, in_days
from values.models import ReflectionQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org, plan, principles, colleagues, reflection) -> Activity:
    return services.activity_create(
        plan=plan,
        data=activity_data(
            org,
            title="Dialogmøde om tillid",
            date=in_days(10),
            start_time=time(9, 0),
            end_time=time(10, 0),
            principles=(principles[1],),
            participants=(org.people["employee"], org.people["leader2"], *colleagues),
        ),
    )


def ask(org, meeting, *questions, by="leader2"):
    return aq.activity_questions_ask(activity=meeting, questions=list(questions), by=org.people[by])


def answer(question, person, text="Et svar"):
    return aq.activity_answer_save(question=question, person=person, text=text)


# --- The shared threshold ---------------------------------------------------------------------


def test_the_rule_of_three_is_one_constant_shared_with_the_lus_figures():
    assert privacy.MIN_GROUP_SIZE == 3
    assert masking.MIN_COUNT is privacy.MIN_GROUP_SIZE
    assert aq.MIN_GROUP_SIZE is privacy.MIN_GROUP_SIZE


# --- What is offered --------------------------------------------------------------------------


def test_the_activitys_principles_questions_are_offered_first(org, meeting, principles, reflection):
    groups = aq.question_choices(activity=meeting)
    assert groups[0].suggested and groups[0].label == principles[1].heading
    assert groups[0].questions == reflection[principles[1].key]
    others = groups[-1]
    assert not others.suggested and reflection["theme"][0] in others.questions
    assert reflection[principles[0].key][0] in others.questions
    assert sum(len(g.questions) for g in groups) == ReflectionQuestion.objects.count()


# --- Asking -----------------------------------------------------------------------------------


def test_the_responsible_person_asks_and_the_text_and_its_source_are_kept(org, meeting, principles, reflection):
    q1, q2 = reflection[principles[1].key]
    made = ask(org, meeting, q1, q2)
    assert [(q.position, q.text, q.item_key, q.source_id) for q in made] == [
        (1, q1.text, principles[1].key, q1.pk),
        (2, q2.text, principles[1].key, q2.pk),
    ]
    q1.text = "Ændret i administrationen"
    q1.save()
    assert ActivityQuestion.objects.get(pk=made[0].pk).text == "Hvordan arbejder vi med " + principles[1].title + "?"


@pytest.mark.parametrize("who", ["leader", "employee", "koncern"])
def test_only_the_responsible_person_asks(org, meeting, principles, reflection, who):
    with pytest.raises(ValidationError, match="Kun den ansvarlige"):
        ask(org, meeting, reflection[principles[1].key][0], by=who)
    assert not ActivityQuestion.objects.exists()


def test_at_most_two_questions_in_all(org, meeting, principles, reflection):
    q1, q2 = reflection[principles[1].key]
    with pytest.raises(ValidationError, match="højst to"):
        ask(org, meeting, q1, q2, reflection["theme"][0])
    ask(org, meeting, q1)
    with pytest.raises(ValidationError, match="højst ét spørgsmål mere"):
        ask(org, meeting, q2, reflection["theme"][0])
    ask(org, meeting, q2)
    with pytest.raises(ValidationError, match="allerede fået to spørgsmål"):
        ask(org, meeting, reflection["theme"][0])
    assert meeting.questions.count() == 2


def test_the_database_holds_at_most_two_questions_an_activity(org, meeting):
    now = timezone.now()
    for position in (1, 2):
        ActivityQuestion.objects.create(activity=meeting, position=position, item_key="x", text="?", asked_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityQuestion.objects.create(activity=meeting, position=3, item_key="x", text="?", asked_at=now)


def test_a_question_is_asked_once_and_one_is_needed(org, meeting, principles, reflection):
    q1 = reflection[principles[1].key][0]
    with pytest.raises(ValidationError, match="Vælg et eller to"):
        ask(org, meeting)
    ask(org, meeting, q1)
    with pytest.raises(ValidationError, match="allerede"):
        ask(org, meeting, q1)


def test_a_question_of_another_framework_is_refused(org, meeting, other_framework):
    item = other_framework.current_version.items.filter(kind="principle").first()
    foreign = ReflectionQuestion.objects.create(item=item, text="Fremmed spørgsmål?")
    with pytest.raises(ValidationError, match="planens ledelsesgrundlag"):
        ask(org, meeting, foreign)


def test_questions_need_at_least_three_taking_part(org, plan, principles, reflection):
    small = services.activity_create(
        plan=plan,
        data=activity_data(org, date=in_days(5), participants=(org.people["employee"], org.people["leader2"])),
    )
    with pytest.raises(ValidationError, match="mindst 3 deltager"):
        ask(org, small, reflection[principles[1].key][0])


def test_the_participants_are_told_with_the_activity_and_its_date(
    org, meeting, principles, reflection, colleagues, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(org, meeting, reflection[principles[1].key][0])
    told = Reminder.objects.filter(kind=aq.NOTICE_KIND)
    # Everyone taking part but the one who asked.
    assert {r.recipient.username for r in told} == {"employee", "mette", "niels"}
    title = told.first().title
    assert "Lars Leder To" in title and "“Dialogmøde om tillid”" in title
    assert aq.meeting_starts_at(meeting).strftime("%Y") in title and "kl. 09.00" in title
    assert told.first().url == f"/planer/{meeting.plan_id}/aktiviteter/{meeting.pk}/spoergsmaal/"
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject == title
    assert reflection[principles[1].key][0].text in message.body
    assert "mindst tre har svaret" in message.body


def test_the_notice_clears_when_every_question_is_answered(org, meeting, principles, reflection):
    q1, q2 = ask(org, meeting, *reflection[principles[1].key])
    employee = org.people["employee"]
    answer(q1, employee)
    assert Reminder.objects.get(kind=aq.NOTICE_KIND, recipient=employee.user).cleared_at is None
    answer(q2, employee)
    assert Reminder.objects.get(kind=aq.NOTICE_KIND, recipient=employee.user).cleared_at is not None
    assert Reminder.objects.filter(kind=aq.NOTICE_KIND, cleared_at__isnull=True).count() == 2


# --- Answering --------------------------------------------------------------------------------


def test_a_participant_answers_and_changes_the_answer(org, meeting, principles, reflection):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    employee = org.people["employee"]
    first = answer(q, employee, "  Vi taler sammen hver dag.  ")
    assert first.text == "Vi taler sammen hver dag."
    again = answer(q, employee, "Vi taler sammen hver uge.")
    assert again.pk == first.pk and again.text == "Vi taler sammen hver uge." and again.lock_version == 2
    assert ActivityAnswer.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "leader3", "koncern"])
def test_only_those_taking_part_answer(org, meeting, principles, reflection, who):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    with pytest.raises(ValidationError, match="Kun deltagerne"):
        answer(q, org.people[who])
    assert not ActivityAnswer.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 1_001])
def test_an_empty_or_too_long_answer_is_refused(org, meeting, principles, reflection, text):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    with pytest.raises(ValidationError):
        answer(q, org.people["employee"], text)
    assert not ActivityAnswer.objects.exists()


def test_an_answer_saved_meanwhile_elsewhere_is_a_conflict(org, meeting, principles, reflection):
    from ledelse.concurrency.versions import Seen, VersionConflict

    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    employee = org.people["employee"]
    seen = Seen.parse(aq.answer_seen_token(answer=None))
    answer(q, employee, "Fra det ene vindue")
    with pytest.raises(VersionConflict):
        aq.activity_answer_save(question=q, person=employee, text="Fra det andet vindue", version=seen)
    assert ActivityAnswer.objects.get().text == "Fra det ene vindue"


# --- Closed once the meeting starts -----------------------------------------------------------


def _move(meeting: Activity, **fields) -> None:
    Activity.objects.filter(pk=meeting.pk).update(**fields)
    meeting.refresh_from_db()


def test_asking_and_answering_close_when_the_meeting_starts(org, meeting, principles, reflection):
    (q,) = ask(org, meeting, reflection[principles[0].key][0])
    now = timezone.localtime()
    _move(meeting, date=now.date(), start_time=(now + timedelta(minutes=2)).time(), end_time=None)
    if meeting.start_time < now.time():  # just before midnight: the next day's first minutes
        _move(meeting, date=now.date() + timedelta(days=1))
    answer(q, org.people["employee"])  # still open
    _move(meeting, date=now.date(), start_time=(now - timedelta(minutes=1)).time())
    if meeting.start_time > now.time():  # just after midnight
        _move(meeting, date=now.date() - timedelta(days=1))
    assert not aq.questions_open(meeting)
    with pytest.raises(ValidationError, match="Mødet er begyndt"):
        answer(q, org.people["employee"], "For sent")
    with pytest.raises(ValidationError, match="Mødet er begyndt"):
        ask(org, meeting, reflection[principles[1].key][0])
    assert ActivityAnswer.objects.get().text == "Et svar"


def test_a_day_without_a_time_closes_when_the_day_begins():
    activity = Activity(date=timezone.localdate(), status=Activity.Status.PLANLAGT)
    plan = Plan(state=Plan.State.GODKENDT)
    assert not aq.questions_open(activity, plan=plan)
    activity.date = in_days(1)
    assert aq.questions_open(activity, plan=plan)
    starts = aq.meeting_starts_at(activity)
    assert starts == datetime.combine(in_days(1), time(0, 0), tzinfo=timezone.get_default_timezone())
    assert not aq.questions_open(activity, plan=plan, now=starts)
    assert aq.questions_open(activity, plan=plan, now=starts - timedelta(seconds=1))


@pytest.mark.parametrize("status", [Activity.Status.GENNEMFOERT, Activity.Status.AFLYST])
def test_a_done_or_cancelled_activity_is_closed(org, meeting, principles, reflection, status):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    _move(meeting, status=status)
    with pytest.raises(ValidationError, match="Aktiviteten er slut"):
        answer(q, org.people["employee"])


def test_a_completed_plan_closes_its_activities(org, meeting, plan, principles, reflection):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.AFSLUTTET)
    with pytest.raises(ValidationError, match="Aktiviteten er slut"):
        answer(q, org.people["employee"])


def test_an_activity_without_a_date_is_open():
    assert aq.questions_open(Activity(status=Activity.Status.PLANLAGT), plan=Plan(state=Plan.State.KLADDE))


# --- Shown without names, from three answers --------------------------------------------------


def test_the_answers_show_from_three_without_names_in_an_order_that_names_no_one(
    org, meeting, principles, reflection, colleagues
):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    answer(q, colleagues[0], "Åbenhed i gruppen")
    answer(q, org.people["employee"], "vi lytter")
    (view,) = aq.activity_questions_shown(activity=meeting)
    assert view.answered == 2 and view.answers is None and view.waiting_for == 1
    answer(q, colleagues[1], "Bedre overlap")
    (view,) = aq.activity_questions_shown(activity=meeting, person=colleagues[1])
    assert view.answered == 3
    # By the text, not by who or when.
    assert view.answers == ["Bedre overlap", "vi lytter", "Åbenhed i gruppen"]
    assert view.own.text == "Bedre overlap"
    assert not any(isinstance(a, Person) for a in view.answers)


def test_three_answers_by_the_same_person_are_one(org, meeting, principles, reflection):
    (q,) = ask(org, meeting, reflection[principles[1].key][0])
    for text in ("En", "To", "Tre"):
        answer(q, org.people["employee"], text)
    (view,) = aq.activity_questions_shown(activity=meeting)
    assert view.answered == 1 and view.answers is None


def test_the_shown_answers_read_in_two_queries(
    org, meeting, principles, reflection, colleagues, django_assert_max_num_queries
):
    q1, q2 = ask(org, meeting, *reflection[principles[1].key])
    for p in (*colleagues, org.people["employee"]):
        answer(q1, p)
        answer(q2, p)
    with django_assert_max_num_queries(2):
        views = aq.activity_questions_shown(activity=meeting)
    assert [v.answered for v in views] == [3, 3]
