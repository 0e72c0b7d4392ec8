"""Calendar invitations by e-mail (iMIP, RFC 6047 and RFC 5546), sent through the shared
exactly-once mechanism (ledelse.notifications): each message is a claim whose key holds the
UID and the SEQUENCE, so two sweeps, two workers or a redelivered task send one invitation
per change per person.

An app describes its dated thing as an `EventData` (it knows its people and texts; this
mechanism knows no app) and calls, inside its own transaction:
- `invitation_send(event=...)` whenever the thing is given a time, moved or its people
  change: the first time everyone gets a REQUEST; a new time, place or text raises SEQUENCE
  and sends the REQUEST to everyone again; a participant added gets the REQUEST, one removed
  a CANCEL; nothing changed sends nothing.
- `invitation_cancel(uid=...)` when the thing is deleted, cancelled or loses its time:
  METHOD:CANCEL to everyone who holds it.
The download (`invitation_ics`) is made by the same builder with the same UID and SEQUENCE.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ledelse.dates import long_datetime
from ledelse.invitations.ics import event_ics
from ledelse.invitations.models import Invitation
from ledelse.notifications.emails import absolute_url
from ledelse.notifications.services import Due, reminders_claim

logger = logging.getLogger(__name__)

REQUEST_KIND = "invitation-request"
CANCEL_KIND = "invitation-cancel"


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    user_id: int | None = None  # the e-mail goes to people with an account

    def as_dict(self) -> dict:
        return {"name": self.name, "email": self.email, "user_id": self.user_id}


@dataclass(frozen=True)
class EventData:
    uid: str
    summary: str
    start: datetime | date  # a date: an all-day event
    end: datetime | date | None = None
    location: str = ""
    description: str = ""
    url: str = ""  # the thing's page: a site path, made absolute with SITE_URL
    organizer: Attendee | None = None  # the responsible person (INVITATION_ORGANIZER wins)
    attendees: tuple[Attendee, ...] = ()
    sequence: int = 0  # the app's own counter: the invitation's SEQUENCE is never below it

    def snapshot(self) -> dict:
        """What the attendees' calendars hold, as JSON (compared to tell a change)."""
        organizer = _organizer(self.organizer)
        return {
            "summary": self.summary,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "location": self.location,
            "description": self.description,
            "url": self.url,
            "organizer": list(organizer) if organizer else None,
        }


def _iso(value: datetime | date | None) -> dict | None:
    if value is None:
        return None
    return {"datetime" if isinstance(value, datetime) else "date": value.isoformat()}


def _from_iso(value: dict | None) -> datetime | date | None:
    if not value:
        return None
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    return date.fromisoformat(value["date"])


def _organizer(person: Attendee | None) -> tuple[str, str] | None:
    """INVITATION_ORGANIZER ("Name <address>") when set, else the responsible person, else
    the site's sender."""
    configured = getattr(settings, "INVITATION_ORGANIZER", "")
    if configured:
        return parseaddr(configured)
    if person is not None and person.email:
        return person.name, person.email
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (name, address) if address else None


def _ics(*, uid: str, sequence: int, snapshot: dict, method: str, attendees: Iterable[dict]) -> bytes:
    organizer = snapshot.get("organizer")
    return event_ics(
        uid=uid,
        sequence=sequence,
        summary=snapshot["summary"],
        start=_from_iso(snapshot["start"]),
        end=_from_iso(snapshot["end"]),
        description=snapshot["description"],
        location=snapshot["location"],
        url=absolute_url(snapshot["url"]) if snapshot["url"] else "",
        attendees=[(a["name"], a["email"]) for a in attendees],
        organizer=tuple(organizer) if organizer else None,
        method=method,
    )


def _when(snapshot: dict) -> str:
    return long_datetime(_from_iso(snapshot["start"]))


def _dues(invitation: Invitation, snapshot: dict, method: str, *, to: list[dict], listed: list[dict]) -> list[Due]:
    """One claim per person with an account in `to`; the calendar lists `listed`."""
    ics = _ics(uid=invitation.uid, sequence=invitation.sequence, snapshot=snapshot, method=method, attendees=listed)
    start = _from_iso(snapshot["start"])
    context = {
        "calendar": ics.decode(),
        "calendar_method": method,
        "summary": snapshot["summary"],
        "when": _when(snapshot),
        "location": snapshot["location"],
        "organizer_name": (snapshot.get("organizer") or ["", ""])[0],
    }
    kind = REQUEST_KIND if method == "REQUEST" else CANCEL_KIND
    title = f"{snapshot['summary']}, {_when(snapshot)}"
    dues = []
    for person in to:
        if person.get("user_id") is None:
            logger.info("Invitation %s: an attendee has no account and gets no e-mail", invitation.uid)
            continue
        dues.append(
            Due(
                recipient_id=person["user_id"],
                kind=kind,
                target=invitation,
                due_on=start.date() if isinstance(start, datetime) else start,
                key=f"{invitation.sequence}:{invitation.uid}"[:100],
                title=title,
                url=snapshot["url"] or "/",
                context=context,
                in_app=False,
            )
        )
    return dues


def _unique(attendees: Iterable[Attendee]) -> dict[str, dict]:
    """By e-mail address (lower case), first one wins; people without an address are left out."""
    result: dict[str, dict] = {}
    for attendee in attendees:
        if attendee.email:
            result.setdefault(attendee.email.lower(), attendee.as_dict())
    return result


def _last_day(event: EventData) -> date:
    last = event.end or event.start
    return timezone.localtime(last).date() if isinstance(last, datetime) else last


@transaction.atomic
def invitation_send(*, event: EventData) -> int:
    """Bring every attendee's calendar in line with `event` (see the module). Returns how
    many e-mails were claimed."""
    invitation, created = Invitation.objects.select_for_update().get_or_create(
        uid=event.uid, defaults={"sequence": event.sequence}
    )
    snapshot = event.snapshot()
    holding = {a["email"].lower(): a for a in invitation.attendees}
    wanted = _unique(event.attendees)
    changed = created or invitation.cancelled or snapshot != invitation.event
    removed = [a for key, a in holding.items() if key not in wanted]
    added = [a for key, a in wanted.items() if key not in holding]
    if not (changed or removed or added):
        return 0
    if not created:
        invitation.sequence = max(invitation.sequence + 1, event.sequence)
    dues = []
    if removed:
        # Each one removed hears of themself only; their calendar holds the old event.
        old = invitation.event or snapshot
        for person in removed:
            dues += _dues(invitation, old, "CANCEL", to=[person], listed=[person])
    listed = list(wanted.values())
    dues += _dues(invitation, snapshot, "REQUEST", to=listed if changed else added, listed=listed)
    invitation.event, invitation.attendees, invitation.cancelled = snapshot, listed, False
    invitation.last_day = _last_day(event)
    invitation.save()
    return reminders_claim(dues=dues)


@transaction.atomic
def invitation_cancel(*, uid: str) -> int:
    """METHOD:CANCEL to everyone who holds the event (the thing is deleted, cancelled or
    lost its time). Nothing when nobody holds it. Returns how many e-mails were claimed."""
    invitation = Invitation.objects.select_for_update().filter(uid=uid).first()
    if invitation is None or invitation.cancelled:
        return 0
    holding = list(invitation.attendees)
    invitation.sequence += 1
    invitation.attendees, invitation.cancelled = [], True
    invitation.save()
    if not holding or not invitation.event:
        return 0
    return reminders_claim(dues=_dues(invitation, invitation.event, "CANCEL", to=holding, listed=holding))


def invitation_ics(*, event: EventData) -> bytes:
    """The download ("add to my calendar"): the same builder, UID and SEQUENCE as the
    e-mails (METHOD:PUBLISH, a file to open)."""
    sent = Invitation.objects.filter(uid=event.uid).values_list("sequence", flat=True).first()
    return _ics(
        uid=event.uid,
        sequence=max(sent or 0, event.sequence),
        snapshot=event.snapshot(),
        method="PUBLISH",
        attendees=_unique(event.attendees).values(),
    )


def invitations_remove_expired(*, today: date | None = None) -> int:
    """Remove what the invitations of events long past said (people, time, place) with
    their e-mails' rows, INVITATIONS_KEEP_DAYS after the event's last day. Nightly."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.INVITATIONS_KEEP_DAYS)
    expired = Invitation.objects.filter(last_day__lt=cutoff)
    removed = 0
    while ids := list(expired.values_list("id", flat=True)[:500]):
        with transaction.atomic():
            # The e-mails' rows go along (InvitationsConfig.notices_deleted_with_object).
            removed += Invitation.objects.filter(pk__in=ids).delete()[1].get("invitations.Invitation", 0)
    if removed:
        logger.info("Removed %d calendar invitations of events before %s", removed, cutoff)
    return removed
