"""The cards on screen and what came out of the dialogue, written into the activity by
those who may edit the plan."""

from __future__ import annotations

import pytest

from dialogues.models import Activity
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(plan, principles, make_activity):
    return make_activity(plan, title="Dialog om tillid", principles=(principles[0],))


def _url(plan, activity, what="praesentation"):
    return f"/planer/{plan.pk}/aktiviteter/{activity.pk}/{what}/"


def test_the_presentation_shows_the_activitys_cards_with_static_script_only(client, org, plan, meeting):
    response = client_for(client, org.users["leader2"]).get(_url(plan, meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-slide id="kort-1"' in html and "Princip 1.1" in html
    assert "/static/dialogues/presentation.js" in html
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    assert 'id="udbytte"' in html  # the owner may write the outcome


def test_a_reader_who_may_not_edit_sees_the_cards_but_no_outcome_form(client, org, plan, meeting):
    html = client_for(client, org.users["leader3"]).get(_url(plan, meeting)).content.decode()
    assert 'data-slide id="kort-1"' in html and 'id="udbytte"' not in html


def test_the_owner_writes_the_outcome_into_the_activity(client, org, plan, meeting):
    response = client_for(client, org.users["leader2"]).post(
        _url(plan, meeting, "udbytte"), {"outcome": "Vi aftalte at øve åben feedback.", "done": "on"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.outcome == "Vi aftalte at øve åben feedback."
    assert meeting.status == Activity.Status.GENNEMFOERT


def test_an_empty_outcome_is_refused_and_nothing_saved(client, org, plan, meeting):
    response = client_for(client, org.users["leader2"]).post(_url(plan, meeting, "udbytte"), {"outcome": "  "})
    assert response.status_code == 302 and response["Location"].endswith("#udbytte")
    meeting.refresh_from_db()
    assert meeting.outcome == ""


@pytest.mark.parametrize("user,status", [("leader3", 403), ("employee", 403), ("outsider", 404), (None, 302)])
def test_only_those_who_edit_the_plan_write_the_outcome(client, org, plan, meeting, user, status):
    if user:
        client_for(client, org.users[user])
    response = client.post(_url(plan, meeting, "udbytte"), {"outcome": "Noget"})
    assert response.status_code == status
    meeting.refresh_from_db()
    assert meeting.outcome == ""


def test_the_framework_presentation_and_material_page(client, org, framework):
    c = client_for(client, org.users["employee"])
    html = c.get(f"/planer/materiale/{framework.slug}/praesentation/?tema=tema-2").content.decode()
    assert "Princip 2.1" in html and "Princip 1.1" not in html and 'id="udbytte"' not in html
    page = c.get(f"/planer/materiale/{framework.slug}/").content.decode()
    assert f"/planer/materiale/{framework.slug}/dialogkort.pdf" in page
    assert f"/planer/materiale/{framework.slug}/haefte.pdf" in page


def test_each_document_is_one_click_from_its_page(client, org, framework, plan, meeting):
    c = client_for(client, org.users["leader2"])
    assert f"/planer/materiale/{framework.slug}/" in c.get(f"/ledelsesgrundlag/{framework.slug}/").content.decode()
    theme = c.get(f"/ledelsesgrundlag/{framework.slug}/tema-1/").content.decode()
    assert f"/planer/materiale/{framework.slug}/dialogkort.pdf?tema=tema-1" in theme
    principle = c.get(f"/ledelsesgrundlag/{framework.slug}/princip-1-1/").content.decode()
    assert f"/planer/materiale/{framework.slug}/dialogkort.pdf?princip=princip-1-1" in principle
    plan_page = c.get(f"/planer/{plan.pk}/").content.decode()
    assert f"/planer/{plan.pk}/plan.pdf" in plan_page
    assert _url(plan, meeting) in plan_page
    assert f"/planer/{plan.pk}/aktiviteter/{meeting.pk}/dialogmoedeguide.pdf" in plan_page


def test_an_activity_ahead_offers_no_done_box_only_when_it_can_be_marked(client, org, plan, make_activity):
    """The last slide offers "done" only from the activity's day (the service refuses it
    before; the page does not offer what it would refuse)."""
    from datetime import timedelta

    from django.utils import timezone

    ahead = make_activity(plan, title="Senere møde", date=timezone.localdate() + timedelta(days=10))
    today = make_activity(plan, title="Dagens møde", date=timezone.localdate())
    client_for(client, org.users["leader2"])
    html = client.get(_url(plan, ahead)).content.decode()
    assert 'name="done"' not in html and "kan markeres som gennemført fra" in html
    html = client.get(_url(plan, today)).content.decode()
    assert 'name="done"' in html
