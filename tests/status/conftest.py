"""A rollout over Region Test with plans and activities whose roll-up is computed by hand
in the tests (see tests/conftest.py for the cast and the tree):

    Region Test (RT)        no plan
    ├── Hospital A (A)      approved; a1 done (-10 days, p11), a2 planned (-3, overdue; p11 p12),
    │   │                   a3 planned (+10; p21), a4 cancelled (p22)
    │   └── Afdeling A1     submitted; b1 done (-20; p11), b2 in progress (-1, overdue)
    │       └── Afsnit A1a  no plan (no leader)
    ├── Hospital B (B)      draft; c1 planned (+5; p12)
    └── HR-afdeling (HR)    no plan

The deadline is 60 days ahead (not near); `today` is the real day, as the views use it.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Plan
from ledelse.models import Person, Unit
from tests.values.factories import make_framework
from values.models import Item


def _activity(plan, org, title, *, days, status="planlagt", principles=(), responsible=None):
    return services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="dialog_ledergruppe",
            title=title,
            responsible=responsible or plan.owner,
            date=timezone.localdate() + timedelta(days=days),
            status=status,
            principles=tuple(principles),
        ),
    )


def set_state(plan: Plan, state: str) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(state=state, submitted_at=timezone.now())
    plan.refresh_from_db()
    return plan


@pytest.fixture
def status_data(org):
    today = timezone.localdate()
    framework = make_framework(region="Region Test")
    p11, p12, p21, p22 = Item.objects.filter(version=framework.current_version, kind="principle").order_by("position")
    themes = list(Item.objects.filter(version=framework.current_version, kind="theme").order_by("position"))
    rollout = services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Udrulning",
            scope_unit=org.units["RT"],
            framework_version=framework.current_version,
            starts_on=today - timedelta(days=60),
            deadline=today + timedelta(days=60),
        ),
    )
    plan_a = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    a = SimpleNamespace(
        a1=_activity(plan_a, org, "a1", days=-10, status="gennemfoert", principles=[p11]),
        a2=_activity(plan_a, org, "a2", days=-3, principles=[p11, p12]),
        a3=_activity(plan_a, org, "a3", days=10, principles=[p21]),
        a4=_activity(plan_a, org, "a4", days=-5, status="aflyst", principles=[p22]),
    )
    plan_a1 = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    a.b1 = _activity(plan_a1, org, "b1", days=-20, status="gennemfoert", principles=[p11])
    a.b2 = _activity(plan_a1, org, "b2", days=-1, status="i_gang", responsible=org.people["employee"])
    plan_b = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    a.c1 = _activity(plan_b, org, "c1", days=5, principles=[p12])
    set_state(plan_a, "godkendt")
    set_state(plan_a1, "indsendt")
    return SimpleNamespace(
        today=today,
        framework=framework,
        rollout=rollout,
        plans=SimpleNamespace(a=plan_a, a1=plan_a1, b=plan_b),
        activities=a,
        principles=(p11, p12, p21, p22),
        themes=themes,
    )


def grow(org, rollout, *, under: str, count: int, activities: int = 2) -> None:
    """`count` more units under `under`, each with a leader, a plan and some activities."""
    parent = Unit.objects.get(code=under)
    for i in range(count):
        parent.refresh_from_db()
        unit = Unit.objects.add_child(
            parent,
            create_kwargs={"code": f"{under}-x{i}", "name": f"Ekstra {i}", "kind": "section", "region": parent.region},
        )
        Person.objects.create(employee_id=f"{under}-x{i}", name=f"Leder {i}", unit=unit, is_leader=True)
        plan = services.plan_create(user=None, rollout=rollout, unit=unit)
        for j in range(activities):
            _activity(plan, org, f"x{i}-{j}", days=-j - 1, status="gennemfoert" if j % 2 else "planlagt")
