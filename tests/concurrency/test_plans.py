"""Two people, one plan (issue 17, points 1 and 2): co-owners saving the translation, two
users saving one activity, an approval from a page loaded before the plan was sent back,
rewritten and resubmitted."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from dialogues import services
from dialogues.models import Activity, Plan
from ledelse.concurrency.versions import Seen, VersionConflict
from tests.concurrency.htmlform import form_fields, with_values
from tests.dialogues.conftest import activity_data, submitted
from values.models import Item

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _themes(plan) -> list[Item]:
    return list(Item.objects.filter(version=plan.rollout.framework_version, kind="theme").order_by("position"))


def test_two_co_owners_each_save_a_theme_and_neither_is_undone(org, plan):
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    first, second = _themes(plan)[:2]
    url = reverse("dialogues:plan_translation_edit", args=[plan.pk])
    owner, co_owner = _session(org.users["leader2"]), _session(org.users["employee"])
    owners_form = form_fields(owner.get(url).content.decode())
    co_owners_form = form_fields(co_owner.get(url).content.decode())

    assert owner.post(url, with_values(owners_form, **{f"theme_{first.pk}": "Ejerens tekst"})).status_code == 302
    response = co_owner.post(url, with_values(co_owners_form, **{f"theme_{second.pk}": "Medejerens tekst"}))

    assert response.status_code == 200  # the form again, with what changed meanwhile
    page = response.content.decode()
    assert "En anden har gemt, mens du redigerede" in page and "Ejerens tekst" in page
    texts = dict(Plan.objects.get(pk=plan.pk).translations.values_list("theme_id", "text"))
    assert texts.get(first.pk) == "Ejerens tekst" and second.pk not in texts
    # The owner's theme is offered as theirs: saving again keeps both.
    again = form_fields(page)
    assert again[f"conflict-theme_{first.pk}"] == ["theirs"]
    assert co_owner.post(url, again).status_code == 302
    texts = dict(Plan.objects.get(pk=plan.pk).translations.values_list("theme_id", "text"))
    assert texts == {first.pk: "Ejerens tekst", second.pk: "Medejerens tekst"}


def test_an_activity_change_meanwhile_is_no_conflict_for_the_translation(org, plan, make_activity):
    theme = _themes(plan)[0]
    url = reverse("dialogues:plan_translation_edit", args=[plan.pk])
    owner = _session(org.users["leader2"])
    form = form_fields(owner.get(url).content.decode())
    make_activity(plan)  # raises the plan's version
    assert owner.post(url, with_values(form, **{f"theme_{theme.pk}": "Tekst"})).status_code == 302


def test_the_service_refuses_a_translation_from_an_older_version(org, plan):
    theme = _themes(plan)[0]
    seen = Seen.parse(services.plan_translation_seen_token(plan=plan))
    services.plan_translation_save(plan=plan, texts={theme.pk: "Ny"}, focus_principles=[], version=seen)
    with pytest.raises(VersionConflict):
        services.plan_translation_save(plan=plan, texts={theme.pk: "Gammel"}, focus_principles=[], version=seen)
    assert plan.translations.get(theme=theme).text == "Ny"


def test_an_older_activity_form_does_not_revert_the_date(org, plan, make_activity):
    activity = make_activity(plan, date=date(2026, 9, 1))
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    url = reverse("dialogues:activity_edit", args=[plan.pk, activity.pk])
    owner, co_owner = _session(org.users["leader2"]), _session(org.users["employee"])
    owners_form = form_fields(owner.get(url).content.decode())
    co_owners_form = form_fields(co_owner.get(url).content.decode())

    assert owner.post(url, with_values(owners_form, date="2026-10-15")).status_code == 302
    response = co_owner.post(url, with_values(co_owners_form, title="Dialog om tillid og mod"))

    assert response.status_code == 200 and "En anden har gemt, mens du redigerede" in response.content.decode()
    activity.refresh_from_db()
    assert activity.date == date(2026, 10, 15) and activity.title == "Dialog om tillid"
    # Saving again takes the owner's date (offered as theirs) and keeps the new title.
    assert co_owner.post(url, form_fields(response.content.decode())).status_code == 302
    activity.refresh_from_db()
    assert activity.date == date(2026, 10, 15) and activity.title == "Dialog om tillid og mod"


def test_the_activity_service_refuses_a_save_from_an_older_version(org, plan, make_activity):
    activity = make_activity(plan, date=date(2026, 9, 1))
    seen = Seen.parse(services.activity_seen_token(activity=activity))
    services.activity_update(activity=activity, data=activity_data(org, date=date(2026, 10, 1)), version=seen)
    with pytest.raises(VersionConflict):
        services.activity_update(activity=activity, data=activity_data(org, date=date(2026, 9, 1)), version=seen)
    assert Activity.objects.get(pk=activity.pk).date == date(2026, 10, 1)


def test_an_approval_from_a_page_loaded_before_a_resubmission_asks_again(org, plan, make_activity):
    make_activity(plan)
    plan = submitted(org, plan)
    detail = reverse("dialogues:plan_detail", args=[plan.pk])
    approve = reverse("dialogues:plan_approve", args=[plan.pk])
    approver = _session(org.users["leader"])
    old_page = form_fields(approver.get(detail).content.decode(), contains="godkend")
    # Sent back, rewritten and resubmitted after the approver loaded the page.
    services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment="Mere om dialog")
    make_activity(plan, title="Dialogmøde i MED")
    services.plan_transition(user=org.users["leader2"], plan=plan, action="submit")

    response = approver.post(approve, old_page, follow=True)
    assert "Planen er ændret, siden du åbnede siden" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.INDSENDT
    approver.post(approve, form_fields(approver.get(detail).content.decode(), contains="godkend"))
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.GODKENDT


def test_approving_with_the_version_seen_is_only_for_the_approver(org, plan, make_activity, client):
    make_activity(plan)
    plan = submitted(org, plan)
    approve = reverse("dialogues:plan_approve", args=[plan.pk])
    data = {"seen_version": str(Plan.objects.get(pk=plan.pk).lock_version)}
    assert _session(org.users["leader2"]).post(approve, data).status_code == 403
    assert client.post(approve, data).status_code == 302  # to sign-in
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.INDSENDT
