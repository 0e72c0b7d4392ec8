"""Sending one claimed reminder: only a pending one, once, as the person chose."""

import smtplib
from datetime import date

import pytest

from ledelse.notifications.models import NotificationSettings, Reminder
from ledelse.notifications.services import reminder_mark_failed, reminder_send, reminders_claim
from tests.notifications.conftest import due_for

DAY = date(2026, 9, 1)


@pytest.fixture
def reminder(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY, title="Temadag om dialog")])
    return Reminder.objects.get()


def test_it_sends_a_danish_e_mail_in_text_and_html_with_an_absolute_link(reminder, mailoutbox):
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT
    (message,) = mailoutbox
    assert message.to == ["leder@example.org"]
    assert message.subject == "Temadag om dialog"
    link = f"https://ledelse.example.org/test/{reminder.target_id}/"
    assert "Kære Lene Leder" in message.body and link in message.body
    assert "Du har fået en ny notifikation" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html and "Temadag om dialog" in html
    assert "https://ledelse.example.org/notifikationer/" in html
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.attempts == 1


def test_a_sent_reminder_is_not_sent_again(reminder, mailoutbox):
    reminder_send(reminder_id=reminder.pk)
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT
    assert len(mailoutbox) == 1


def test_it_sends_only_a_pending_one(reminder, mailoutbox):
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.FAILED)
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.FAILED
    assert mailoutbox == []


def test_a_reminder_deleted_meanwhile_is_skipped(reminder, mailoutbox):
    reminder.delete()
    assert reminder_send(reminder_id=reminder.pk) == "missing"
    assert mailoutbox == []


def test_a_weekly_reader_gets_it_in_the_digest_instead(reminder, mailoutbox):
    NotificationSettings.objects.create(user=reminder.recipient, delivery=NotificationSettings.Delivery.WEEKLY)
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.DIGEST
    assert mailoutbox == []


def test_without_an_address_it_fails_visibly(reminder, mailoutbox):
    user = reminder.recipient
    user.email = ""
    user.save()
    user.person.email = ""
    user.person.save()
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.FAILED
    reminder.refresh_from_db()
    assert reminder.last_error == "No e-mail address."
    assert mailoutbox == []


def test_an_inactive_account_gets_no_e_mail(reminder, mailoutbox):
    reminder.recipient.is_active = False
    reminder.recipient.save()
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.FAILED
    assert mailoutbox == []


def test_a_refused_send_raises_for_the_retry_and_records_the_attempt(reminder, smtp_server):
    smtp_server.handler.refuse = 1
    with pytest.raises(smtplib.SMTPDataError):
        reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING
    assert reminder.attempts == 1 and "451" in reminder.last_error
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT
    assert len(smtp_server.handler.wait_for(1)) == 1
    reminder.refresh_from_db()
    assert reminder.attempts == 2 and reminder.last_error == ""


def test_an_unreachable_server_raises_for_the_retry(reminder, settings):
    from tests.notifications.conftest import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with pytest.raises(OSError):
        reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING and reminder.attempts == 1


def test_marking_failed_touches_only_a_pending_one(reminder):
    assert reminder_mark_failed(reminder_id=reminder.pk, error="SMTPDataError: 451") is True
    assert reminder_mark_failed(reminder_id=reminder.pk, error="again") is False
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.FAILED and reminder.last_error == "SMTPDataError: 451"


def test_sending_takes_a_fixed_number_of_queries(reminder, django_assert_max_num_queries):
    # Take the row and mark it being sent (savepoint, lock, update, release), send with no
    # lock held, record it sent: one more than when the lock was held across the SMTP call.
    with django_assert_max_num_queries(5):
        reminder_send(reminder_id=reminder.pk)
