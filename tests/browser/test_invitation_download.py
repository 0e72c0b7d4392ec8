"""The calendar downloads still work in a real browser, from the same builder as the
e-mailed invitations: leader2 downloads an activity's and a LUS's .ics from their pages and
the files hold the same UID and SEQUENCE as the last e-mail, in Copenhagen time."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from dialogues import services
from ledelse.invitations.models import Invitation
from lus import services as lus_services
from tests.dialogues.conftest import activity_data, framework, plan, rollout  # noqa: F401 - fixtures
from tests.lus.conftest import make_lus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CPH = ZoneInfo("Europe/Copenhagen")


def _download(page, selector: str):
    with page.expect_download() as info:
        page.locator(selector).first.click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    (event,) = Calendar.from_ical(Path(download.path()).read_bytes()).walk("VEVENT")
    return event


def test_the_activity_and_lus_downloads_match_the_invitations(org, plan, page, live_server, sign_in):  # noqa: F811
    activity = services.activity_create(
        plan=plan,
        data=activity_data(org, date=date(2026, 11, 16), start_time=time(10, 0), end_time=time(11, 0)),
    )
    activity = services.activity_update(
        activity=activity,
        data=activity_data(org, date=date(2026, 11, 23), start_time=time(10, 0), end_time=time(11, 0)),
    )
    lus = make_lus(org)
    lus_services.conversation_book(
        conversation=lus.conversation, starts_at=datetime(2026, 10, 5, 13, 0, tzinfo=CPH), location="Lokale 3"
    )

    sign_in("leader2")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    event = _download(page, "a[href$='kalender.ics']")
    sent = Invitation.objects.get(uid=f"plan-activity-{activity.pk}@ledelsesgrundlag")
    assert str(event["UID"]) == sent.uid and int(event["SEQUENCE"]) == sent.sequence == 1
    assert event.decoded("DTSTART") == datetime(2026, 11, 23, 10, 0, tzinfo=CPH)
    assert str(event["ORGANIZER"]).lower() == "mailto:leder2@example.org"

    page.goto(f"{live_server.url}/lus/{lus.conversation.pk}/")
    event = _download(page, "a[href$='invitation.ics']")
    assert str(event["UID"]) == f"lus-{lus.conversation.pk}@ledelsesgrundlag"
    assert str(event["SUMMARY"]) == "LUS-samtale: Lars Leder To og Lene Leder"
    assert event.decoded("DTSTART") == datetime(2026, 10, 5, 13, 0, tzinfo=CPH)
