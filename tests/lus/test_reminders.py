"""LUS reminders through the shared mechanism: preparation open, the conversation in 7 days
with preparation not done, agreements not confirmed 14 days after, an agreement's date or a
follow-up come (escalated to the partner when left without status). Each goes out once, and
no e-mail holds anything of the LUS."""

import email
import email.policy
import os
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from ledelse.celery import make_app
from ledelse.notifications.models import Reminder
from ledelse.notifications.registry import rules
from ledelse.notifications.services import reminders_sweep
from lus import services
from lus.models import Conversation, Preparation
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db


def _sweep(day, capture):
    with capture(execute=True):
        return reminders_sweep(today=day)


def _sent(mailoutbox, about=""):
    return sorted((m.to[0], m.subject) for m in mailoutbox if about in m.subject)


def test_the_rules_are_registered_by_the_app():
    assert {"lus.preparation_open", "lus.conversation_soon", "lus.confirmation_overdue", "lus.agreements_due"} <= set(
        rules()
    )


def test_preparation_open_reminds_both_once(org, lus, mailoutbox, django_capture_on_commit_callbacks):
    _sweep(date(2026, 8, 14), django_capture_on_commit_callbacks)
    assert mailoutbox == []
    _sweep(date(2026, 8, 15), django_capture_on_commit_callbacks)
    _sweep(date(2026, 8, 16), django_capture_on_commit_callbacks)
    assert _sent(mailoutbox) == [
        # Each names the other person: leder gets two that say which LUS is which.
        ("koncern@example.org", "LUS med Lene Leder: din forberedelse er åben"),
        ("leder2@example.org", "LUS med Lene Leder: din forberedelse er åben"),
        ("leder@example.org", "LUS med Kirsten Koncern: din forberedelse er åben"),
        ("leder@example.org", "LUS med Lars Leder To: din forberedelse er åben"),
    ]
    link = f"https://ledelse.example.org/lus/{lus.conversation.pk}/forberedelse/"
    assert any(link in m.body for m in mailoutbox)


def test_a_prepared_party_is_not_reminded(org, lus, mailoutbox, django_capture_on_commit_callbacks):
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 3, 3])
    _sweep(date(2026, 8, 15), django_capture_on_commit_callbacks)
    assert "leder2@example.org" not in {m.to[0] for m in mailoutbox}


def test_the_conversation_in_7_days_reminds_who_has_not_prepared(
    org, lus, mailoutbox, django_capture_on_commit_callbacks
):
    prepare(lus.conversation, Preparation.Role.PARTNER, [3, 3, 3], share=False)
    Reminder.objects.all().delete()
    services.conversation_book(
        conversation=lus.conversation,
        starts_at=timezone.make_aware(datetime.combine(date(2026, 9, 20), clock(10))),
        location="Lokale",
    )
    mailoutbox.clear()
    _sweep(date(2026, 9, 12), django_capture_on_commit_callbacks)
    assert ("leder2@example.org", "LUS med Lene Leder: samtalen nærmer sig; din forberedelse venter") not in _sent(
        mailoutbox
    )
    mailoutbox.clear()
    _sweep(date(2026, 9, 13), django_capture_on_commit_callbacks)
    _sweep(date(2026, 9, 14), django_capture_on_commit_callbacks)
    soon = [m for m in _sent(mailoutbox) if m[1] == "LUS med Lene Leder: samtalen nærmer sig; din forberedelse venter"]
    assert soon == [("leder2@example.org", "LUS med Lene Leder: samtalen nærmer sig; din forberedelse venter")]


def test_unconfirmed_agreements_14_days_after_remind_who_has_not_confirmed(
    org, lus, mailoutbox, django_capture_on_commit_callbacks
):
    held(lus.conversation, lus.principles)  # held on 10 September
    services.record_confirm(conversation=lus.conversation, role=Preparation.Role.LEADER)
    mailoutbox.clear()
    _sweep(date(2026, 9, 23), django_capture_on_commit_callbacks)
    assert not [m for m in mailoutbox if "bekræftelse" in m.subject]
    _sweep(date(2026, 9, 24), django_capture_on_commit_callbacks)
    _sweep(date(2026, 9, 25), django_capture_on_commit_callbacks)
    assert [m for m in _sent(mailoutbox) if "bekræftelse" in m[1]] == [
        ("leder@example.org", "LUS med Lars Leder To: referatet venter stadig på din bekræftelse")
    ]


def test_an_agreement_date_reminds_the_leader_and_escalates_to_the_partner(
    org, lus, mailoutbox, django_capture_on_commit_callbacks
):
    held(lus.conversation, lus.principles, agreements=1)  # due 1 October
    Conversation.objects.filter(pk=lus.conversation.pk).update(state=Conversation.State.CONFIRMED)
    mailoutbox.clear()
    _sweep(date(2026, 10, 1), django_capture_on_commit_callbacks)
    _sweep(date(2026, 10, 2), django_capture_on_commit_callbacks)
    assert _sent(mailoutbox, "aftale") == [("leder2@example.org", "LUS med Lene Leder: en aftale har nået sin dato")]
    mailoutbox.clear()
    _sweep(date(2026, 10, 15), django_capture_on_commit_callbacks)
    _sweep(date(2026, 10, 16), django_capture_on_commit_callbacks)
    assert _sent(mailoutbox, "aftale") == [
        ("leder@example.org", "LUS med Lars Leder To: en aftale er over sin dato uden status")
    ]


def test_an_agreement_with_a_status_is_not_escalated(org, lus, mailoutbox, django_capture_on_commit_callbacks):
    held(lus.conversation, lus.principles, agreements=1)
    agreement = lus.conversation.agreements.get()
    followup = services.followup_add(agreement=agreement, date=date(2026, 9, 20))
    services.followup_update(followup=followup, date=followup.date, status="naaet", note="")
    mailoutbox.clear()
    _sweep(date(2026, 10, 20), django_capture_on_commit_callbacks)
    assert not [m for m in mailoutbox if "aftale" in m.subject]


def test_a_follow_up_talk_reminds_both_once(org, lus, mailoutbox, django_capture_on_commit_callbacks):
    held(lus.conversation, lus.principles, agreements=1)
    agreement = lus.conversation.agreements.get()
    agreement.due_on = date(2027, 6, 1)
    agreement.save()
    services.followup_add(agreement=agreement, date=date(2026, 11, 1))
    Conversation.objects.filter(pk=lus.conversation.pk).update(state=Conversation.State.CONFIRMED)
    mailoutbox.clear()
    _sweep(date(2026, 11, 1), django_capture_on_commit_callbacks)
    _sweep(date(2026, 11, 2), django_capture_on_commit_callbacks)
    assert _sent(mailoutbox, "opfølgning") == [
        ("leder2@example.org", "LUS med Lene Leder: en opfølgningssamtale er nu"),
        ("leder@example.org", "LUS med Lars Leder To: en opfølgningssamtale er nu"),
    ]


def test_no_e_mail_holds_lus_content(org, lus, mailoutbox, django_capture_on_commit_callbacks):
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 3, 3], note="Hemmeligt eksempel")
    held(lus.conversation, lus.principles)
    day = date(2026, 8, 15)
    while day < date(2026, 11, 30):
        _sweep(day, django_capture_on_commit_callbacks)
        day += timedelta(days=1)
    assert mailoutbox
    for message in mailoutbox:
        text = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
        for secret in (
            "Hemmeligt eksempel",
            "Referatets hemmelige tekst",
            "Aftale 1",
            "Tema 1",
            "LUS 2026",
            "Mødelokale",
        ):
            assert secret not in text
    for reminder in Reminder.objects.all():
        assert "Aftale" not in reminder.title
        # Only a calendar invitation has a context: who, when and where, never the LUS's text.
        assert reminder.context == {} or reminder.kind.startswith("invitation-")
        for secret in ("Hemmeligt", "hemmelige", "Aftale", "Tema 1", "LUS 2026"):
            assert secret not in str(reminder.context)


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_lus_reminder_once_by_smtp(lus, smtp_server, settings):
    """Through Redis and a real Celery worker: the sweep claims the LUS reminders and the
    worker delivers each once; a second sweep sends nothing."""
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.control.purge()
    today = timezone.localdate()
    lus.round.preparation_opens = today - timedelta(days=1)
    lus.round.period_start = today - timedelta(days=2)
    lus.round.held_by = today + timedelta(days=30)
    lus.round.period_end = lus.round.confirmed_by = today + timedelta(days=60)
    lus.round.save()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("notifications.sweep_reminders")
        smtp_server.handler.wait_for(4)
        app.send_task("notifications.sweep_reminders")
        time.sleep(1.5)
    assert len(smtp_server.handler.messages) == 4
    recipients = sorted(m.rcpt_tos[0] for m in smtp_server.handler.messages)
    assert recipients == ["koncern@example.org", "leder2@example.org", "leder@example.org", "leder@example.org"]
    message = email.message_from_bytes(smtp_server.handler.messages[0].content, policy=email.policy.default)
    assert message["Subject"].endswith(": din forberedelse er åben")
