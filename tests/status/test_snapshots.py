"""The weekly snapshot: what it files, the back-fill from the plans' history, the task on a
real Celery worker through Redis, and the demo command."""

import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dialogues.models import PlanEvent
from ledelse.status.models import Snapshot
from ledelse.status.services import snapshots_backfill, snapshots_take, week_of


def _rows(week):
    return {
        s.unit.code: (s.plan_state, s.activities_planned, s.activities_done, s.activities_overdue)
        for s in Snapshot.objects.filter(taken_on=week).select_related("unit")
    }


def test_it_files_every_plan_under_this_weeks_monday(org, status_data):
    assert snapshots_take() == 3
    week = week_of(status_data.today)
    assert week.weekday() == 0
    assert _rows(week) == {"A": ("godkendt", 3, 1, 1), "A1": ("indsendt", 2, 1, 1), "B": ("kladde", 1, 0, 0)}


def test_taking_the_week_again_replaces_it(org, status_data):
    from tests.status.conftest import set_state

    snapshots_take()
    set_state(status_data.plans.b, "indsendt")
    assert snapshots_take() == 3
    assert Snapshot.objects.count() == 3
    assert _rows(week_of(status_data.today))["B"][0] == "indsendt"


def test_a_past_day_is_read_from_the_plans_history(org, status_data):
    now, today = timezone.now(), status_data.today
    plan_a = status_data.plans.a
    # A was made 30 days ago and approved 10 days ago; A1 and B were made 3 days ago.
    PlanEvent.objects.filter(plan__in=[status_data.plans.a1, status_data.plans.b]).update(at=now - timedelta(days=3))
    PlanEvent.objects.filter(plan=plan_a).update(at=now - timedelta(days=30))
    PlanEvent.objects.create(plan=plan_a, at=now - timedelta(days=10), from_state="kladde", to_state="godkendt")
    # 14 days ago: only A, still a draft; its activities were made today and none was dated yet.
    assert snapshots_take(as_of=today - timedelta(days=14)) == 1
    assert _rows(week_of(today - timedelta(days=14))) == {"A": ("kladde", 0, 0, 0)}
    Snapshot.objects.all().delete()
    # 5 days ago: A approved; a1 (dated -10, done) was planned and done; a2 (-3) not overdue yet.
    assert snapshots_take(as_of=today - timedelta(days=5)) == 1
    assert _rows(week_of(today - timedelta(days=5))) == {"A": ("godkendt", 1, 1, 0)}


def test_the_back_fill_takes_the_weeks_before_this_one(org, status_data):
    PlanEvent.objects.update(at=timezone.now() - timedelta(days=60))
    assert snapshots_backfill(weeks=3, today=status_data.today) == 9
    this_week = week_of(status_data.today)
    assert sorted(set(Snapshot.objects.values_list("taken_on", flat=True))) == [
        this_week - timedelta(weeks=w) for w in (3, 2, 1)
    ]


def test_the_demo_command_back_fills_and_takes_this_week(org, status_data):
    call_command("seed_demo_status", force=True, weeks=4, stdout=open(os.devnull, "w"))
    weeks = sorted(set(Snapshot.objects.values_list("taken_on", flat=True)))
    assert weeks[-1] == week_of(status_data.today)
    assert all(w.weekday() == 0 for w in weeks)


def test_the_snapshot_is_scheduled_weekly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["status-snapshots"]
    assert schedule["task"] == "status.take_snapshots"
    assert schedule["schedule"].day_of_week == {1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_the_snapshot(org, status_data):
    from celery.contrib.testing.worker import start_worker

    from ledelse.celery import make_app

    app = make_app(broker_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), task_always_eager=False)
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("status.take_snapshots")
        deadline = time.monotonic() + 20
        while Snapshot.objects.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert _rows(week_of(status_data.today)) == {
        "A": ("godkendt", 3, 1, 1),
        "A1": ("indsendt", 2, 1, 1),
        "B": ("kladde", 1, 0, 0),
    }
