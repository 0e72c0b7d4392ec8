"""Two sweeps at once, each in its own thread with its own PostgreSQL connection: the unique
constraint lets one claim; the row lock lets one send."""

import threading
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection

from ledelse.notifications.models import Reminder
from ledelse.notifications.services import reminder_send, reminders_sweep
from tests.notifications.conftest import users_rule

DAY = date(2026, 9, 1)


def _in_threads(target, count: int = 2) -> list:
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_one_e_mail(org, rules):
    mail.outbox = []
    users = [org.users["leader"], org.users["leader2"], org.users["employee"]]
    rules("tests.concurrent", users_rule(users, org.units["A1"]))
    # Eager tasks: each sweep sends what it claimed, on commit, in its own thread.
    reports = _in_threads(lambda: reminders_sweep(today=DAY))
    assert sum(r.total_claimed for r in reports) == 3
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_reminder_send_one_e_mail(org, smtp_server):
    # A slow SMTP server: without the row marked as being sent both workers would send.
    smtp_server.handler.delay = 0.5
    unit = org.units["A1"]
    # A claimed reminder (made directly: claiming would enqueue and send it at once) whose
    # task two workers were both handed (a redelivery, or the sweep's re-enqueue).
    reminder = Reminder.objects.create(
        recipient=org.users["leader"],
        kind="notice",
        target_type=ContentType.objects.get_for_model(unit),
        target_id=unit.pk,
        due_on=DAY,
        title="Aktiviteten nærmer sig",
        url="/",
    )
    states = _in_threads(lambda: reminder_send(reminder_id=reminder.pk))
    # The second finds it sent, or being sent by a live worker ("sending"): it sends nothing.
    assert Reminder.State.SENT in states and set(states) <= {Reminder.State.SENT, "sending"}
    assert len(smtp_server.handler.wait_for(2, timeout=1)) == 1
