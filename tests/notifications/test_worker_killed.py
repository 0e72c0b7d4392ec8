"""A worker killed mid-send (issue 17, point 5), with real processes: a Celery worker in its
own process sends a reminder to a slow SMTP server and is killed (SIGKILL) before the server
answers; the message was not delivered. A new worker and the recovery sweep send it once the
dead worker's lease has run out: one e-mail, the reminder sent, never failed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from ledelse.celery import make_app
from ledelse.notifications.models import Reminder
from tests.concurrency.redis_server import OwnRedis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broker():
    server = OwnRedis()
    server.start()
    yield server
    server.cleanup()


def _worker(broker_url: str, smtp_port: int, **env: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "TEST_SMTP_PORT": str(smtp_port),
        "PYTHONPATH": str(ROOT),
        **env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ledelse",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _wait(condition, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(org, smtp_server, broker):
    smtp_server.handler.delay = 4  # the server takes its time to accept the message
    unit = org.units["A1"]
    reminder = Reminder.objects.create(
        recipient=org.users["leader"],
        kind="notice",
        target_type=ContentType.objects.get_for_model(unit),
        target_id=unit.pk,
        due_on=date(2026, 9, 1),
        title="Aktiviteten nærmer sig",
        url="/",
    )
    app = make_app(broker_url=broker.url, task_always_eager=False)
    first = _worker(broker.url, smtp_server.port)
    try:
        app.send_task("notifications.send_reminder", args=[reminder.pk])
        assert _wait(lambda: Reminder.objects.filter(pk=reminder.pk, sending_since__isnull=False).exists())
        time.sleep(0.5)  # inside the SMTP conversation
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING and reminder.sending_since is not None
    smtp_server.handler.delay = 0
    time.sleep(4.5)  # the dead worker's conversation ends at the server without a message
    assert smtp_server.handler.messages == []

    # A new worker; the recovery sweep finds the send whose lease ran out and sends it again.
    second = _worker(broker.url, smtp_server.port, REMINDER_SENDING_LEASE="1", REMINDER_REQUEUE_AFTER="0")
    try:
        app.send_task("notifications.recover")
        assert _wait(lambda: Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENT)
        app.send_task("notifications.recover")  # again: nothing more is sent
        time.sleep(1)
    finally:
        second.terminate()
        second.wait(10)
    assert len(smtp_server.handler.messages) == 1
    assert Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENT
