"""Plans on a small framework in Region Test (see tests/conftest.py for the cast):

rollout over the whole of Region Test, on "Testgrundlag" (2 themes × 2 principles)
plan of Afdeling A1 (owner leader2; leader is leader2's own leader), a draft
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Plan
from ledelse.models import MedCommittee, MedMembership, Person, User
from tests.values.factories import make_framework
from values.models import Item, ReflectionQuestion


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


# --- Questions before a meeting (dialogues.activity_questions) ----------------------------------


def person_in(org, unit: str, name: str, username: str) -> Person:
    user = User.objects.create_user(username, email=f"{username}@example.org")
    return Person.objects.create(
        user=user, employee_id=f"X-{username}", name=name, email=f"{username}@example.org", unit=org.units[unit]
    )


@pytest.fixture
def colleagues(org):
    """Two more people in Afdeling A1, so that four can take part (employee and leader2 too):
    questions before a meeting need three."""
    return [person_in(org, "A1", "Mette Medarbejder", "mette"), person_in(org, "A1", "Niels Nielsen", "niels")]


@pytest.fixture
def reflection(principles, framework):
    """Two questions on each principle, and one on the framework's first theme."""
    made = {}
    for p in principles:
        made[p.key] = [
            ReflectionQuestion.objects.create(item=p, text=f"Hvordan arbejder vi med {p.title}?", position=1),
            ReflectionQuestion.objects.create(item=p, text=f"Hvad mangler vi for {p.title}?", position=2),
        ]
    theme = framework.current_version.items.filter(kind="theme").order_by("position").first()
    made["theme"] = [ReflectionQuestion.objects.create(item=theme, text="Hvad betyder temaet for os?", position=1)]
    return made


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def hospital_a_med(org) -> MedCommittee:
    """Hospital A's committee covers Afdeling A1 (the plan's unit): leader is formand, hr a member."""
    committee = MedCommittee.objects.create(unit=org.units["A"], name="MED Hospital A", kind="omraade")
    MedMembership.objects.create(committee=committee, person=org.people["leader"], role="formand")
    MedMembership.objects.create(committee=committee, person=org.people["hr"], role="medlem")
    return committee
