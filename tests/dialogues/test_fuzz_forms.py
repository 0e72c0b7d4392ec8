"""Any text into the plan forms (the local translation, an activity, the outcome written in
the presentation, sending back, a rollout) is saved as sent (stripped, see tests/fuzz_text.py)
or refused with a Danish message on the form: never a 500 (PostgreSQL refuses NUL, so a
missing validator would be one)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from dialogues.models import Activity, PlanEvent, PlanTranslation, Rollout
from tests.dialogues.conftest import submitted
from tests.fuzz_text import as_saved, assert_refused, bad_text, fuzz_settings, rolled_back, verdict
from values.models import Item

pytestmark = pytest.mark.django_db

ACTIVITY_FIELDS = {
    "title": {"max_length": 200, "required": "Giv aktiviteten en titel."},
    "description": {"max_length": 5000},
    "participants_note": {"max_length": 300},
    "location": {"max_length": 200},
    "outcome": {"max_length": 5000},
}


@fuzz_settings
@given(texts=st.lists(bad_text, min_size=2, max_size=2))
def test_the_translation_saves_any_text_as_written_or_says_why_not(org, plan, client, texts):
    themes = list(Item.objects.filter(version=plan.rollout.framework_version, kind="theme").order_by("position"))
    sent = dict(zip((t.pk for t in themes), texts, strict=True))
    expected_errors = [m for m in (verdict(v, max_length=5000) for v in sent.values()) if m]
    with rolled_back():
        client.force_login(org.users["leader2"])
        response = client.post(
            reverse("dialogues:plan_translation_edit", args=[plan.pk]),
            {f"theme_{pk}": text for pk, text in sent.items()},
        )
        if expected_errors:
            assert_refused(response, expected_errors)
            assert not PlanTranslation.objects.exists()
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            saved = dict(PlanTranslation.objects.filter(plan=plan).values_list("theme_id", "text"))
            assert saved == {pk: as_saved(text) for pk, text in sent.items() if text.strip()}
            page = client.get(reverse("dialogues:plan_translation_edit", args=[plan.pk]))
            assert page.status_code == 200
            assert client.get(plan.get_absolute_url()).status_code == 200


@fuzz_settings
@given(texts=st.fixed_dictionaries({name: bad_text for name in ACTIVITY_FIELDS}))
def test_an_activity_saves_any_text_as_written_or_says_why_not(org, plan, client, texts):
    expected_errors = [m for m in (verdict(texts[n], **rules) for n, rules in ACTIVITY_FIELDS.items()) if m]
    with rolled_back():
        client.force_login(org.users["leader2"])
        response = client.post(
            reverse("dialogues:activity_create", args=[plan.pk]),
            {"kind": "temadag", "responsible": org.people["leader2"].pk, "status": "planlagt", **texts},
        )
        if expected_errors:
            assert_refused(response, expected_errors)
            assert not Activity.objects.exists()
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            activity = Activity.objects.get(plan=plan)
            assert {n: getattr(activity, n) for n in ACTIVITY_FIELDS} == {n: as_saved(v) for n, v in texts.items()}
            page = client.get(reverse("dialogues:activity_edit", args=[plan.pk, activity.pk]))
            assert page.status_code == 200
            assert escape(activity.title) in page.content.decode()
            assert client.get(plan.get_absolute_url()).status_code == 200
            ics = client.get(reverse("dialogues:activity_ics", args=[plan.pk, activity.pk]))
            assert ics.status_code in (200, 404)  # 404: no date, no invitation


@pytest.fixture
def activity(plan, make_activity) -> Activity:
    return make_activity(plan)


@pytest.fixture
def submitted_plan(org, plan, activity):
    return submitted(org, plan)


@fuzz_settings
@given(outcome=bad_text)
def test_the_outcome_from_the_presentation_is_saved_as_written_or_says_why_not(org, plan, activity, client, outcome):
    expected_error = verdict(outcome, max_length=10_000, required="Skriv, hvad der kom ud af dialogen.")
    with rolled_back():
        client.force_login(org.users["leader2"])
        response = client.post(
            reverse("dialogues:activity_outcome", args=[plan.pk, activity.pk]), {"outcome": outcome}, follow=True
        )
        assert response.status_code == 200
        activity.refresh_from_db()
        if expected_error:
            assert expected_error in response.content.decode()
            assert activity.outcome == ""
        else:
            assert activity.outcome == as_saved(outcome)


@fuzz_settings
@given(comment=bad_text)
def test_sending_back_keeps_the_comment_as_written_or_says_why_not(org, submitted_plan, client, comment):
    plan = submitted_plan
    expected_error = verdict(
        comment,
        max_length=5000,
        required="Skriv, hvad planen mangler, før den kan godkendes, så ejerne ved, hvad de skal ændre.",
    )
    with rolled_back():
        client.force_login(org.users["leader"])
        response = client.post(reverse("dialogues:plan_send_back", args=[plan.pk]), {"comment": comment})
        plan.refresh_from_db()
        if expected_error:
            assert_refused(response, [expected_error])
            assert plan.state == "indsendt"
        else:
            assert response.status_code == 302
            assert plan.state == "kladde"
            assert PlanEvent.objects.filter(plan=plan).last().comment == as_saved(comment)
            assert client.get(plan.get_absolute_url()).status_code == 200


@fuzz_settings
@given(title=bad_text)
def test_a_rollout_saves_any_title_as_written_or_says_why_not(org, framework, client, title):
    expected_error = verdict(title, max_length=200, required="Giv udrulningen en titel.")
    with rolled_back():
        client.force_login(org.users["koncern"])
        response = client.post(
            reverse("dialogues:rollout_create"),
            {
                "title": title,
                "scope_unit": org.units["RT"].pk,
                "framework": framework.pk,
                "starts_on": "2026-06-04",
                "deadline": "2026-12-31",
                "activity_due_days": 7,
                "plan_missing_days": 14,
                "approval_wait_days": 7,
            },
        )
        if expected_error:
            assert_refused(response, [expected_error])
            assert not Rollout.objects.exists()
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            rollout = Rollout.objects.get()
            assert rollout.title == as_saved(title)
            assert client.get(rollout.get_absolute_url()).status_code == 200
