"""Every view that changes a plan, with the right user, the wrong user, no user and a user
from another region (404: the plan does not exist for them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import Activity, Plan
from tests.dialogues.conftest import submitted

pytestmark = pytest.mark.django_db


def _post(client, user, url, data=None):
    if user is not None:
        client.force_login(user)
    return client.post(url, data or {})


def _is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _activity_post(org, **extra):
    data = {
        "kind": "personalemoede",
        "title": "Personalemøde om dialog",
        "responsible": org.people["leader2"].pk,
        "status": "planlagt",
    }
    data.update(extra)
    return data


# --- Editing: owners and the leaders above them ------------------------------------------------


@pytest.mark.parametrize("who", ["leader2", "leader"])
def test_the_owner_and_the_leader_above_add_an_activity(org, plan, client, who):
    response = _post(client, org.users[who], reverse("dialogues:activity_create", args=[plan.pk]), _activity_post(org))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.activities.get().title == "Personalemøde om dialog"


@pytest.mark.parametrize("who", ["employee", "leader3", "hr", "koncern_not_above"])
def test_others_in_the_region_may_not_add_an_activity(org, plan, client, who):
    user = org.users["leader3" if who == "koncern_not_above" else who]
    response = _post(client, user, reverse("dialogues:activity_create", args=[plan.pk]), _activity_post(org))
    assert response.status_code == 403
    assert not plan.activities.exists()


def test_a_co_owner_edits_the_plan(org, plan, client):
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    response = _post(
        client, org.users["employee"], reverse("dialogues:activity_create", args=[plan.pk]), _activity_post(org)
    )
    assert response.status_code == 302
    assert plan.activities.count() == 1


def test_adding_an_activity_needs_sign_in(org, plan, client):
    response = _post(client, None, reverse("dialogues:activity_create", args=[plan.pk]), _activity_post(org))
    assert _is_login_redirect(response)
    assert not plan.activities.exists()


def test_another_regions_leader_gets_404(org, plan, client):
    for name in ("plan_detail", "activity_create", "plan_translation_edit", "plan_co_owners_edit"):
        client.force_login(org.users["outsider"])
        assert client.get(reverse(f"dialogues:{name}", args=[plan.pk])).status_code == 404, name
    assert (
        _post(
            client, org.users["outsider"], reverse("dialogues:activity_create", args=[plan.pk]), _activity_post(org)
        ).status_code
        == 404
    )
    assert not plan.activities.exists()


def test_the_activity_edit_page_follows_the_same_rules(org, plan, client, make_activity):
    activity = make_activity(plan)
    url = reverse("dialogues:activity_edit", args=[plan.pk, activity.pk])
    assert _post(client, org.users["employee"], url, _activity_post(org, title="Ændret")).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url, _activity_post(org, title="Ændret")))
    assert _post(client, org.users["outsider"], url, _activity_post(org, title="Ændret")).status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Dialog om tillid"
    assert _post(client, org.users["leader2"], url, _activity_post(org, title="Ændret")).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Ændret"


def test_an_activity_of_another_plan_is_not_found_through_this_one(org, rollout, plan, client, make_activity):
    other = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    activity = make_activity(other, responsible=org.people["leader3"])
    response = _post(
        client,
        org.users["leader2"],
        reverse("dialogues:activity_edit", args=[plan.pk, activity.pk]),
        _activity_post(org),
    )
    assert response.status_code == 404


def test_the_translation_follows_the_editing_rules(org, plan, client, principles):
    theme = principles[0].parent
    url = reverse("dialogues:plan_translation_edit", args=[plan.pk])
    data = {f"theme_{theme.pk}": "Hos os", "focus_principles": [principles[0].pk]}
    assert _post(client, org.users["employee"], url, data).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url, data))
    assert not plan.translations.exists()
    assert _post(client, org.users["leader2"], url, data).status_code == 302
    assert plan.translations.get().text == "Hos os"
    assert list(plan.focus_principles.all()) == [principles[0]]


def test_the_co_owners_follow_the_editing_rules(org, plan, client):
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    data = {"co_owners": [org.people["employee"].pk]}
    assert _post(client, org.users["employee"], url, data).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url, data))
    assert not plan.co_owners.exists()
    assert _post(client, org.users["leader2"], url, data).status_code == 302
    assert list(plan.co_owners.all()) == [org.people["employee"]]


# --- Workflow ------------------------------------------------------------------------------------


def test_the_owner_submits_and_others_may_not(org, plan, client, make_activity):
    make_activity(plan)
    url = reverse("dialogues:plan_submit", args=[plan.pk])
    assert _post(client, org.users["employee"], url).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url))
    assert _post(client, org.users["outsider"], url).status_code == 404
    assert Plan.objects.get(pk=plan.pk).state == "kladde"
    assert _post(client, org.users["leader2"], url).status_code == 302
    assert Plan.objects.get(pk=plan.pk).state == "indsendt"


@pytest.mark.parametrize("who", ["leader", "koncern"])
def test_the_own_leader_or_a_leader_above_approves(org, plan, client, make_activity, who):
    make_activity(plan)
    submitted(org, plan)
    assert _post(client, org.users[who], reverse("dialogues:plan_approve", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.state == "godkendt"
    assert plan.events.get(to_state="godkendt").actor == org.users[who]


@pytest.mark.parametrize("who", ["leader2", "leader3", "employee", "hr"])
def test_nobody_else_approves(org, plan, client, make_activity, who):
    make_activity(plan)
    submitted(org, plan)
    assert _post(client, org.users[who], reverse("dialogues:plan_approve", args=[plan.pk])).status_code == 403
    assert Plan.objects.get(pk=plan.pk).state == "indsendt"


def test_approving_needs_sign_in_and_the_region(org, plan, client, make_activity):
    make_activity(plan)
    submitted(org, plan)
    url = reverse("dialogues:plan_approve", args=[plan.pk])
    assert _is_login_redirect(_post(client, None, url))
    assert _post(client, org.users["outsider"], url).status_code == 404
    assert Plan.objects.get(pk=plan.pk).state == "indsendt"


def test_an_explicit_own_leader_approves(org, plan, client, make_activity):
    owner = org.people["leader2"]
    owner.own_leader = org.people["leader3"]
    owner.save()
    make_activity(plan)
    submitted(org, plan)
    assert _post(client, org.users["leader3"], reverse("dialogues:plan_approve", args=[plan.pk])).status_code == 302
    assert Plan.objects.get(pk=plan.pk).state == "godkendt"


def test_sending_back_follows_the_approval_rules(org, plan, client, make_activity):
    make_activity(plan)
    submitted(org, plan)
    url = reverse("dialogues:plan_send_back", args=[plan.pk])
    data = {"comment": "Mere om MED"}
    assert _post(client, org.users["leader2"], url, data).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url, data))
    assert _post(client, org.users["outsider"], url, data).status_code == 404
    assert Plan.objects.get(pk=plan.pk).state == "indsendt"
    assert _post(client, org.users["leader"], url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.state == "kladde"
    assert plan.events.order_by("-id").first().comment == "Mere om MED"


def test_sending_back_without_a_comment_shows_a_danish_message(org, plan, client, make_activity):
    make_activity(plan)
    submitted(org, plan)
    response = _post(client, org.users["leader"], reverse("dialogues:plan_send_back", args=[plan.pk]), {"comment": ""})
    assert response.status_code == 200
    assert (
        "Skriv, hvad planen mangler, før den kan godkendes, så ejerne ved, hvad de skal ændre."
        in response.content.decode()
    )
    assert Plan.objects.get(pk=plan.pk).state == "indsendt"


def test_starting_and_completing_follow_the_editing_rules(org, plan, client, make_activity):
    make_activity(plan)
    submitted(org, plan)
    services.plan_transition(user=org.users["leader"], plan=plan, action="approve")
    begin = reverse("dialogues:plan_begin", args=[plan.pk])
    assert _post(client, org.users["employee"], begin).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, begin))
    assert Plan.objects.get(pk=plan.pk).state == "godkendt"
    assert _post(client, org.users["leader2"], begin).status_code == 302
    finish = reverse("dialogues:plan_finish", args=[plan.pk])
    assert _post(client, org.users["employee"], finish).status_code == 403
    assert Plan.objects.get(pk=plan.pk).state == "i_gang"
    assert _post(client, org.users["leader"], finish).status_code == 302
    assert Plan.objects.get(pk=plan.pk).state == "afsluttet"


def test_a_step_in_the_wrong_state_shows_a_message_and_changes_nothing(org, plan, client, make_activity):
    make_activity(plan)
    client.force_login(org.users["leader2"])
    response = client.post(reverse("dialogues:plan_finish", args=[plan.pk]), follow=True)
    assert "Planen er kladde, så det kan ikke lade sig gøre nu." in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).state == "kladde"


# --- Starting a plan --------------------------------------------------------------------------------


def test_the_units_leader_starts_its_plan(org, rollout, client):
    url = reverse("dialogues:plan_start", args=[rollout.pk, org.units["A1"].pk])
    assert _post(client, org.users["employee"], url).status_code == 403
    assert _post(client, org.users["leader3"], url).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url))
    assert _post(client, org.users["outsider"], url).status_code == 404
    assert not Plan.objects.exists()
    response = _post(client, org.users["leader2"], url)
    plan = Plan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert plan.unit == org.units["A1"] and plan.owner == org.people["leader2"]


def test_a_leader_above_starts_the_plan_for_the_unit(org, rollout, client):
    url = reverse("dialogues:plan_start", args=[rollout.pk, org.units["A1"].pk])
    assert _post(client, org.users["leader"], url).status_code == 302
    assert Plan.objects.get().owner == org.people["leader2"]


# --- Copying -----------------------------------------------------------------------------------------


def test_an_activity_is_copied_only_into_ones_own_plan(org, rollout, plan, client, make_activity, principles):
    activity = make_activity(plan, principles=(principles[0],), description="Sådan gjorde vi")
    own = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    url = reverse("dialogues:activity_copy", args=[plan.pk, activity.pk])
    # employee has no plan of their own: the target is refused
    _post(client, org.users["employee"], url, {"target": own.pk})
    assert not own.activities.exists()
    client.logout()
    assert _is_login_redirect(_post(client, None, url, {"target": own.pk}))
    response = _post(client, org.users["leader3"], url, {"target": own.pk})
    copy = own.activities.get()
    assert response.status_code == 302
    assert (copy.title, copy.description, copy.responsible, copy.status) == (
        "Dialog om tillid",
        "Sådan gjorde vi",
        org.people["leader3"],
        Activity.Status.PLANLAGT,
    )
    assert list(copy.principles.all()) == [principles[0]]


def test_a_translation_is_copied_only_into_ones_own_plan(org, rollout, plan, client, principles):
    theme = principles[0].parent
    services.plan_translation_save(plan=plan, texts={theme.pk: "Vores ord"}, focus_principles=[])
    own = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    url = reverse("dialogues:plan_translation_copy", args=[plan.pk])
    _post(client, org.users["employee"], url, {"target": own.pk})
    assert not own.translations.exists()
    assert _post(client, org.users["leader3"], url, {"target": own.pk}).status_code == 302
    assert own.translations.get().text == "Vores ord"


def test_removing_an_activity_follows_the_editing_rules(org, plan, client, make_activity):
    activity = make_activity(plan)
    url = reverse("dialogues:activity_delete", args=[plan.pk, activity.pk])
    assert _post(client, org.users["employee"], url).status_code == 403
    client.logout()
    assert _is_login_redirect(_post(client, None, url))
    assert _post(client, org.users["outsider"], url).status_code == 404
    assert plan.activities.count() == 1
    assert _post(client, org.users["leader2"], url).status_code == 302
    assert not plan.activities.exists()


def test_an_activity_of_a_submitted_plan_is_not_removed(org, plan, client, make_activity):
    activity = make_activity(plan)
    submitted(org, plan)
    client.force_login(org.users["leader2"])
    response = client.post(reverse("dialogues:activity_delete", args=[plan.pk, activity.pk]), follow=True)
    assert "Aktiviteter kan kun fjernes, mens planen er en kladde." in response.content.decode()
    assert plan.activities.count() == 1
