"""A plan's owner is its unit's leader: when the organisation import (or a change in the
admin, caught by the nightly task) gives the unit another leader, the plan follows."""

from __future__ import annotations

import pytest

from dialogues import services
from dialogues.models import Plan
from dialogues.tasks import plans_follow_leaders
from ledelse.models import Person
from ledelse.organisation_import import organisation_import
from tests.conftest import ORG_CSV, client_for

pytestmark = pytest.mark.django_db

# Lars (P3) moves down to lead A1a; Emil (P5) becomes the leader of A1.
MOVED = ORG_CSV.replace(
    "person,P3,Lars Leder To,,,leder2@example.org,leader2,Afdelingsleder,A1,ja,,",
    "person,P3,Lars Leder To,,,leder2@example.org,leader2,Afsnitsleder,A1a,ja,,",
).replace(
    "person,P5,Emil Medarbejder,,,emil@example.org,employee,Sygeplejerske,A1,nej,,",
    "person,P5,Emil Medarbejder,,,emil@example.org,employee,Afdelingsleder,A1,ja,,",
)


def test_the_import_gives_the_plan_to_the_units_new_leader(client, org, plan):
    assert plan.owner == org.people["leader2"]
    organisation_import(text=MOVED)
    plan.refresh_from_db()
    assert plan.owner == org.people["employee"]
    edit = f"/planer/{plan.pk}/oversaettelse/"
    assert client_for(client, org.users["employee"]).get(edit).status_code == 200
    # Lars now leads a unit below A1, not A1 or above: he may read the plan, not change it.
    assert client_for(client, org.users["leader2"]).get(edit).status_code == 403


def test_a_unit_without_a_leader_keeps_its_plans_owner(org, plan):
    Person.objects.filter(pk=org.people["leader2"].pk).update(unit=org.units["A1a"])
    assert services.plans_follow_leaders() == 0
    plan.refresh_from_db()
    assert plan.owner == org.people["leader2"]


def test_a_completed_plan_keeps_the_owner_who_completed_it(org, plan):
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.AFSLUTTET)
    Person.objects.filter(pk=org.people["leader2"].pk).update(is_leader=False)
    Person.objects.filter(pk=org.people["employee"].pk).update(is_leader=True)
    assert services.plans_follow_leaders() == 0
    plan.refresh_from_db()
    assert plan.owner == org.people["leader2"]


def test_the_nightly_task_catches_a_change_made_outside_the_import(org, plan, settings):
    Person.objects.filter(pk=org.people["leader2"].pk).update(is_leader=False)
    Person.objects.filter(pk=org.people["employee"].pk).update(is_leader=True)
    assert plans_follow_leaders.delay().get() == 1
    plan.refresh_from_db()
    assert plan.owner == org.people["employee"]
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dialogues.plans_follow_leaders" in tasks


def test_importing_the_same_organisation_again_changes_no_owner(org, plan):
    organisation_import(text=ORG_CSV)
    plan.refresh_from_db()
    assert plan.owner == org.people["leader2"]
