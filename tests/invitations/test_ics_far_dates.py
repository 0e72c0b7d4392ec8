"""No stored date makes the calendar file fail: at the ends of what a date can hold (year 1
and 9999) the file is still made, its times stopping at the end instead of overflowing."""

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from ledelse.invitations import event_ics


@pytest.mark.parametrize(
    "start",
    [
        date(9999, 12, 31),
        date(1, 1, 1),
        datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
        datetime(1, 1, 1, 0, 10, tzinfo=UTC),
    ],
)
def test_a_date_at_the_end_of_the_calendar_still_makes_a_file(start):
    calendar = Calendar.from_ical(event_ics(uid="u@x", sequence=0, summary="S", start=start))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").year == start.year
    assert event.decoded("dtend") >= event.decoded("dtstart")


def test_a_several_day_event_ending_on_the_last_day_still_makes_a_file():
    calendar = Calendar.from_ical(
        event_ics(uid="u@x", sequence=0, summary="S", start=date(9999, 12, 1), end=date(9999, 12, 31))
    )
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtend") == date(9999, 12, 31)
