"""An activity as a calendar invitation (.ics) through the shared ledelse.invitations.

The UID is stable per activity and SEQUENCE is the activity's calendar_sequence, which
dialogues.services raises whenever the date or time changes: Outlook then updates the
invitation it has instead of adding a second one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse

from dialogues.models import Activity, Plan
from ledelse.invitations import event_ics, event_uid, ics_response

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def activity_uid(activity: Activity) -> str:
    return event_uid(kind="plan-activity", pk=activity.pk)


def activity_ics(*, activity: Activity, plan: Plan) -> bytes:
    if activity.start_time is not None:
        start = datetime.combine(activity.date, activity.start_time, tzinfo=COPENHAGEN)
        end = (
            datetime.combine(activity.date, activity.end_time, tzinfo=COPENHAGEN)
            if activity.end_time is not None
            else start + timedelta(hours=1)
        )
    else:
        # A deadline: an all-day event on the day.
        start, end = activity.date, None
    attendees = [(p.name, p.email) for p in activity.participants.all() if p.email]
    return event_ics(
        uid=activity_uid(activity),
        sequence=activity.calendar_sequence,
        summary=activity.title,
        start=start,
        end=end,
        description=activity.description,
        location=activity.location,
        url=(settings.SITE_URL or "").rstrip("/") + activity.get_absolute_url(),
        attendees=attendees,
    )


def activity_ics_response(*, activity: Activity, plan: Plan) -> HttpResponse:
    return ics_response(ics=activity_ics(activity=activity, plan=plan), filename=f"aktivitet-{activity.pk}.ics")
