"""Rollouts: HR in scope and koncernledelse manage them; everyone in the region reads them;
a unit in scope without a plan shows as "ingen plan"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import Rollout

pytestmark = pytest.mark.django_db


def _data(org, framework, **extra):
    data = {
        "title": "Aktivering 2026",
        "scope_unit": org.units["A"].pk,
        "framework": framework.pk,
        "starts_on": "2026-06-04",
        "deadline": "2026-09-30",
        "activity_due_days": 7,
        "plan_missing_days": 14,
        "approval_wait_days": 7,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("who", ["koncern", "hr"])
def test_koncernledelse_and_hr_in_scope_create_a_rollout(org, framework, client, who):
    client.force_login(org.users[who])
    response = client.post(reverse("dialogues:rollout_create"), _data(org, framework))
    rollout = Rollout.objects.get()
    assert response["Location"] == rollout.get_absolute_url()
    assert rollout.framework_version == framework.current_version
    assert rollout.region == org.region and rollout.created_by == org.users[who]
    assert (rollout.activity_due_days, rollout.plan_missing_days, rollout.approval_wait_days) == (7, 14, 7)


@pytest.mark.parametrize("who", ["leader", "employee", "outsider"])
def test_others_may_not_create_a_rollout(org, framework, client, who):
    client.force_login(org.users[who])
    assert client.post(reverse("dialogues:rollout_create"), _data(org, framework)).status_code == 403
    assert not Rollout.objects.exists()


def test_creating_a_rollout_needs_sign_in(org, framework, client):
    response = client.post(reverse("dialogues:rollout_create"), _data(org, framework))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Rollout.objects.exists()


def test_hr_cannot_cover_units_outside_its_scope(org, framework, client):
    client.force_login(org.users["hr"])
    response = client.post(reverse("dialogues:rollout_create"), _data(org, framework, scope_unit=org.units["B"].pk))
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Rollout.objects.exists()


def test_a_deadline_before_the_start_is_refused_with_a_danish_message(org, framework, client):
    client.force_login(org.users["koncern"])
    response = client.post(reverse("dialogues:rollout_create"), _data(org, framework, deadline="2026-05-01"))
    assert "Fristen kan ikke ligge før udrulningen starter." in response.content.decode()
    assert not Rollout.objects.exists()


def test_an_empty_title_is_refused_with_a_danish_message(org, framework, client):
    client.force_login(org.users["koncern"])
    response = client.post(reverse("dialogues:rollout_create"), _data(org, framework, title="  "))
    assert "Giv udrulningen en titel." in response.content.decode()
    assert not Rollout.objects.exists()


def test_editing_a_rollout(org, rollout, client):
    url = reverse("dialogues:rollout_edit", args=[rollout.pk])
    data = _data(org, rollout.framework_version.framework, title="Nyt navn", scope_unit=org.units["RT"].pk)
    for who, status in (("leader", 403), ("hr", 403), ("outsider", 404)):
        client.force_login(org.users[who])
        assert client.post(url, data).status_code == status, who
    client.logout()
    assert "/accounts/login/" in client.post(url, data)["Location"]
    assert Rollout.objects.get().title == "Udrulning 2026"
    client.force_login(org.users["koncern"])
    assert client.post(url, data).status_code == 302
    assert Rollout.objects.get().title == "Nyt navn"


def test_the_rollout_page_shows_units_without_a_plan(org, rollout, plan, client):
    client.force_login(org.users["employee"])
    response = client.get(reverse("dialogues:rollout_detail", args=[rollout.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    # RT, A, A1a, B, HR have no plan; A1 has one.
    assert body.count('badge-error">ingen plan') == 5 and "5 enheder har endnu ingen plan." in body
    assert reverse("dialogues:plan_detail", args=[plan.pk]) in body


def test_another_region_does_not_see_the_rollout(org, rollout, client):
    client.force_login(org.users["outsider"])
    assert client.get(reverse("dialogues:rollout_detail", args=[rollout.pk])).status_code == 404


def test_the_framework_must_belong_to_the_region_of_the_rollout(org, client):
    from tests.values.factories import make_framework

    foreign = make_framework(slug="fremmed", region="Region Anden")
    with pytest.raises(services.ValidationError):
        services.rollout_create(
            user=org.users["admin"],
            data=services.RolloutData(
                title="x",
                scope_unit=org.units["A"],
                framework_version=foreign.current_version,
                starts_on=services.date(2026, 6, 4),
                deadline=services.date(2026, 7, 1),
            ),
        )
    assert not Rollout.objects.exists()
