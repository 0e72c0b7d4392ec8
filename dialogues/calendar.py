"""An activity as a calendar invitation (.ics) through the shared ledelse.invitations.

The UID is stable per activity and SEQUENCE is the activity's calendar_sequence, which
dialogues.services raises whenever the date or time changes: Outlook then updates the
invitation it has instead of adding a second one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, translation
from django.utils.translation import gettext as _

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
        # A deadline: an all-day event on the day, read as "senest <dato>" as on the page.
        start, end = activity.date, None
    attendees = [(p.name, p.email) for p in activity.participants.all() if p.email]
    summary, description = activity.title, activity.description
    if activity.start_time is None:
        with translation.override(settings.LANGUAGE_CODE):
            deadline = _("no later than %(date)s") % {"date": formats.date_format(activity.date, "j. F Y")}
        summary = f"{activity.title} ({deadline})"
        description = "\n\n".join(part for part in (deadline[:1].upper() + deadline[1:], activity.description) if part)
    return event_ics(
        uid=activity_uid(activity),
        sequence=activity.calendar_sequence,
        summary=summary,
        start=start,
        end=end,
        description=description,
        location=activity.location,
        url=(settings.SITE_URL or "").rstrip("/") + activity.get_absolute_url(),
        attendees=attendees,
    )


def activity_ics_response(*, activity: Activity, plan: Plan) -> HttpResponse:
    return ics_response(ics=activity_ics(activity=activity, plan=plan), filename=f"aktivitet-{activity.pk}.ics")
