"""Bad input gets a clear Danish message on the form, and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues.models import Activity, PlanTranslation
from tests.dialogues.conftest import submitted
from values.models import Item

pytestmark = pytest.mark.django_db


def _post(client, org, plan, **extra):
    data = {
        "kind": "temadag",
        "title": "Temadag om dristighed",
        "responsible": org.people["leader2"].pk,
        "status": "planlagt",
    }
    data.update(extra)
    client.force_login(org.users["leader2"])
    return client.post(reverse("dialogues:activity_create", args=[plan.pk]), data)


def _assert_refused(response, message):
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body, body[body.find("alert-error") : body.find("alert-error") + 800]
    assert not Activity.objects.exists()


def test_an_empty_title(org, plan, client):
    _assert_refused(_post(client, org, plan, title="   "), "Giv aktiviteten en titel.")


def test_a_date_before_the_rollout_starts(org, plan, client):
    _assert_refused(
        _post(client, org, plan, date="2026-05-01"), "Datoen kan ikke ligge før udrulningen starter (4. juni 2026)."
    )


def test_a_principle_of_another_framework(org, plan, client, other_framework):
    foreign = Item.objects.filter(version=other_framework.current_version, kind="principle").first()
    _assert_refused(
        _post(client, org, plan, principles=[foreign.pk]),
        f"“{foreign.title}” er ikke et tema eller princip i planens grundlag.",
    )


def test_a_responsible_person_from_another_region(org, plan, client):
    _assert_refused(
        _post(client, org, plan, responsible=org.people["outsider"].pk),
        "Den ansvarlige skal arbejde i enheden eller være leder over den.",
    )


def test_a_tampered_id(org, plan, client):
    _assert_refused(_post(client, org, plan, responsible=987654321), "Marker en gyldig valgmulighed.")


def test_a_tampered_principle_id_that_names_a_text_of_the_framework(org, plan, client, framework):
    text = framework.current_version.items.get(kind="text")
    _assert_refused(_post(client, org, plan, principles=[text.pk]), "Marker en gyldig valgmulighed.")


def test_an_end_before_the_start(org, plan, client):
    _assert_refused(
        _post(client, org, plan, date="2026-09-01", start_time="14:00", end_time="13:00"),
        "Sluttidspunktet skal ligge efter starttidspunktet.",
    )


def test_adding_an_activity_to_a_submitted_plan(org, plan, client, make_activity):
    make_activity(plan)
    submitted(org, plan)
    response = _post(client, org, plan)
    assert "Aktiviteterne kan ikke ændres, mens planen er indsendt." in response.content.decode()
    assert plan.activities.count() == 1


def test_editing_the_translation_of_a_submitted_plan(org, plan, client, make_activity, principles):
    make_activity(plan)
    submitted(org, plan)
    client.force_login(org.users["leader2"])
    theme = principles[0].parent
    response = client.post(
        reverse("dialogues:plan_translation_edit", args=[plan.pk]), {f"theme_{theme.pk}": "Sent ændret"}
    )
    assert response.status_code == 200
    assert "Oversættelsen kan kun ændres, mens planen er en kladde." in response.content.decode()
    assert not PlanTranslation.objects.exists()


def test_a_focus_principle_of_another_framework(org, plan, client, other_framework):
    foreign = Item.objects.filter(version=other_framework.current_version, kind="principle").first()
    client.force_login(org.users["leader2"])
    response = client.post(
        reverse("dialogues:plan_translation_edit", args=[plan.pk]), {"focus_principles": [foreign.pk]}
    )
    assert "er ikke et tema eller princip i planens grundlag." in response.content.decode()
    assert not plan.focus_principles.exists()


def test_a_step_with_a_refused_comment_is_not_taken(client, org, plan, make_activity):
    """A hand-made POST of a comment with a control character: the plan stays where it
    was and the owner is told why (the comment is never silently dropped)."""
    make_activity(plan)
    client.force_login(org.users["leader2"])
    response = client.post(reverse("dialogues:plan_submit", args=[plan.pk]), {"comment": "Se\x01her"}, follow=True)
    plan.refresh_from_db()
    assert plan.state == "kladde" and plan.submitted_at is None
    assert "kontroltegn" in response.content.decode().lower()
    # Without the control character the same step is taken.
    client.post(reverse("dialogues:plan_submit", args=[plan.pk]), {"comment": "Se her"})
    plan.refresh_from_db()
    assert plan.state == "indsendt"


def test_a_refused_comment_does_not_open_the_step_to_the_wrong_user(client, org, plan):
    client.force_login(org.users["leader3"])
    response = client.post(reverse("dialogues:plan_submit", args=[plan.pk]), {"comment": "Se\x01her"})
    assert response.status_code == 403
