"""The tasks as Celery runs them, in-process here; tests/notifications/test_worker.py runs
them on a real worker. The project's CELERY_TASK_EAGER_PROPAGATES raises the first Retry
instead of retrying in-process, so these tests turn it off to follow the whole chain."""

from datetime import date

import pytest

from ledelse.notifications import tasks
from ledelse.notifications.models import Reminder
from ledelse.notifications.services import reminders_claim
from tests.notifications.conftest import due_for


@pytest.fixture(autouse=True)
def _retry_in_process():
    from ledelse.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


@pytest.fixture
def reminder(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=date(2026, 9, 1))])
    return Reminder.objects.get()


def test_the_send_task_acknowledges_late_and_retries_with_backoff():
    task = tasks.send_reminder
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert task.autoretry_for and task.max_retries == 5  # REMINDER_MAX_RETRIES
    assert task.retry_backoff and task.retry_backoff_max <= 600


def test_a_refused_send_is_retried_then_delivered(reminder, smtp_server):
    smtp_server.handler.refuse = 2
    tasks.send_reminder.delay(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SENT and reminder.attempts == 3
    assert len(smtp_server.handler.messages) == 1


def test_a_send_refused_every_time_is_marked_failed_after_the_last_retry(reminder, smtp_server):
    smtp_server.handler.refuse = 100
    result = tasks.send_reminder.delay(reminder.pk)
    assert result.state == "FAILURE"
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.FAILED
    assert reminder.attempts == 1 + tasks.send_reminder.max_retries
    assert "451" in reminder.last_error
    assert smtp_server.handler.messages == []


def test_a_template_error_fails_at_once_without_retries(reminder, mailoutbox):
    Reminder.objects.filter(pk=reminder.pk).update(kind="no-such-kind")
    result = tasks.send_reminder.delay(reminder.pk)
    assert result.state == "FAILURE"
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.FAILED and mailoutbox == []
    assert reminder.attempts == 0 and "no-such-kind" in reminder.last_error
