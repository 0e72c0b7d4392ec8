"""Workers that ride out outages (issue 17, point 5): a delivered message is never marked
failed; failed reminders are retried after an outage with growing pauses up to an age limit,
then given up with an administrator notice; a stalled SMTP server times out and holds no
row lock meanwhile; a send whose worker died is sent again once its lease has run out."""

from __future__ import annotations

import socket
import threading
from datetime import date, timedelta

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from ledelse.notifications import recovery
from ledelse.notifications.models import Reminder
from ledelse.notifications.services import (
    notifications_mark_all_read,
    reminder_mark_failed,
    reminder_send,
    reminders_resend,
)
from tests.notifications.conftest import Handler, free_port

DAY = date(2026, 9, 1)


def _reminder(org, **fields) -> Reminder:
    unit = org.units["A1"]
    return Reminder.objects.create(
        recipient=org.users["leader"],
        kind="notice",
        target_type=ContentType.objects.get_for_model(unit),
        target_id=unit.pk,
        due_on=DAY,
        title="Aktiviteten nærmer sig",
        url="/",
        **fields,
    )


class ConnectionKillingHandler(Handler):
    """Accepts the message, then ends the sender's database connection (as a database
    restart or a network cut between worker and database would)."""

    pid: int | None = None

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [self.pid])
        return answer


@pytest.mark.django_db(transaction=True)
def test_a_delivered_message_whose_database_connection_was_lost_is_recorded_sent(org, smtp_server):
    smtp_server.handler = handler = ConnectionKillingHandler()
    reminder = _reminder(org)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        handler.pid = cursor.fetchone()[0]
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT
    assert len(handler.messages) == 1
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SENT and reminder.sending_since is None


@pytest.mark.django_db
def test_a_send_that_may_have_been_delivered_is_never_marked_failed_nor_sent_again_by_the_admin(org):
    mail.outbox = []
    reminder = _reminder(org, sending_since=timezone.now())  # sent, recording lost
    assert reminder_mark_failed(reminder_id=reminder.pk, error="OperationalError") is False
    assert reminders_resend(reminder_ids=[reminder.pk]) == 0
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING
    # The task's retry records it, and sends nothing.
    assert reminder_send(reminder_id=reminder.pk, delivered=True) == Reminder.State.SENT
    assert mail.outbox == []


@pytest.mark.django_db
def test_failed_reminders_are_retried_with_growing_pauses_then_given_up_with_an_admin_notice(
    org, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_FAILED_RETRY_AFTER = 900
    settings.REMINDER_GIVE_UP_AFTER = 2 * 24 * 60 * 60
    reminder = _reminder(org)
    t0 = timezone.now()
    assert reminder_mark_failed(reminder_id=reminder.pk, error="SMTPServerDisconnected") is True
    Reminder.objects.filter(pk=reminder.pk).update(failed_at=t0)

    with django_capture_on_commit_callbacks() as enqueued:
        assert recovery.reminders_retry_failed(now=t0 + timedelta(minutes=10)) == 0
        assert recovery.reminders_retry_failed(now=t0 + timedelta(minutes=16)) == 1
    assert len(enqueued) == 1
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING and reminder.retry_rounds == 1
    # It fails again: the next pause is twice as long.
    reminder_mark_failed(reminder_id=reminder.pk, error="SMTPServerDisconnected")
    t1 = t0 + timedelta(minutes=17)
    Reminder.objects.filter(pk=reminder.pk).update(failed_at=t1)
    with django_capture_on_commit_callbacks():
        assert recovery.reminders_retry_failed(now=t1 + timedelta(minutes=20)) == 0
        assert recovery.reminders_retry_failed(now=t1 + timedelta(minutes=31)) == 1
    assert recovery.retry_pause(rounds=10) == timedelta(hours=6)

    # Past the age limit: given up, and the administrators are told once.
    reminder_mark_failed(reminder_id=reminder.pk, error="SMTPServerDisconnected")
    later = t0 + timedelta(days=3)
    Reminder.objects.filter(pk=reminder.pk).update(created_at=t0, failed_at=later - timedelta(hours=1))
    with django_capture_on_commit_callbacks():
        assert recovery.reminders_retry_failed(now=later) == 0
        assert recovery.reminders_give_up(now=later) == 1
        assert recovery.reminders_give_up(now=later + timedelta(minutes=5)) == 0
    reminder.refresh_from_db()
    assert reminder.given_up_at is not None and reminder.state == Reminder.State.FAILED
    notice = Reminder.objects.get(recipient=org.users["admin"])
    assert "opgivet" in notice.title and "state__exact=failed" in notice.url
    assert not Reminder.objects.filter(recipient=org.users["leader2"]).exists()


@pytest.mark.django_db
def test_a_reminder_refused_for_good_is_not_retried(org, django_capture_on_commit_callbacks):
    reminder = _reminder(org)
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.FAILED, last_error="No e-mail address.")
    with django_capture_on_commit_callbacks():
        assert recovery.reminders_retry_failed(now=timezone.now() + timedelta(days=1)) == 0


@pytest.mark.django_db
def test_a_send_whose_worker_died_is_sent_again_once_its_lease_has_run_out(
    org, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_SENDING_LEASE = 180
    settings.REMINDER_REQUEUE_AFTER = 300
    mail.outbox = []
    long_ago = timezone.now() - timedelta(minutes=10)
    reminder = _reminder(org, sending_since=long_ago, enqueued_at=long_ago)  # its worker was killed
    fresh = _reminder(org, key="b", sending_since=timezone.now(), enqueued_at=long_ago)  # being sent now
    with django_capture_on_commit_callbacks(execute=True):
        recovery.reminders_recover()
    assert Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENT
    assert Reminder.objects.get(pk=fresh.pk).state == Reminder.State.PENDING  # "sending": left alone
    assert len(mail.outbox) == 1


class StalledSmtpServer:
    """Accepts connections and never answers (an SMTP server that stalls)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", free_port()))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        try:
            while True:
                client, _addr = self.sock.accept()
                self.clients.append(client)
        except OSError:
            return

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.sock.close()


@pytest.mark.django_db(transaction=True)
def test_a_stalled_smtp_server_times_out_and_holds_no_row_lock_meanwhile(org, settings):
    stalled = StalledSmtpServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": stalled.port, "timeout": 2},
        }
    }
    reminder = _reminder(org)
    outcome: list = []

    def send():
        try:
            outcome.append(reminder_send(reminder_id=reminder.pk))
        except OSError as exc:
            outcome.append(exc)
        finally:
            connection.close()

    sender = threading.Thread(target=send)
    sender.start()
    try:
        # Meanwhile the row is not locked: "mark all read" and a NOWAIT lock go through.
        deadline = timezone.now() + timedelta(seconds=1)
        while not Reminder.objects.filter(pk=reminder.pk, sending_since__isnull=False).exists():
            assert timezone.now() < deadline
        with transaction.atomic():
            Reminder.objects.select_for_update(nowait=True).get(pk=reminder.pk)
        assert notifications_mark_all_read(user=org.users["leader"]) == 1
        sender.join(10)
    finally:
        stalled.close()
    assert isinstance(outcome[0], OSError)  # timed out: the task retries it
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING and reminder.sending_since is None and reminder.attempts == 1
