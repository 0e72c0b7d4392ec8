"""On a real Celery worker (Redis from REDIS_URL): the nightly task `dialogues.hearings_close_due`
closes a hearing whose closing date has passed (the step in the plan's history is written and
the invitation leaves the notices), and leaves an open one alone; run twice, nothing more."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from dialogues import hearings
from dialogues.models import Hearing
from ledelse.celery import make_app
from ledelse.notifications.models import Reminder

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(condition, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_worker_closes_the_hearings_past_their_date(org, plan, rollout, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the notice's own e-mail, sent in-process
    from dialogues import services
    from ledelse.models import Person

    Person.objects.create(name="Sekretær Sofie", employee_id="P20", unit=org.units["A"])
    other = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    past = hearings.hearing_open(
        plan=plan, closes_on=timezone.localdate() + timedelta(days=3), audience="employees", by=org.users["leader2"]
    )
    Hearing.objects.filter(pk=past.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    still_open = hearings.hearing_open(
        plan=other, closes_on=timezone.localdate() + timedelta(days=3), audience="employees", by=org.users["leader"]
    )
    assert Reminder.objects.filter(kind="hearing-opened", target_id=past.pk, cleared_at__isnull=True).exists()
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("dialogues.hearings_close_due")
        assert _wait(lambda: Hearing.objects.get(pk=past.pk).closed_at is not None)
        app.send_task("dialogues.hearings_close_due")
        time.sleep(0.5)
    past.refresh_from_db()
    still_open.refresh_from_db()
    assert past.closed_how == "date" and still_open.closed_at is None
    assert not Reminder.objects.filter(kind="hearing-opened", target_id=past.pk, cleared_at__isnull=True).exists()


def test_the_task_is_scheduled_nightly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["hearings-close-due"]
    assert schedule["task"] == "dialogues.hearings_close_due"
    assert schedule["schedule"].hour == {0}
