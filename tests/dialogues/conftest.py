"""Plans on a small framework in Region Test (see tests/conftest.py for the cast):

rollout over the whole of Region Test, on "Testgrundlag" (2 themes × 2 principles)
plan of Afdeling A1 (owner leader2; leader is leader2's own leader), a draft
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from dialogues import services
from dialogues.models import Plan
from tests.values.factories import make_framework
from values.models import Item


@pytest.fixture
def framework(org):
    return make_framework(region="Region Test")


@pytest.fixture
def other_framework(org):
    return make_framework(slug="andet-grundlag", title="Andet grundlag", region="Region Test")


@pytest.fixture
def rollout(org, framework):
    return services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Udrulning 2026",
            scope_unit=org.units["RT"],
            framework_version=framework.current_version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )


@pytest.fixture
def plan(org, rollout) -> Plan:
    return services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])


@pytest.fixture
def principles(framework):
    return list(Item.objects.filter(version=framework.current_version, kind="principle").order_by("position"))


def activity_data(org, **kwargs) -> services.ActivityData:
    values = {
        "kind": "dialog_ledergruppe",
        "title": "Dialog om tillid",
        "responsible": org.people["leader2"],
    }
    values.update(kwargs)
    return services.ActivityData(**values)


@pytest.fixture
def make_activity(org):
    def _make(plan, **kwargs):
        return services.activity_create(plan=plan, data=activity_data(org, **kwargs))

    return _make


def submitted(org, plan) -> Plan:
    return services.plan_transition(user=org.users["leader2"], plan=plan, action="submit")


@pytest.fixture
def ns():
    return SimpleNamespace()
