"""Issue 18, point 4, on a real Celery worker (Redis from REDIS_URL): the hourly task
`lus.mark_held` makes a LUS whose booked time has passed held, and leaves the rest alone."""

import os
import time
from datetime import date, datetime, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from ledelse.celery import make_app
from lus import services
from lus.models import Conversation

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_app():
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.control.purge()  # nothing left over from an earlier run
    return app


def _wait(condition, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _state(conversation: Conversation) -> tuple[str, date | None]:
    c = Conversation.objects.get(pk=conversation.pk)
    return c.state, c.held_on


def test_the_worker_marks_a_lus_held_once_its_booked_time_has_passed(lus, worker_app):
    past = lus.conversation  # leader2's LUS: booked on 1 December 2026 at 23:00, local time
    services.conversation_book(
        conversation=past,
        starts_at=timezone.make_aware(datetime.combine(date(2026, 12, 1), datetime.min.time()) + timedelta(hours=23)),
        location="Mødelokale 2",
    )
    # The round's other LUS (leader's) is booked for tomorrow: not held yet.
    future = Conversation.objects.exclude(pk=past.pk).get(round=lus.round)
    Conversation.objects.filter(pk=future.pk).update(starts_at=timezone.now() + timedelta(days=1), location="L")
    # A third, prepared and booked two hours ago (its state moves too; its stated day stays).
    prepared = Conversation.objects.create(
        round=lus.round,
        leader=future.partner,
        partner=None,
        state=Conversation.State.PREPARED,
        starts_at=timezone.now() - timedelta(hours=2),
        held_on=date(2026, 11, 30),
    )
    assert _state(past) == (Conversation.State.NOT_STARTED, None)

    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        worker_app.send_task("lus.mark_held")
        assert _wait(lambda: _state(past)[0] == Conversation.State.HELD and _state(prepared)[0] == "held")
        # Run again on the worker: nothing more changes.
        worker_app.send_task("lus.mark_held")
        time.sleep(0.5)

    assert _state(past) == (Conversation.State.HELD, date(2026, 12, 1))  # the local day of the booking
    assert _state(prepared) == (Conversation.State.HELD, date(2026, 11, 30))
    assert _state(future) == (Conversation.State.NOT_STARTED, None)
