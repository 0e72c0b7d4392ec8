"""Two sweeps at once, each in its own thread with its own PostgreSQL connection: the unique
constraint lets one claim; the row lock lets one send."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from ledelse.notifications.models import Reminder
from ledelse.notifications.services import reminder_send, reminders_claim, reminders_sweep
from tests.notifications.conftest import due_for, users_rule

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
def test_two_workers_sending_the_same_reminder_send_one_e_mail(org):
    reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY)])
    # The eager task sent it on commit; make it pending again, as if two workers had both
    # been handed its task (a redelivery, or the sweep's re-enqueue) before either ran.
    reminder = Reminder.objects.get()
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.PENDING, sent_at=None)
    mail.outbox = []
    states = _in_threads(lambda: reminder_send(reminder_id=reminder.pk))
    assert sorted(states) == [Reminder.State.SENT, Reminder.State.SENT]
    assert len(mail.outbox) == 1
