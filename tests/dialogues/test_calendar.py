"""An activity as a calendar invitation: parsed back with icalendar, in Copenhagen time,
the same UID every time and a SEQUENCE that rises when the activity moves."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from dialogues import services
from tests.dialogues.conftest import activity_data

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def _event(client, plan, activity):
    response = client.get(reverse("dialogues:activity_ics", args=[plan.pk, activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"] and ".ics" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    return event


def test_a_meeting_is_an_invitation_in_copenhagen_time(org, plan, make_activity, client):
    activity = make_activity(
        plan,
        date=date(2026, 9, 15),
        start_time=time(9, 30),
        end_time=time(11, 0),
        location="Mødelokale 2",
        participants=(org.people["employee"],),
    )
    client.force_login(org.users["employee"])
    event = _event(client, plan, activity)
    assert str(event["SUMMARY"]) == "Dialog om tillid"
    assert event.decoded("DTSTART") == datetime(2026, 9, 15, 9, 30, tzinfo=CPH)
    assert event.decoded("DTEND") == datetime(2026, 9, 15, 11, 0, tzinfo=CPH)
    assert str(event["LOCATION"]) == "Mødelokale 2"
    assert str(event["UID"]) == f"plan-activity-{activity.pk}@ledelsesgrundlag"
    assert int(event["SEQUENCE"]) == 0
    assert "emil@example.org" in str(event.get("ATTENDEE")).lower()


def test_a_deadline_is_an_all_day_event(org, plan, make_activity, client):
    activity = make_activity(plan, date=date(2026, 10, 1))
    client.force_login(org.users["leader2"])
    event = _event(client, plan, activity)
    assert event.decoded("DTSTART") == date(2026, 10, 1)


def test_a_moved_activity_keeps_its_uid_and_raises_the_sequence(org, plan, make_activity, client):
    activity = make_activity(plan, date=date(2026, 9, 15), start_time=time(9, 0))
    client.force_login(org.users["leader2"])
    first = _event(client, plan, activity)
    # A change that does not move it leaves the sequence alone.
    activity = services.activity_update(
        activity=activity, data=activity_data(org, title="Nyt navn", date=date(2026, 9, 15), start_time=time(9, 0))
    )
    assert activity.calendar_sequence == 0
    activity = services.activity_update(
        activity=activity, data=activity_data(org, title="Nyt navn", date=date(2026, 9, 22), start_time=time(9, 0))
    )
    moved = _event(client, plan, activity)
    assert str(moved["UID"]) == str(first["UID"])
    # Higher: the renaming and the move each went to the calendars (ledelse.invitations).
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])
    assert moved.decoded("DTSTART") == datetime(2026, 9, 22, 9, 0, tzinfo=CPH)
    activity = services.activity_update(
        activity=activity, data=activity_data(org, title="Nyt navn", date=date(2026, 9, 22), start_time=time(10, 0))
    )
    assert int(_event(client, plan, activity)["SEQUENCE"]) > int(moved["SEQUENCE"])


def test_an_undated_activity_has_no_invitation(org, plan, make_activity, client):
    activity = make_activity(plan)
    client.force_login(org.users["leader2"])
    assert client.get(reverse("dialogues:activity_ics", args=[plan.pk, activity.pk])).status_code == 404


def test_another_region_gets_no_invitation(org, plan, make_activity, client):
    activity = make_activity(plan, date=date(2026, 10, 1))
    client.force_login(org.users["outsider"])
    assert client.get(reverse("dialogues:activity_ics", args=[plan.pk, activity.pk])).status_code == 404
