"""Input that once gave a 500: dates far out are refused on the form, a far date already
stored still gives its calendar file and meeting guide, and forged ids are a form error on
SQLite (the SQLite leg of make test) as on PostgreSQL."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from dialogues.models import Activity
from tests.dialogues.conftest import activity_data
from tests.dialogues.test_bad_input import _assert_refused, _post

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

HUGE = "99999999999999999999999"
RANGE_MESSAGE = "Skriv en dato fra 1. januar 2000 til 31. december 2099."


@pytest.mark.parametrize("field", ["date", "follow_up_on"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_date_far_out_is_refused(org, plan, client, field, value):
    _assert_refused(_post(client, org, plan, **{field: value}), RANGE_MESSAGE)


def test_a_far_date_already_stored_still_gives_the_calendar_file_and_the_meeting_guide(org, plan, client):
    # Stored around the form (an import, the admin, data from before the range).
    activity = Activity.objects.create(
        plan=plan, **{k: v for k, v in vars(activity_data(org)).items() if k not in ("principles", "participants")}
    )
    Activity.objects.filter(pk=activity.pk).update(
        date=date(9999, 12, 31), start_time=time(23, 50), end_time=time(23, 55), follow_up_on=date(9999, 12, 31)
    )
    client.force_login(org.users["leader2"])
    ics = client.get(reverse("dialogues:activity_ics", args=[plan.pk, activity.pk]))
    assert ics.status_code == 200 and b"DTSTART" in ics.content
    guide = client.get(reverse("dialogues:activity_guide_pdf", args=[plan.pk, activity.pk]))
    assert guide.status_code == 200 and guide.content.startswith(b"%PDF")
    assert client.get(reverse("dialogues:plan_detail", args=[plan.pk])).status_code == 200


@pytest.mark.parametrize("field", ["principles", "participants", "responsible"])
def test_a_forged_huge_id_on_an_activity_is_a_form_error(org, plan, client, field):
    value = [HUGE] if field != "responsible" else HUGE
    _assert_refused(_post(client, org, plan, **{field: value}), "Marker en gyldig valgmulighed.")


def test_a_forged_huge_co_owner_id_is_a_form_error(org, plan, client):
    client.force_login(org.users["leader2"])
    response = client.post(reverse("dialogues:plan_co_owners_edit", args=[plan.pk]), {"co_owners": [HUGE]})
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert not plan.co_owners.exists()
