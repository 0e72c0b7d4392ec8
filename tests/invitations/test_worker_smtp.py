"""From a change to the calendars, end to end: a real Celery worker on the real Redis sends
the invitations through a real SMTP server started by the test; the received messages are
read back with `email` and `icalendar` and applied in order to each recipient's calendar,
which then holds exactly one event per dated thing, at its latest time, or none once it is
deleted."""

from __future__ import annotations

import os
import time as clock
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker

from dialogues import services
from ledelse.celery import make_app
from ledelse.notifications.models import Reminder
from lus import services as lus_services
from lus.models import Agreement
from tests.dialogues.conftest import activity_data
from tests.invitations.conftest import calendars, parse
from tests.lus.conftest import make_lus

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CPH = ZoneInfo("Europe/Copenhagen")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_app(settings, rules):
    settings.REMINDER_RETRY_BACKOFF = 1
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def _received(smtp_server, count: int):
    envelopes = smtp_server.handler.wait_for(count)
    assert len(envelopes) == count, [e.rcpt_tos for e in envelopes]
    return envelopes


def _only_event(calendar):
    (held,) = calendar.events.values()
    return held


def test_an_activity_given_a_date_moved_re_peopled_and_deleted_leaves_the_calendars_right(
    org,
    plan,
    smtp_server,
    worker_app,
):
    # Given a date: the person responsible and the participant are invited.
    activity = services.activity_create(
        plan=plan,
        data=activity_data(
            org,
            date=date(2026, 11, 16),
            start_time=time(9, 30),
            end_time=time(11, 0),
            location="Mødelokale 2",
            participants=(org.people["employee"],),
        ),
    )
    envelopes = _received(smtp_server, 2)
    first = parse(envelopes[0].content, envelopes[0].rcpt_tos[0])
    assert first.method == "REQUEST" and first.uid == f"plan-activity-{activity.pk}@ledelsesgrundlag"
    assert first.sequence == 0
    assert first.attendees == ["emil@example.org", "leder2@example.org"]
    event = first.event
    assert all(str(a.params["RSVP"]) == "TRUE" for a in event["ATTENDEE"])
    assert str(event["ORGANIZER"]).lower() == "mailto:leder2@example.org"
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("DTSTART") == datetime(2026, 11, 16, 9, 30, tzinfo=CPH)
    assert "DTSTAMP" in event
    assert [str(tz["TZID"]) for tz in first.calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert first.message["Subject"] == "Invitation: Dialog om tillid, 16. november 2026 kl. 09.30"
    cals = calendars(envelopes)
    assert sorted(cals) == ["emil@example.org", "leder2@example.org"]
    assert all(len(c.events) == 1 for c in cals.values())

    # Moved: the same UID with a higher SEQUENCE to both; one event each, at the new time.
    activity = services.activity_update(
        activity=activity,
        data=activity_data(
            org,
            date=date(2026, 11, 23),
            start_time=time(9, 30),
            end_time=time(11, 0),
            location="Mødelokale 2",
            participants=(org.people["employee"],),
        ),
    )
    envelopes = _received(smtp_server, 4)
    moved = [parse(e.content, e.rcpt_tos[0]) for e in envelopes[2:]]
    assert {(m.method, m.uid, m.sequence) for m in moved} == {("REQUEST", first.uid, 1)}
    for calendar in calendars(envelopes).values():
        sequence, held = _only_event(calendar)
        assert sequence == 1 and held.decoded("DTSTART") == datetime(2026, 11, 23, 9, 30, tzinfo=CPH)

    # The people change (the person responsible is now the leader above; the participant
    # stays): the one removed gets a CANCEL; the organizer changed, so the others get the
    # REQUEST with the new attendees.
    activity = services.activity_update(
        activity=activity,
        data=activity_data(
            org,
            date=date(2026, 11, 23),
            start_time=time(9, 30),
            end_time=time(11, 0),
            location="Mødelokale 2",
            responsible=org.people["leader"],
            participants=(org.people["employee"],),
        ),
    )
    envelopes = _received(smtp_server, 7)
    changed = {e.rcpt_tos[0]: parse(e.content, e.rcpt_tos[0]) for e in envelopes[4:]}
    assert changed["leder2@example.org"].method == "CANCEL"
    assert changed["leder2@example.org"].attendees == ["leder2@example.org"]
    assert changed["leder@example.org"].method == "REQUEST"
    assert changed["leder@example.org"].attendees == ["emil@example.org", "leder@example.org"]
    assert changed["emil@example.org"].method == "REQUEST"
    cals = calendars(envelopes)
    assert cals["leder2@example.org"].events == {}
    assert len(cals["leder@example.org"].events) == 1 and len(cals["emil@example.org"].events) == 1

    # Deleted: METHOD:CANCEL to everyone who holds it; no calendar keeps it.
    services.activity_delete(activity=activity)
    envelopes = _received(smtp_server, 9)
    cancels = [parse(e.content, e.rcpt_tos[0]) for e in envelopes[7:]]
    assert sorted(c.to for c in cancels) == ["emil@example.org", "leder@example.org"]
    assert all(c.method == "CANCEL" and c.uid == first.uid and c.sequence == 3 for c in cancels)
    assert all(str(c.event["STATUS"]) == "CANCELLED" for c in cancels)
    assert all(c.events == {} for c in calendars(envelopes).values())

    # A sweep on the worker sends none of them again.
    worker_app.send_task("notifications.sweep_reminders")
    clock.sleep(1.5)
    assert len(smtp_server.handler.messages) == 9
    assert Reminder.objects.filter(kind__startswith="invitation-", state=Reminder.State.SENT).count() == 9


def test_a_lus_booking_and_a_follow_up_talk_reach_the_two_calendars_without_content(org, smtp_server, worker_app):
    lus = make_lus(org)
    conversation = lus.conversation
    starts_at = datetime(2026, 10, 5, 13, 0, tzinfo=CPH)
    lus_services.conversation_book(conversation=conversation, starts_at=starts_at, location="Direktionsgangen")
    envelopes = _received(smtp_server, 2)
    booked = parse(envelopes[0].content, envelopes[0].rcpt_tos[0])
    assert booked.method == "REQUEST" and booked.uid == f"lus-{conversation.pk}@ledelsesgrundlag"
    assert booked.attendees == ["leder2@example.org", "leder@example.org"]
    assert str(booked.event["ORGANIZER"]).lower() == "mailto:leder@example.org"  # the partner
    assert str(booked.event["SUMMARY"]) == "LUS-samtale: Lars Leder To og Lene Leder"
    assert str(booked.event["LOCATION"]) == "Direktionsgangen"
    assert "DESCRIPTION" not in booked.event

    # Moved an hour: a higher SEQUENCE; each calendar holds one event at the new time.
    lus_services.conversation_book(
        conversation=conversation, starts_at=datetime(2026, 10, 5, 14, 0, tzinfo=CPH), location="Direktionsgangen"
    )
    envelopes = _received(smtp_server, 4)
    cals = calendars(envelopes)
    assert sorted(cals) == ["leder2@example.org", "leder@example.org"]
    for calendar in cals.values():
        sequence, held = _only_event(calendar)
        assert sequence == 1 and held.decoded("DTSTART") == datetime(2026, 10, 5, 14, 0, tzinfo=CPH)

    # A follow-up talk is set, then moved: one all-day event in each calendar.
    agreement = Agreement.objects.create(conversation=conversation, what="Fortroligt indhold", due_on=date(2026, 12, 1))
    followup = lus_services.followup_add(agreement=agreement, date=date(2027, 1, 12))
    envelopes = _received(smtp_server, 6)
    lus_services.followup_update(followup=followup, date=date(2027, 1, 19), status="", note="")
    envelopes = _received(smtp_server, 8)
    followups = [parse(e.content, e.rcpt_tos[0]) for e in envelopes[4:]]
    assert {(f.method, f.uid) for f in followups} == {("REQUEST", f"lus-followup-{followup.pk}@ledelsesgrundlag")}
    assert all("Fortroligt" not in e.content.decode(errors="replace") for e in envelopes)
    for calendar in calendars(envelopes).values():
        assert len(calendar.events) == 2
        sequence, held = calendar.events[f"lus-followup-{followup.pk}@ledelsesgrundlag"]
        assert sequence == 1 and held.decoded("DTSTART") == date(2027, 1, 19)
