"""The sweep: every registered rule, claimed once, lost tasks found again, bounded queries."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from ledelse.models import Person
from ledelse.notifications.models import Reminder
from ledelse.notifications.services import reminders_claim, reminders_sweep
from tests.notifications.conftest import due_for, users_rule

DAY = date(2026, 9, 1)


def test_running_the_sweep_twice_sends_one_e_mail(org, rules, mailoutbox, django_capture_on_commit_callbacks):
    rules("tests.one", users_rule([org.users["leader"]], org.units["A1"]))
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_sweep(today=DAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_sweep(today=DAY)
    assert first.claimed["tests.one"] == 1 and second.claimed["tests.one"] == 0
    assert len(mailoutbox) == 1
    assert Reminder.objects.get().state == Reminder.State.SENT


def test_the_next_day_is_a_new_reminder(org, rules, mailoutbox, django_capture_on_commit_callbacks):
    rules("tests.one", users_rule([org.users["leader"]], org.units["A1"]))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(today=DAY)
        reminders_sweep(today=DAY + timedelta(days=1))
    assert len(mailoutbox) == 2


def test_a_broken_rule_does_not_stop_the_others(org, rules, mailoutbox, django_capture_on_commit_callbacks):
    def broken(*, today):
        raise RuntimeError("a bug in one app")
        yield

    rules("tests.broken", broken)
    rules("tests.one", users_rule([org.users["leader"]], org.units["A1"]))
    with django_capture_on_commit_callbacks(execute=True):
        report = reminders_sweep(today=DAY)
    assert report.errors == {"tests.broken": "RuntimeError"}
    assert report.claimed["tests.one"] == 1 and len(mailoutbox) == 1


def _people_rule(*, today):
    """Reads like a real rule: one query per chunk, never one per person."""
    people = Person.objects.select_related("user", "unit").filter(user__isnull=False, employee_id__startswith="Q")
    for person in people.iterator(chunk_size=200):
        yield due_for(person.user, person.unit, due_on=today)


def _add_people(org, count: int, start: int) -> None:
    from ledelse.models import User

    unit = org.units["A1a"]
    for i in range(start, start + count):
        user = User.objects.create(username=f"q{i}", email=f"q{i}@example.org")
        Person.objects.create(user=user, employee_id=f"Q{i}", name=f"Q {i}", unit=unit)


@pytest.mark.parametrize("batch_size", [100, 7])
def test_the_sweep_takes_the_same_queries_for_few_and_many_people(
    org, rules, django_capture_on_commit_callbacks, batch_size
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rules("tests.people", _people_rule)
    reminders_sweep(today=DAY - timedelta(days=1), batch_size=batch_size)  # warm the ContentType cache

    def run(day):
        with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as captured:
            report = reminders_sweep(today=day, batch_size=batch_size)
        return len(captured.captured_queries), report.total_claimed

    _add_people(org, 3, 0)
    few, claimed_few = run(DAY)
    _add_people(org, 3, 3)
    many, claimed_many = run(DAY + timedelta(days=1))
    assert (claimed_few, claimed_many) == (3, 6)
    assert few == many


def test_the_sweep_claims_in_batches_not_per_person(org, rules, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rules("tests.people", _people_rule)
    _add_people(org, 30, 0)
    reminders_sweep(today=DAY - timedelta(days=1))  # warm the ContentType cache
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as captured:
        report = reminders_sweep(today=DAY, batch_size=10)
    assert report.total_claimed == 30
    # The rule's one cursor, 3 batches x (savepoint, insert, select claimed, release) and
    # the lost-task check (savepoint, select, release): not one query per person.
    assert len(captured.captured_queries) == 1 + 3 * 4 + 3


def test_a_pending_reminder_whose_task_was_lost_is_sent_once_by_the_next_sweep(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    # Claimed, enqueued, and the broker restarted empty: the task never ran.
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY)])
    long_ago = timezone.now() - timedelta(seconds=settings.REMINDER_REQUEUE_AFTER + 60)
    Reminder.objects.update(enqueued_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_sweep(today=DAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_sweep(today=DAY)
    assert (first.requeued, second.requeued) == (1, 0)
    assert len(mailoutbox) == 1
    assert Reminder.objects.get().state == Reminder.State.SENT


def test_a_recently_enqueued_reminder_is_left_to_its_task(org, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY)])
    with django_capture_on_commit_callbacks(execute=True):
        report = reminders_sweep(today=DAY)
    assert report.requeued == 0 and mailoutbox == []


def test_a_failed_reminder_is_not_re_sent_by_the_sweep(org, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY)])
    Reminder.objects.update(state=Reminder.State.FAILED, enqueued_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep(today=DAY).requeued == 0
    assert mailoutbox == []


def test_the_command_runs_the_sweep_for_a_given_day(org, rules, mailoutbox, capsys, django_capture_on_commit_callbacks):
    seen = []

    def rule(*, today):
        seen.append(today)
        yield due_for(org.users["leader"], org.units["A1"], due_on=today)

    rules("tests.command", rule)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-09-01")
    assert seen == [DAY]
    assert "1 new" in capsys.readouterr().out
    assert len(mailoutbox) == 1


def test_the_command_fails_when_a_rule_fails(org, rules):
    def broken(*, today):
        raise RuntimeError("bug")

    rules("tests.broken", broken)
    with pytest.raises(CommandError, match=r"tests\.broken"):
        call_command("send_reminders", "--today", "2026-09-01")


def test_beat_runs_the_sweep_hourly_and_the_digest_on_monday_mornings():
    from ledelse.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-reminders"]["task"] == "notifications.sweep_reminders"
    assert schedule["weekly-digests"]["task"] == "notifications.send_weekly_digests"
    digest = schedule["weekly-digests"]["schedule"]
    assert digest.day_of_week == {1} and digest.hour == {7} and digest.minute == {0}
    assert schedule["sweep-reminders"]["schedule"].hour == set(range(24))
    assert app.conf.timezone == "Europe/Copenhagen"
    assert {"notifications.sweep_reminders", "notifications.send_weekly_digests"} <= set(app.tasks.keys())
