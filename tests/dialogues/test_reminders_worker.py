"""End to end on real infrastructure: a real Celery worker through the real Redis runs the
sweep, the plan rules claim what is due, and the e-mails arrive at a real SMTP server
(aiosmtpd) started by the test, each once."""

from __future__ import annotations

import email
import os
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from ledelse.celery import make_app
from ledelse.dates import long_date
from ledelse.notifications import tasks
from ledelse.notifications.models import Reminder
from tests.notifications.conftest import smtp_server  # noqa: F401 - the fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _subjects(messages) -> list[str]:
    out = []
    for envelope in messages:
        message = email.message_from_bytes(envelope.original_content)
        out.append(str(email.header.make_header(email.header.decode_header(message["Subject"]))))
    return sorted(out)


def test_the_sweep_on_a_real_worker_delivers_the_plan_reminders_once(
    org,
    plan,
    make_activity,
    smtp_server,  # noqa: F811
):
    today = timezone.localdate()
    make_activity(plan, title="Temadag", date=today + timedelta(days=7), responsible=org.people["employee"])
    make_activity(plan, title="Opfølgning", date=today, follow_up_on=today, status="gennemfoert")
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.conf.broker_transport_options = {"global_keyprefix": f"plans-test-{os.getpid()}-"}
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        tasks.sweep_reminders.delay()
        messages = smtp_server.handler.wait_for(2 + 2)  # and the two invitations
        # A second sweep finds everything claimed already: nothing more is sent.
        tasks.sweep_reminders.delay()
        tasks.sweep_reminders.delay()
        smtp_server.handler.wait_for(2 + 2 + 1, timeout=3)
    # The dated activities' calendar invitations went out when they were made (ledelse.invitations).
    messages = [m for m in smtp_server.handler.messages if not _subjects([m])[0].startswith("Invitation:")]
    assert _subjects(messages) == sorted(
        [f"“Temadag” er den {long_date(today + timedelta(days=7))}", "Hvad kom der ud af “Opfølgning”?"]
    )
    assert {tuple(m.rcpt_tos) for m in messages} == {("emil@example.org",), ("leder2@example.org",)}
    assert set(Reminder.objects.filter(kind__startswith="plan-activity").values_list("state", flat=True)) == {"sent"}
