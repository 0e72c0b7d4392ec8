"""End to end: a real Celery worker on the real Redis runs the sweep and delivers through a
real SMTP server started by the test; a refused send is retried with backoff."""

import email
import email.policy
import os
import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from ledelse.celery import make_app
from ledelse.notifications.models import Reminder
from tests.notifications.conftest import users_rule

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_app(settings):
    # Short backoff so the retry comes within the test (read when the app makes its tasks).
    settings.REMINDER_RETRY_BACKOFF = 1
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.control.purge()  # nothing left over from an earlier run
    return app


def _wait_for_state(pk: int, state: str, timeout: float = 20) -> Reminder:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reminder = Reminder.objects.get(pk=pk)
        if reminder.state == state:
            return reminder
        time.sleep(0.1)
    return Reminder.objects.get(pk=pk)


def _wait(condition, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_real_worker_sweeps_and_delivers_one_e_mail_by_smtp(org, rules, smtp_server, worker_app):
    unit = org.units["A1"]
    sweeps = []

    def rule(*, today):
        sweeps.append(today)
        yield from users_rule([org.users["leader"]], unit, due_on=date(2026, 9, 1))(today=today)

    rules("tests.worker", rule)
    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        worker_app.send_task("notifications.sweep_reminders")
        smtp_server.handler.wait_for(1)
        reminder = _wait_for_state(Reminder.objects.get().pk, Reminder.State.SENT)
        # A second sweep on the worker claims nothing new and sends nothing.
        worker_app.send_task("notifications.sweep_reminders")
        assert _wait(lambda: len(sweeps) == 2)
        time.sleep(0.5)
    assert len(smtp_server.handler.messages) == 1
    (envelope,) = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["leder@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Aktiviteten nærmer sig"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"https://ledelse.example.org/test/{unit.pk}/"
    assert link in text and f'href="{link}"' in html
    assert reminder.state == Reminder.State.SENT and reminder.attempts == 1
    assert reminder.sent_at <= timezone.now()


def test_a_refused_send_is_retried_and_delivered_once(org, rules, smtp_server, worker_app):
    smtp_server.handler.refuse = 2
    rules("tests.worker", users_rule([org.users["leader"]], org.units["A1"], due_on=date(2026, 9, 1)))
    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        worker_app.send_task("notifications.sweep_reminders")
        smtp_server.handler.wait_for(1, timeout=30)
        reminder = _wait_for_state(Reminder.objects.get().pk, Reminder.State.SENT)
    assert smtp_server.handler.refused == 2
    assert len(smtp_server.handler.messages) == 1
    assert reminder.state == Reminder.State.SENT
    assert reminder.attempts == 3 and reminder.last_error == ""


def test_a_send_refused_to_the_end_is_marked_failed_for_the_admin(org, rules, smtp_server, worker_app, settings):
    settings.REMINDER_MAX_RETRIES = 1
    smtp_server.handler.refuse = 100
    rules("tests.worker", users_rule([org.users["leader"]], org.units["A1"], due_on=date(2026, 9, 1)))
    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        worker_app.send_task("notifications.sweep_reminders")
        assert _wait(lambda: Reminder.objects.filter(state=Reminder.State.FAILED).exists())
    reminder = Reminder.objects.get()
    assert reminder.attempts == 2 and "451" in reminder.last_error
    assert smtp_server.handler.refused == 2 and smtp_server.handler.messages == []


def test_a_reminder_whose_task_was_lost_is_sent_once_by_the_next_sweep_on_the_worker(
    org, smtp_server, worker_app, settings
):
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType

    unit = org.units["A1"]
    # Claimed an hour ago; its task went into a broker that restarted empty.
    reminder = Reminder.objects.create(
        recipient=org.users["leader"],
        kind="notice",
        target_type=ContentType.objects.get_for_model(unit),
        target_id=unit.pk,
        due_on=date(2026, 9, 1),
        title="Aktiviteten nærmer sig",
        url="/",
        enqueued_at=timezone.now() - timedelta(seconds=settings.REMINDER_REQUEUE_AFTER + 60),
    )
    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        worker_app.send_task("notifications.sweep_reminders")
        reminder = _wait_for_state(reminder.pk, Reminder.State.SENT)
        worker_app.send_task("notifications.sweep_reminders")
        smtp_server.handler.wait_for(2, timeout=2)
    assert reminder.state == Reminder.State.SENT
    assert len(smtp_server.handler.messages) == 1
