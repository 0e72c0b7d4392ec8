"""Input that once gave a 500 in LUS: a follow-up or an agreement dated far out is refused
on the form, a far date already stored still gives its calendar file, and forged ids
(`topics-items`, `agreements-0-id`) are a form error on SQLite (make test's SQLite leg) as on
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from lus import services
from lus.models import Agreement, FollowUp
from tests.conftest import client_for
from tests.lus.conftest import confirmed

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

HUGE = "99999999999999999999999"
RANGE_MESSAGE = "Skriv en dato fra 1. januar 2000 til 31. december 2099."


def _record(what="Mentor", due="2026-12-01", **extra):
    data = {
        "notes": "Vi talte om dialog",
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "20",
        "agreements-0-what": what,
        "agreements-0-due_on": due,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01"])
def test_an_agreement_dated_far_out_is_refused(org, client, lus, due):
    client_for(client, org.users["leader"])
    response = client.post(reverse("lus:record_edit", args=[lus.conversation.pk]), _record(due=due))
    assert response.status_code in (200, 400)
    assert RANGE_MESSAGE in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_forged_huge_agreement_id_is_a_form_error(org, client, lus):
    client_for(client, org.users["leader"])
    response = client.post(reverse("lus:record_edit", args=[lus.conversation.pk]), _record(**{"agreements-0-id": HUGE}))
    assert response.status_code in (200, 400)
    assert not Agreement.objects.exists()


def test_a_forged_huge_topic_id_is_a_form_error(org, client, lus):
    client_for(client, org.users["leader"])
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    response = client.post(url, {"form": "topics", "topics-items": [HUGE, str(lus.principles[0].pk)]})
    assert response.status_code in (200, 400)
    assert "Marker en gyldig valgmulighed." in response.content.decode()


@pytest.mark.parametrize("far", [date(9999, 12, 31), date(1, 1, 1)])
def test_a_follow_up_dated_far_out_is_refused_and_a_stored_one_still_gives_its_calendar_file(org, client, lus, far):
    c = confirmed(lus.conversation, lus.principles)
    agreement = c.agreements.first()
    client_for(client, org.users["leader2"])
    response = client.post(
        reverse("lus:followup_add", args=[c.pk, agreement.pk]), {"date": far.isoformat()}, follow=True
    )
    assert "Angiv en gyldig dato for opfølgningssamtalen." in response.content.decode()
    assert not FollowUp.objects.exists()
    # Stored around the form (the admin, data from before the range).
    followup = services.followup_add(agreement=agreement, date=date(2026, 11, 1))
    FollowUp.objects.filter(pk=followup.pk).update(date=far)
    ics = client.get(reverse("lus:followup_ics", args=[c.pk, followup.pk]))
    assert ics.status_code == 200
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0].decoded("dtstart") == far
    assert client.get(reverse("lus:conversation_detail", args=[c.pk])).status_code == 200
