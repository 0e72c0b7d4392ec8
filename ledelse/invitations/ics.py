"""One event as an iCalendar file: the one builder for the download ("add to Outlook",
METHOD:PUBLISH) and the e-mail invitation (iMIP, RFC 6047/5546: METHOD:REQUEST with an
ORGANIZER and one ATTENDEE per participant with RSVP=TRUE, or METHOD:CANCEL).

Outlook (and other calendars) recognise an event by its UID: the caller keeps the UID stable
per thing and raises SEQUENCE when the time changes, so opening the new file updates the
event instead of making a second one. Times are written in Europe/Copenhagen with the
VTIMEZONE component, so the event stays at the same local time across summer time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

TZID = "Europe/Copenhagen"
PRODID = "-//Ledelsesgrundlag//Kalenderinvitation//DA"
UID_DOMAIN = "ledelsesgrundlag"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")


def event_uid(*, kind: str, pk: int) -> str:
    """The UID convention: `"<kind>-<pk>@ledelsesgrundlag"`, fixed for the thing's lifetime
    (not taken from the host name, which may change, and with it every invitation)."""
    return f"{kind}-{pk}@{UID_DOMAIN}"


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    if timezone.is_naive(value):
        return value.replace(tzinfo=tz)
    try:
        return value.astimezone(tz)
    except OverflowError:  # within hours of year 1 or 9999
        return value.replace(tzinfo=tz)


def _shifted(value: date, **delta: float) -> date:
    """`value` (a date or a datetime) moved by timedelta(**delta), stopping at the
    calendar's ends (years 1 and 9999) instead of raising OverflowError: no stored date may
    make the file fail."""
    try:
        return value + timedelta(**delta)
    except OverflowError:
        forward = timedelta(**delta) > timedelta(0)
        if isinstance(value, datetime):
            return datetime.max.replace(tzinfo=value.tzinfo) if forward else datetime.min.replace(tzinfo=value.tzinfo)
        return date.max if forward else date.min


def _event_times(
    start: datetime | date, end: datetime | date | None, tz: ZoneInfo
) -> tuple[datetime | date, datetime | date, bool]:
    """(start, end, all day): times in `tz`, an all-day event's end exclusive (the day
    after its last day); ValueError when the event cannot be."""
    all_day = not isinstance(start, datetime)
    if all_day:
        if isinstance(end, datetime):
            raise ValueError("An all-day event ends on a date.")
        # DTEND of an all-day event is exclusive: the day after the last day.
        end = _shifted(end if end is not None else start, days=1)
    else:
        start = _local(start, tz)
        if end is None:
            end = _shifted(start, hours=1)
        elif not isinstance(end, datetime):
            raise ValueError("An event with a time ends at a time.")
        else:
            end = _local(end, tz)
    if end < start or (end == start and end.year != date.max.year):  # the last day of 9999 ends there
        raise ValueError("An event must end after it starts.")
    return start, end, all_day


def event_ics(
    *,
    uid: str,
    sequence: int,
    summary: str,
    start: datetime | date,
    end: datetime | date | None = None,
    description: str = "",
    location: str = "",
    url: str = "",
    attendees: Sequence[tuple[str, str]] = (),
    organizer: tuple[str, str] | None = None,
    method: str = "PUBLISH",
) -> bytes:
    """One VEVENT as an iCalendar file (icalendar library), times in Europe/Copenhagen with
    a VTIMEZONE; a date without time is an all-day event. The caller keeps uid stable per
    thing and raises sequence when the time changes, so Outlook updates the invitation.

    `attendees` and `organizer` are (name, e-mail address) pairs; `url` should be absolute.
    A naive datetime is taken as Copenhagen time. Without `end`: one hour, or one day for an
    all-day event. `method` REQUEST asks each attendee to answer (RSVP=TRUE); CANCEL
    removes the event (STATUS:CANCELLED) from the attendees' calendars."""
    if not uid or sequence < 0:
        raise ValueError("An invitation needs a UID and a SEQUENCE of 0 or more.")
    if method not in METHODS:
        raise ValueError(f"Unknown METHOD {method!r}.")
    start, end = _span(start, end)
    calendar = _calendar(method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    if organizer is not None:
        event.add("organizer", _address(*organizer), encode=0)
    for name, address in attendees:
        event.add("attendee", _attendee(name, address, ask=method == "REQUEST"), encode=0)
    calendar.add_component(event)
    calendar.add_component(_vtimezone(start, end))
    return calendar.to_ical()


def _span(start: datetime | date, end: datetime | date | None) -> tuple[datetime | date, datetime | date]:
    """Start and (exclusive) end in Copenhagen time; refuses an impossible event."""
    tz = ZoneInfo(TZID)
    start, end, _all_day = _event_times(start, end, tz)
    return start, end


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # PUBLISH: a file to open; REQUEST/CANCEL: an invitation by e-mail with an organiser
    # who collects the answers.
    calendar.add("method", method)
    return calendar


def _address(name: str, address: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{address}")
    if name:
        value.params["cn"] = vText(name)
    return value


def _attendee(name: str, address: str, *, ask: bool) -> vCalAddress:
    attendee = _address(name, address)
    attendee.params["cutype"] = vText("INDIVIDUAL")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    if ask:
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
    return attendee


def _vtimezone(start: datetime | date, end: datetime | date) -> Timezone:
    """The time zone's rules for the years around the event (the full default range makes
    the file large for nothing). An all-day event carries it too: harmless, and calendars
    show the file's zone."""
    first = _shifted(start.date() if isinstance(start, datetime) else start, days=-366)
    # (icalendar's own arithmetic overflows in the last year before 9999's end.)
    last = min(_shifted(end.date() if isinstance(end, datetime) else end, days=366), date(9998, 12, 31))
    return Timezone.from_tzid(TZID, first_date=first, last_date=last)


def ics_response(*, ics: bytes, filename: str) -> HttpResponse:
    """text/calendar; charset=utf-8, as a download named `filename` (.ics)."""
    if not filename.endswith(".ics"):
        filename += ".ics"
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    # Django quotes and RFC 5987-encodes non-ASCII names (æøå).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
