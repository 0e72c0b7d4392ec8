"""Claiming: the unique constraint makes a reminder once, whoever claims it how often."""

from datetime import date

import pytest
from django.template import TemplateDoesNotExist

from ledelse.notifications.models import Reminder
from ledelse.notifications.services import Due, notify, reminders_claim
from tests.notifications.conftest import KIND, due_for

DAY = date(2026, 9, 1)


def test_claiming_the_same_due_twice_makes_one_reminder(org):
    due = due_for(org.users["leader"], org.units["A1"], due_on=DAY)
    assert reminders_claim(dues=[due]) == 1
    assert reminders_claim(dues=[due, due]) == 0
    assert Reminder.objects.count() == 1


def test_a_duplicate_inside_one_batch_is_claimed_once(org):
    due = due_for(org.users["leader"], org.units["A1"], due_on=DAY)
    assert reminders_claim(dues=[due, due]) == 1
    assert Reminder.objects.count() == 1


def test_another_day_key_person_or_thing_is_another_reminder(org):
    leader, unit = org.users["leader"], org.units["A1"]
    reminders_claim(dues=[due_for(leader, unit, due_on=DAY)])
    assert reminders_claim(dues=[due_for(leader, unit, due_on=date(2026, 9, 2))]) == 1
    assert reminders_claim(dues=[due_for(leader, unit, due_on=DAY, key="history-7")]) == 1
    assert reminders_claim(dues=[due_for(org.users["leader2"], unit, due_on=DAY)]) == 1
    assert reminders_claim(dues=[due_for(leader, org.units["A"], due_on=DAY)]) == 1
    # A User and a Unit with the same pk are different things.
    assert reminders_claim(dues=[due_for(leader, org.users["leader2"], due_on=DAY)]) == 1
    assert Reminder.objects.count() == 6


def test_a_claimed_reminder_is_pending_with_its_target(org):
    unit = org.units["A1"]
    reminders_claim(dues=[due_for(org.users["leader"], unit, due_on=DAY)])
    reminder = Reminder.objects.get()
    assert reminder.state == Reminder.State.PENDING
    assert reminder.target == unit
    assert reminder.enqueued_at is not None and reminder.sent_at is None and reminder.read_at is None


def test_it_sends_after_the_commit_once(org, mailoutbox, django_capture_on_commit_callbacks):
    due = due_for(org.users["leader"], org.units["A1"], due_on=DAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reminders_claim(dues=[due])
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reminders_claim(dues=[due])
    assert callbacks == []  # nothing newly claimed, nothing enqueued
    assert len(mailoutbox) == 1
    assert Reminder.objects.get().state == Reminder.State.SENT


def test_notify_is_claimed_once_per_day(org, django_capture_on_commit_callbacks):
    kwargs = {
        "recipient": org.users["leader"],
        "kind": KIND,
        "target": org.units["A1"],
        "title": "En plan venter",
        "url": "/x/",
    }
    with django_capture_on_commit_callbacks(execute=False):
        assert notify(**kwargs) is True
        assert notify(**kwargs) is False
        assert notify(**kwargs, key="2") is True


def test_a_kind_without_its_templates_is_refused_before_anything_is_claimed(org):
    due = Due(
        recipient_id=org.users["leader"].pk, kind="no-such-kind", target=org.units["A1"], due_on=DAY, title="x", url="/"
    )
    with pytest.raises(TemplateDoesNotExist):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY), due])
    assert not Reminder.objects.exists()


def test_it_needs_a_title(org):
    with pytest.raises(ValueError):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["A1"], due_on=DAY, title=" ")])
