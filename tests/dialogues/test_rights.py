"""Issue 19, point 5: the right people may act on a plan, and no one else.

- Only the owner and the leaders above choose the co-owners, and only among the people the
  form offers (the unit's people and its ledelseskæde): enforced in the service.
- A co-owner who also leads above never approves the plan.
- The person responsible for an activity is told, opens the activity and records what came
  out of it, and nothing more.
- HR and koncernledelse find the rollouts in the menu; a rollout's units can be filtered.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues import access, services
from ledelse.notifications.models import Reminder
from tests.dialogues.conftest import submitted

pytestmark = pytest.mark.django_db


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Co-owners -----------------------------------------------------------------------------------


def test_the_issues_reproduction_a_co_owner_cannot_hand_the_plan_to_someone_else(org, plan, client):
    """leder2 makes medarbejder co-owner; medarbejder posts co_owners=<leder3>&co_owners=<self>:
    refused, nothing changes, and leder3 gets no edit right."""
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    client.force_login(org.users["employee"])
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    response = client.post(url, {"co_owners": [org.people["leader3"].pk, org.people["employee"].pk]})
    assert response.status_code == 403
    assert list(plan.co_owners.all()) == [org.people["employee"]]
    assert not access.can_edit_plan(org.users["leader3"], plan)
    client.force_login(org.users["leader3"])
    assert client.get(reverse("dialogues:plan_translation_edit", args=[plan.pk])).status_code == 403


def test_a_co_owner_cannot_choose_co_owners_through_the_service(org, plan):
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    with pytest.raises(ValidationError):
        services.plan_co_owners_set(plan=plan, co_owners=[], user=org.users["employee"])
    assert list(plan.co_owners.all()) == [org.people["employee"]]


@pytest.mark.parametrize("who", ["leader2", "leader", "koncern"])
def test_the_owner_and_the_leaders_above_choose_co_owners(org, plan, client, who):
    client.force_login(org.users[who])
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    assert client.post(url, {"co_owners": [org.people["employee"].pk]}).status_code == 302
    assert list(plan.co_owners.all()) == [org.people["employee"]]


@pytest.mark.parametrize("who", ["employee", "leader3", "hr"])
def test_others_in_the_region_may_not_choose_co_owners(org, plan, client, who):
    client.force_login(org.users[who])
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"co_owners": [org.people["employee"].pk]}).status_code == 403
    assert not plan.co_owners.exists()


def test_choosing_co_owners_needs_sign_in_and_the_region(org, plan, client):
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    assert _login_redirect(client.post(url, {"co_owners": [org.people["employee"].pk]}))
    client.force_login(org.users["outsider"])
    assert client.post(url, {"co_owners": [org.people["employee"].pk]}).status_code == 404
    assert not plan.co_owners.exists()


def test_a_co_owner_must_be_someone_the_form_offers(org, plan, client):
    """leder3 leads Hospital B, another branch: not in the form's list, and refused when posted."""
    client.force_login(org.users["leader2"])
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert org.people["employee"].name in page and org.people["leader"].name in page
    assert org.people["leader3"].name not in page
    response = client.post(url, {"co_owners": [org.people["employee"].pk, org.people["leader3"].pk]})
    assert response.status_code == 200
    assert "Lise Leder Tre kan ikke være medejer" in response.content.decode()
    assert not plan.co_owners.exists()


def test_the_service_refuses_a_co_owner_outside_the_unit_and_its_chain(org, plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_co_owners_set(plan=plan, co_owners=[org.people["hr"]], user=org.users["leader2"])
    assert "co_owners" in exc.value.error_dict
    assert not plan.co_owners.exists()


def test_only_the_owner_and_the_leaders_above_see_the_co_owners_link(org, plan, client):
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    for who, shown in (("leader2", True), ("leader", True), ("employee", False), ("leader3", False)):
        client.force_login(org.users[who])
        assert (url in client.get(plan.get_absolute_url()).content.decode()) is shown, who


# --- A co-owner who leads above ------------------------------------------------------------------


def test_a_co_owner_who_leads_above_never_approves_the_plan(org, plan, client, make_activity):
    """leder leads Hospital A above Afdeling A1 and is leder2's own leader: as a co-owner of
    the plan, leder may not approve it (someone further up does)."""
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["leader"]], user=org.users["leader2"])
    make_activity(plan)
    plan = submitted(org, plan)
    assert not access.can_approve_plan(org.users["leader"], plan)
    client.force_login(org.users["leader"])
    assert client.post(reverse("dialogues:plan_approve", args=[plan.pk])).status_code == 403
    with pytest.raises(ValidationError):
        services.plan_transition(user=org.users["leader"], plan=plan, action="approve")
    plan.refresh_from_db()
    assert plan.state == "indsendt"
    # The leader above the co-owner still approves.
    services.plan_transition(user=org.users["koncern"], plan=plan, action="approve")
    plan.refresh_from_db()
    assert plan.state == "godkendt"


# --- The person responsible for an activity ------------------------------------------------------


@pytest.fixture
def employees_activity(org, plan):
    return services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="personalemoede",
            title="Personalemøde om dialog",
            responsible=org.people["employee"],
            date=date(2026, 6, 10),
        ),
        user=org.users["leader2"],
    )


def test_the_person_responsible_is_told(org, plan, employees_activity):
    # The notice (the calendar invitation that goes with the date is a separate e-mail).
    notice = Reminder.objects.get(recipient=org.users["employee"], kind="notice")
    assert "Personalemøde om dialog" in notice.title
    assert notice.url == reverse("dialogues:activity_edit", args=[plan.pk, employees_activity.pk])
    # The one who chose is not told of their own choice.
    assert not Reminder.objects.filter(recipient=org.users["leader2"], kind="notice").exists()


def test_a_newly_responsible_person_is_told_when_the_activity_changes(org, plan, make_activity):
    activity = make_activity(plan)
    assert not Reminder.objects.filter(recipient=org.users["employee"], kind="notice").exists()
    services.activity_update(
        activity=activity,
        data=services.ActivityData(kind=activity.kind, title=activity.title, responsible=org.people["employee"]),
        user=org.users["leader2"],
    )
    assert Reminder.objects.filter(recipient=org.users["employee"], kind="notice").count() == 1


def test_the_person_responsible_opens_the_activity_and_records_the_outcome(org, plan, client, employees_activity):
    client.force_login(org.users["employee"])
    url = reverse("dialogues:activity_edit", args=[plan.pk, employees_activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="outcome"' in html and 'name="title"' not in html and 'name="responsible"' not in html
    response = client.post(url, {"outcome": "Vi aftalte tre ting.", "title": "Ændret", "responsible": ""})
    assert response.status_code == 302
    employees_activity.refresh_from_db()
    assert employees_activity.outcome == "Vi aftalte tre ting."
    assert employees_activity.title == "Personalemøde om dialog"
    assert employees_activity.responsible == org.people["employee"]


def test_the_person_responsible_records_through_the_presentation_too(org, plan, client, employees_activity):
    client.force_login(org.users["employee"])
    url = reverse("dialogues:activity_outcome", args=[plan.pk, employees_activity.pk])
    assert client.post(url, {"outcome": "Godt møde."}).status_code == 302
    employees_activity.refresh_from_db()
    assert employees_activity.outcome == "Godt møde."


def test_the_person_responsible_may_do_nothing_more(org, plan, client, employees_activity, make_activity):
    other = make_activity(plan, title="Ledergruppens dialog")
    client.force_login(org.users["employee"])
    # Another activity of the same plan, the plan's other pages, removing the activity.
    assert client.get(reverse("dialogues:activity_edit", args=[plan.pk, other.pk])).status_code == 403
    assert (
        client.post(reverse("dialogues:activity_outcome", args=[plan.pk, other.pk]), {"outcome": "x"}).status_code
        == 403
    )
    assert client.get(reverse("dialogues:activity_create", args=[plan.pk])).status_code == 403
    assert client.get(reverse("dialogues:plan_translation_edit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("dialogues:activity_delete", args=[plan.pk, employees_activity.pk])).status_code == 403
    other.refresh_from_db()
    assert other.outcome == ""
    assert plan.activities.count() == 2


@pytest.mark.parametrize("who", ["leader3", "hr"])
def test_someone_not_responsible_may_not_record_the_outcome(org, plan, client, employees_activity, who):
    client.force_login(org.users[who])
    url = reverse("dialogues:activity_edit", args=[plan.pk, employees_activity.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"outcome": "Ikke min"}).status_code == 403
    employees_activity.refresh_from_db()
    assert employees_activity.outcome == ""


def test_recording_the_outcome_needs_sign_in_and_the_region(org, plan, client, employees_activity):
    url = reverse("dialogues:activity_edit", args=[plan.pk, employees_activity.pk])
    assert _login_redirect(client.post(url, {"outcome": "Uden login"}))
    client.force_login(org.users["outsider"])
    assert client.post(url, {"outcome": "Udefra"}).status_code == 404
    employees_activity.refresh_from_db()
    assert employees_activity.outcome == ""


def test_the_plan_page_offers_the_person_responsible_the_outcome(org, plan, client, employees_activity):
    client.force_login(org.users["employee"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("dialogues:activity_edit", args=[plan.pk, employees_activity.pk]) in html


def test_the_person_responsible_must_be_near_the_plan(org, plan):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            plan=plan,
            data=services.ActivityData(kind="andet", title="Noget", responsible=org.people["leader3"]),
        )
    assert "responsible" in exc.value.error_dict


# --- Rollouts in the menu and on their page -------------------------------------------------------


@pytest.mark.parametrize(("who", "shown"), [("hr", True), ("koncern", True), ("leader", False), ("employee", False)])
def test_hr_and_koncernledelse_find_the_rollouts_in_the_menu(org, client, who, shown):
    client.force_login(org.users[who])
    html = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("dialogues:rollout_list")}"' in html) is shown


def test_the_rollout_page_finds_a_unit_by_name(org, rollout, plan, client):
    client.force_login(org.users["koncern"])
    url = reverse("dialogues:rollout_detail", args=[rollout.pk])

    def units_table(query: dict) -> str:  # (the choice of a part for the PDF names units too)
        return client.get(url, query).content.decode().split('class="table table--zebra rollout-units"')[1]

    html = units_table({"enhed": "afsnit"})
    assert "Afsnit A1a" in html and "Hospital B" not in html
    html = units_table({"uden_plan": "on"})
    assert "Hospital B" in html and "Afdeling A1<" not in html


def test_the_submitted_notice_skips_a_co_owner_and_goes_to_the_next_leader_up(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["leader"]], user=org.users["leader2"])
    make_activity(plan)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(org, plan)
    waiting = Reminder.objects.filter(kind="plan-submitted")
    assert [r.recipient for r in waiting] == [org.users["koncern"]]
