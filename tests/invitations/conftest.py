"""Helpers for the invitation tests: read an e-mailed invitation back with `email` and
`icalendar`, and a calendar that applies received invitations the way a mail client does
(REQUEST adds or replaces the event of its UID when its SEQUENCE is not older; CANCEL
removes it)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field

from icalendar import Calendar

from tests.dialogues.conftest import framework, plan, rollout  # noqa: F401  (a draft plan in Region Test)
from tests.notifications.conftest import rules, smtp_server  # noqa: F401  (the apps' rules set aside; a real SMTP server)


@dataclass
class Received:
    to: str
    method: str  # the MIME part's method parameter
    calendar: Calendar
    message: email.message.EmailMessage

    @property
    def event(self):
        (event,) = self.calendar.walk("VEVENT")
        return event

    @property
    def uid(self) -> str:
        return str(self.event["UID"])

    @property
    def sequence(self) -> int:
        return int(self.event["SEQUENCE"])

    @property
    def attendees(self) -> list[str]:
        value = self.event.get("ATTENDEE", [])
        values = value if isinstance(value, list) else [value]
        return sorted(str(a).lower().removeprefix("mailto:") for a in values)


def parse(raw: bytes, to: str) -> Received:
    """The message as a mail client sees it: the text/calendar alternative (its method
    parameter must agree with the calendar's METHOD) and the same calendar attached."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    alternative = message.get_body(preferencelist=("related", "html", "plain"))
    assert alternative is not None
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    inline = [p for p in parts if p.get_content_disposition() != "attachment"]
    attached = [p for p in parts if p.get_content_disposition() == "attachment"]
    assert len(inline) == 1 and len(attached) == 1, [p.get("Content-Type") for p in message.walk()]
    assert message.get_content_type() == "multipart/mixed"
    (alt,) = [p for p in message.iter_parts() if p.get_content_type() == "multipart/alternative"]
    assert [p.get_content_type() for p in alt.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
    part = inline[0]
    method = part.get_param("method")
    calendar = Calendar.from_ical(part.get_content())
    assert str(calendar["METHOD"]) == method
    assert attached[0].get_content() == part.get_content()
    return Received(to=to, method=method, calendar=calendar, message=message)


@dataclass
class MailboxCalendar:
    """One person's calendar, built from the invitations they received, in order."""

    events: dict = field(default_factory=dict)  # uid -> (sequence, event)

    def apply(self, received: Received) -> None:
        held = self.events.get(received.uid)
        if held is not None and received.sequence < held[0]:
            return  # an older message arriving late changes nothing
        if received.method == "REQUEST":
            self.events[received.uid] = (received.sequence, received.event)
        elif received.method == "CANCEL":
            self.events.pop(received.uid, None)


def calendars(envelopes) -> dict[str, MailboxCalendar]:
    """Each recipient's calendar after applying every received message in order."""
    result: dict[str, MailboxCalendar] = {}
    for envelope in envelopes:
        for to in envelope.rcpt_tos:
            result.setdefault(to, MailboxCalendar()).apply(parse(envelope.content, to))
    return result
