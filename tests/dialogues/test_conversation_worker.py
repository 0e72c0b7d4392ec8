"""Issue 19 on real infrastructure: a real Celery worker through the real Redis sends the
send-back e-mail (with the approver's comment in it) and the notice to the person made
responsible for an activity, to a real SMTP server started by the test."""

from __future__ import annotations

import email
import os
from email.policy import default

import pytest
from celery.contrib.testing.worker import start_worker

from dialogues import services
from ledelse.celery import make_app
from tests.dialogues.conftest import submitted
from tests.notifications.conftest import smtp_server  # noqa: F401 - the fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _text(envelope) -> tuple[str, str]:
    message = email.message_from_bytes(envelope.original_content, policy=default)
    return str(message["Subject"]), message.get_body(preferencelist=("plain",)).get_content()


def test_the_comment_and_the_responsibility_arrive_by_e_mail(org, plan, make_activity, smtp_server):  # noqa: F811
    make_activity(plan)
    submitted(org, plan)
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.conf.broker_transport_options = {"global_keyprefix": f"plans-conv-{os.getpid()}-"}
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        smtp_server.handler.messages.clear()
        services.plan_transition(
            user=org.users["leader"], plan=plan, action="send_back", comment="Skriv mere om MED-udvalget."
        )
        services.activity_create(
            plan=plan,
            data=services.ActivityData(kind="andet", title="Ida samler op", responsible=org.people["employee"]),
            user=org.users["leader2"],
        )
        messages = smtp_server.handler.wait_for(2)
    by_recipient = {tuple(m.rcpt_tos): _text(m) for m in messages}
    subject, body = by_recipient[("leder2@example.org",)]
    assert "Skriv mere om MED-udvalget." in subject and "Skriv mere om MED-udvalget." in body
    subject, body = by_recipient[("emil@example.org",)]
    assert "Du er ansvarlig for “Ida samler op”" in subject + body
