"""Issue 19, point 4: activities follow the calendar. An activity cannot be done before its
day (in the service, so the form, the responsible person's page and the presentation's last
slide are all covered); coming and overdue activities are listed apart; a deadline reads
"senest <dato>" on the page and in the calendar alike."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from ledelse.status.overview import overview_for
from tests.dialogues.conftest import activity_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_an_activity_cannot_be_saved_as_done_before_its_day(org, plan, today):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            plan=plan, data=activity_data(org, date=today + timedelta(days=11), status="gennemfoert")
        )
    assert "status" in exc.value.error_dict
    assert not plan.activities.exists()


def test_on_and_after_its_day_it_can_be_done(org, plan, make_activity, today):
    assert make_activity(plan, date=today, status="gennemfoert").status == "gennemfoert"
    assert make_activity(plan, date=today - timedelta(days=3), status="gennemfoert").status == "gennemfoert"
    assert make_activity(plan, status="gennemfoert").status == "gennemfoert"  # no date: nothing to wait for


def test_the_presentations_last_slide_cannot_mark_a_coming_activity_done(org, plan, make_activity, client, today):
    """The issue's case: on 6 December, the presentation marked a 17 December activity done."""
    activity = make_activity(plan, date=today + timedelta(days=11))
    client.force_login(org.users["leader2"])
    response = client.post(
        reverse("dialogues:activity_outcome", args=[plan.pk, activity.pk]), {"outcome": "Godt møde", "done": "on"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "planlagt" and activity.outcome == ""
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("kan markeres som gennemført fra den dag" in m for m in messages)


def test_the_service_refuses_done_before_the_day_whoever_calls(plan, make_activity, today):
    activity = make_activity(plan, date=today + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.activity_outcome_save(activity=activity, outcome="Tidligt", done=True)
    assert "done" in exc.value.error_dict
    # Writing what came out (without marking it done) is fine before the day.
    services.activity_outcome_save(activity=activity, outcome="Forberedelse", done=False)
    activity.refresh_from_db()
    assert (activity.status, activity.outcome) == ("planlagt", "Forberedelse")


def test_the_form_says_why_in_danish(org, plan, client, today):
    client.force_login(org.users["leader2"])
    response = client.post(
        reverse("dialogues:activity_create", args=[plan.pk]),
        {
            "kind": "andet",
            "title": "Temadag",
            "responsible": org.people["leader2"].pk,
            "status": "gennemfoert",
            "date": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "den kan markeres som gennemført fra den dag." in response.content.decode()
    assert not plan.activities.exists()


def test_coming_and_overdue_activities_are_listed_apart(org, plan, make_activity, today):
    make_activity(plan, title="Kommende", date=today + timedelta(days=3), responsible=org.people["leader2"])
    make_activity(plan, title="Forsinket", date=today - timedelta(days=3), responsible=org.people["leader2"])
    groups = {g.key: [i.title for i in g.items] for g in overview_for(user=org.users["leader2"], today=today).groups}
    assert groups["activities"] == ["Kommende"]
    assert groups["activities-overdue"] == ["Forsinket"]


def test_the_plan_page_marks_an_overdue_activity(org, plan, make_activity, client, today):
    make_activity(plan, title="Forsinket", date=today - timedelta(days=3))
    make_activity(plan, title="Kommende", date=today + timedelta(days=3))
    client.force_login(org.users["leader2"])
    html = client.get(plan.get_absolute_url()).content.decode()
    late, coming = html.index(">Forsinket</h3>"), html.index(">Kommende</h3>")
    assert late < coming
    assert "forsinket</span>" in html[late:coming]
    assert "forsinket</span>" not in html[coming:]


def test_a_deadline_reads_senest_on_the_page_and_in_the_calendar(org, plan, make_activity, client, today):
    day = today + timedelta(days=11)
    activity = make_activity(plan, title="Aflevering", date=day)
    client.force_login(org.users["leader2"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "senest" in html
    response = client.get(reverse("dialogues:activity_ics", args=[plan.pk, activity.pk]))
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Aflevering (senest ")
    assert str(event["DESCRIPTION"]).startswith("Senest ")
