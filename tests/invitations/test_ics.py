"""Calendar invitations, parsed back with icalendar."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ledelse.invitations import event_ics, event_uid, ics_response

CPH = ZoneInfo("Europe/Copenhagen")


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_timed_event_is_in_copenhagen_time_with_its_vtimezone():
    start = datetime(2026, 6, 4, 9, 30, tzinfo=CPH)
    ics = event_ics(
        uid="plan-activity-17@ledelsesgrundlag",
        sequence=0,
        summary="Dialog i ledergruppen",
        start=start,
        end=start + timedelta(hours=2),
        description="Ledertræf",
        location="Mødelokale 2",
        url="https://ledelse.example.org/planer/3/",
        attendees=[("Lene Leder", "leder@example.org")],
    )
    calendar, event = _event(ics)
    assert str(calendar["method"]) == "PUBLISH"
    assert str(event["uid"]) == "plan-activity-17@ledelsesgrundlag"
    assert int(event["sequence"]) == 0
    assert str(event["summary"]) == "Dialog i ledergruppen"
    assert event.decoded("dtstart") == start and event.decoded("dtend") == start + timedelta(hours=2)
    assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"
    assert str(event["location"]) == "Mødelokale 2" and str(event["description"]) == "Ledertræf"
    assert str(event["url"]) == "https://ledelse.example.org/planer/3/"
    attendee = event["attendee"]
    assert str(attendee) == "mailto:leder@example.org" and attendee.params["CN"] == "Lene Leder"
    (tz,) = calendar.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Europe/Copenhagen"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_a_utc_time_is_written_as_the_same_instant_in_copenhagen():
    ics = event_ics(uid="u@x", sequence=1, summary="S", start=datetime(2026, 1, 5, 8, 0, tzinfo=ZoneInfo("UTC")))
    _, event = _event(ics)
    assert event.decoded("dtstart").tzinfo.key == "Europe/Copenhagen"
    assert event.decoded("dtstart").hour == 9  # CET in winter
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)


def test_a_naive_time_is_taken_as_copenhagen_time():
    _, event = _event(event_ics(uid="u@x", sequence=0, summary="S", start=datetime(2026, 7, 1, 13, 0)))
    assert event.decoded("dtstart") == datetime(2026, 7, 1, 13, 0, tzinfo=CPH)


def test_a_date_is_an_all_day_event():
    _, event = _event(event_ics(uid="u@x", sequence=0, summary="Frist", start=date(2026, 9, 1)))
    assert event.decoded("dtstart") == date(2026, 9, 1)
    assert event.decoded("dtend") == date(2026, 9, 2)  # exclusive
    assert event["dtstart"].params.get("VALUE") == "DATE"


def test_a_several_day_event_ends_after_its_last_day():
    _, event = _event(event_ics(uid="u@x", sequence=0, summary="T", start=date(2026, 9, 1), end=date(2026, 9, 3)))
    assert event.decoded("dtend") == date(2026, 9, 4)


def test_a_moved_event_keeps_its_uid_with_a_higher_sequence():
    uid = event_uid(kind="plan-activity", pk=17)
    assert uid == "plan-activity-17@ledelsesgrundlag"
    _, before = _event(event_ics(uid=uid, sequence=0, summary="S", start=datetime(2026, 9, 1, 10, 0)))
    _, after = _event(event_ics(uid=uid, sequence=1, summary="S", start=datetime(2026, 9, 8, 10, 0)))
    assert str(before["uid"]) == str(after["uid"])
    assert int(after["sequence"]) > int(before["sequence"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": datetime(2026, 9, 1, 10, 0), "end": datetime(2026, 9, 1, 9, 0)},
        {"start": date(2026, 9, 1), "end": datetime(2026, 9, 1, 9, 0)},
        {"start": datetime(2026, 9, 1, 10, 0), "end": date(2026, 9, 2)},
        {"start": datetime(2026, 9, 1, 10, 0), "sequence": -1},
    ],
)
def test_it_refuses_an_impossible_event(kwargs):
    with pytest.raises(ValueError):
        event_ics(**{"uid": "u@x", "sequence": 0, "summary": "S", **kwargs})


def test_the_response_is_a_calendar_download():
    ics = event_ics(uid="u@x", sequence=0, summary="S", start=date(2026, 9, 1))
    response = ics_response(ics=ics, filename="aktivitet-17.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aktivitet-17.ics"'
    assert response.content == ics
    assert Calendar.from_ical(response.content)


def test_a_danish_file_name_is_encoded():
    response = ics_response(ics=b"", filename="temadag-på-afdelingen")
    assert "filename*=utf-8''temadag-p%C3%A5-afdelingen.ics" in response["Content-Disposition"]


def test_a_request_asks_each_attendee_to_answer_and_names_the_organizer():
    ics = event_ics(
        uid="u@x",
        sequence=2,
        summary="S",
        start=datetime(2026, 11, 16, 10, 0),
        attendees=[("Lene Leder", "leder@example.org"), ("Emil", "emil@example.org")],
        organizer=("Lars Leder To", "leder2@example.org"),
        method="REQUEST",
    )
    calendar, event = _event(ics)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["organizer"]) == "mailto:leder2@example.org" and event["organizer"].params["CN"] == "Lars Leder To"
    for attendee in event["attendee"]:
        assert attendee.params["RSVP"] == "TRUE" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert "dtstamp" in event and "STATUS" not in event


def test_a_cancel_marks_the_event_cancelled():
    calendar, event = _event(event_ics(uid="u@x", sequence=3, summary="S", start=date(2026, 9, 1), method="CANCEL"))
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 3


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError):
        event_ics(uid="u@x", sequence=0, summary="S", start=date(2026, 9, 1), method="REPLY")
