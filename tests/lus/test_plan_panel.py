"""The preparation page shows, read-only, the leader's unit's activation plan with its state
(read through the plans' own access rule)."""

from datetime import date

import pytest
from django.urls import reverse

from dialogues import services as plans
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_preparation_shows_the_units_plan_and_its_state(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    assert (
        "Enheden har endnu ingen aktiveringsplan." in client_for(client, org.users["leader2"]).get(url).content.decode()
    )
    rollout = plans.rollout_create(
        user=org.users["koncern"],
        data=plans.RolloutData(
            title="Udrulning 2026",
            scope_unit=org.units["RT"],
            framework_version=lus.version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )
    plan = plans.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    plans.activity_create(
        plan=plan,
        data=plans.ActivityData(
            kind="temadag", title="Temadag", responsible=org.people["leader2"], date=date(2026, 9, 1)
        ),
    )
    plans.plan_transition(user=org.users["leader2"], plan=plan, action="submit")
    for username in ("leader2", "leader"):
        html = client_for(client, org.users[username]).get(url).content.decode()
        assert "Aktiveringsplanen for Afdeling A1" in html
        assert f'href="{plan.get_absolute_url()}"' in html and "Indsendt" in html
        assert "0 af 1 aktivitet gennemført." in html
