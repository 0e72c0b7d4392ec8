"""An activity as a calendar invitation through the shared ledelse.invitations: the e-mail
(iMIP) to the person responsible and everyone taking part, and the download, from one
description of the event (`activity_event`).

The UID is stable per activity. dialogues.services calls `activity_invitations_send` when an
activity is saved (given a date, moved, its people changed); the mechanism raises SEQUENCE on each change, so Outlook updates the
invitation it has instead of adding a second one, and a cancelled, undated or deleted
activity (DialoguesConfig.invitations_cancelled_with_object: also when its plan is deleted)
is removed from the calendars."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from dialogues.models import Activity, Plan
from ledelse.dates import long_date
from ledelse.invitations import event_uid, ics_response
from ledelse.invitations.services import Attendee, EventData, invitation_cancel, invitation_ics, invitation_send

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def activity_uid(activity: Activity) -> str:
    return event_uid(kind="plan-activity", pk=activity.pk)


def _attendee(person) -> Attendee:
    return Attendee(name=person.name, email=person.email, user_id=person.user_id)


def activity_event(activity: Activity, *, cancelled_too: bool = False) -> EventData | None:
    """The activity as a calendar event, or None when it has no date or (unless
    `cancelled_too`) is cancelled."""
    if activity.date is None or (activity.status == Activity.Status.AFLYST and not cancelled_too):
        return None
    if activity.start_time is not None:
        start = datetime.combine(activity.date, activity.start_time, tzinfo=COPENHAGEN)
        end = (
            datetime.combine(activity.date, activity.end_time, tzinfo=COPENHAGEN)
            if activity.end_time is not None
            else start + timedelta(hours=1)
        )
    else:
        # A deadline: an all-day event on the day, read as "senest <dato>" as on the page.
        start, end = activity.date, None
    responsible = activity.responsible
    people = [responsible] if responsible is not None else []
    people += [p for p in activity.participants.all() if responsible is None or p.pk != responsible.pk]
    summary, description = activity.title, activity.description
    if activity.start_time is None:
        with translation.override(settings.LANGUAGE_CODE):
            deadline = _("no later than %(date)s") % {"date": long_date(activity.date)}
        summary = f"{activity.title} ({deadline})"
        description = "\n\n".join(part for part in (deadline[:1].upper() + deadline[1:], activity.description) if part)
    return EventData(
        uid=activity_uid(activity),
        summary=summary,
        start=start,
        end=end,
        description=description,
        location=activity.location,
        url=activity.get_absolute_url(),
        organizer=_attendee(responsible) if responsible is not None else None,
        attendees=tuple(_attendee(p) for p in people),
        sequence=activity.calendar_sequence,
    )


def activity_invitations_send(*, activity: Activity) -> int:
    """Bring the invitations in line with the saved activity (in the caller's transaction)."""
    event = activity_event(activity)
    if event is None:
        return invitation_cancel(uid=activity_uid(activity))
    return invitation_send(event=event)


def activity_ics(*, activity: Activity, plan: Plan) -> bytes:
    event = activity_event(activity, cancelled_too=True)
    if event is None:
        raise ValueError("An activity without a date has no calendar event.")
    return invitation_ics(event=event)


def activity_ics_response(*, activity: Activity, plan: Plan) -> HttpResponse:
    return ics_response(ics=activity_ics(activity=activity, plan=plan), filename=f"aktivitet-{activity.pk}.ics")
