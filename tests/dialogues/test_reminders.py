"""Each plan reminder rule once: the right person, on the right day, once."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from dialogues import reminders, services
from dialogues.models import Activity, Plan
from ledelse.notifications.models import Reminder
from ledelse.notifications.registry import rules
from ledelse.notifications.services import reminders_sweep
from tests.dialogues.conftest import submitted

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def _sweep(today, capture):
    with capture(execute=True):
        reminders_sweep(today=today)


def _got(kind):
    return sorted(Reminder.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_rules_are_registered():
    assert set(reminders.RULES) <= set(rules())


def test_an_activity_due_in_seven_days_reminds_the_responsible(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    make_activity(plan, date=date(2026, 9, 15), responsible=org.people["employee"])
    _sweep(date(2026, 9, 7), django_capture_on_commit_callbacks)
    assert _got("plan-activity-due") == []
    _sweep(date(2026, 9, 8), django_capture_on_commit_callbacks)
    assert _got("plan-activity-due") == ["employee"]
    (message,) = [m for m in mail.outbox if "Dialog om tillid" in m.subject]
    assert message.to == ["emil@example.org"]
    assert message.subject == "“Dialog om tillid” er den 15. september 2026"
    assert f"https://ledelse.example.org/planer/{plan.pk}/#aktivitet-" in message.body
    # Later sweeps before the day send nothing more.
    _sweep(date(2026, 9, 9), django_capture_on_commit_callbacks)
    assert _got("plan-activity-due") == ["employee"]
    assert len([m for m in mail.outbox if "Dialog om tillid" in m.subject]) == 1


def test_a_moved_activity_is_reminded_again_for_its_new_date(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    activity = make_activity(plan, date=date(2026, 9, 15))
    _sweep(date(2026, 9, 8), django_capture_on_commit_callbacks)
    services.activity_update(
        activity=activity,
        data=services.ActivityData(
            kind=activity.kind, title=activity.title, responsible=activity.responsible, date=date(2026, 9, 29)
        ),
    )
    _sweep(date(2026, 9, 22), django_capture_on_commit_callbacks)
    assert Reminder.objects.filter(kind="plan-activity-due").count() == 2


def test_an_overdue_activity_reminds_the_responsible_and_the_owner(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    make_activity(plan, date=date(2026, 9, 15), responsible=org.people["employee"])
    done = make_activity(plan, date=date(2026, 9, 15), title="Gennemført", status=Activity.Status.GENNEMFOERT)
    _sweep(date(2026, 9, 15), django_capture_on_commit_callbacks)
    assert _got("plan-activity-overdue") == []
    _sweep(date(2026, 9, 16), django_capture_on_commit_callbacks)
    assert _got("plan-activity-overdue") == ["employee", "leader2"]
    assert not Reminder.objects.filter(kind="plan-activity-overdue", target_id=done.pk).exists()
    _sweep(date(2026, 9, 17), django_capture_on_commit_callbacks)
    assert len(_got("plan-activity-overdue")) == 2


def test_a_missing_plan_reminds_the_units_leader_before_and_after_the_deadline(
    org, rollout, plan, make_activity, django_capture_on_commit_callbacks
):
    # Deadline 31.12.2026, 14 days before: 17.12. A1's plan is a draft (not submitted);
    # Hospital B has none; Hospital A's plan is submitted.
    above = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    make_activity(above, responsible=org.people["leader"])
    services.plan_transition(user=org.users["leader"], plan=above, action="submit")
    _sweep(date(2026, 12, 16), django_capture_on_commit_callbacks)
    assert _got("plan-missing") == []
    _sweep(date(2026, 12, 17), django_capture_on_commit_callbacks)
    assert _got("plan-missing") == ["koncern", "leader2", "leader3"]
    _sweep(date(2026, 12, 30), django_capture_on_commit_callbacks)
    assert len(_got("plan-missing")) == 3
    assert _got("plan-deadline-passed") == []
    _sweep(date(2027, 1, 1), django_capture_on_commit_callbacks)
    assert _got("plan-deadline-passed") == ["koncern", "leader2", "leader3"]
    _sweep(date(2027, 1, 2), django_capture_on_commit_callbacks)
    assert len(_got("plan-deadline-passed")) == 3


def test_a_plan_waiting_more_than_seven_days_reminds_the_approver(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    make_activity(plan)
    submitted(org, plan)
    Plan.objects.filter(pk=plan.pk).update(submitted_at=datetime(2026, 9, 1, 10, 0, tzinfo=CPH))
    _sweep(date(2026, 9, 8), django_capture_on_commit_callbacks)
    assert _got("plan-waiting-approval") == []
    _sweep(date(2026, 9, 9), django_capture_on_commit_callbacks)
    assert _got("plan-waiting-approval") == ["leader"]
    _sweep(date(2026, 9, 10), django_capture_on_commit_callbacks)
    assert _got("plan-waiting-approval") == ["leader"]


def test_the_approver_is_the_explicit_own_leader_when_there_is_one(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    owner = org.people["leader2"]
    owner.own_leader = org.people["leader3"]
    owner.save()
    make_activity(plan)
    submitted(org, plan)
    Plan.objects.filter(pk=plan.pk).update(submitted_at=datetime(2026, 9, 1, 10, 0, tzinfo=CPH))
    _sweep(date(2026, 9, 9), django_capture_on_commit_callbacks)
    assert _got("plan-waiting-approval") == ["leader3"]


def test_the_follow_up_date_reminds_the_responsible(org, plan, make_activity, django_capture_on_commit_callbacks):
    make_activity(
        plan,
        date=date(2026, 9, 15),
        status=Activity.Status.GENNEMFOERT,
        follow_up_on=date(2026, 10, 1),
        responsible=org.people["employee"],
    )
    _sweep(date(2026, 9, 30), django_capture_on_commit_callbacks)
    assert _got("plan-activity-follow-up") == []
    _sweep(date(2026, 10, 1), django_capture_on_commit_callbacks)
    assert _got("plan-activity-follow-up") == ["employee"]
    (message,) = [m for m in mail.outbox if m.subject.startswith("Hvad kom der ud af")]
    assert message.subject == "Hvad kom der ud af “Dialog om tillid”?"


def test_running_the_sweep_twice_sends_one_e_mail(org, plan, make_activity, django_capture_on_commit_callbacks):
    make_activity(plan, date=date(2026, 9, 15))
    _sweep(date(2026, 9, 8), django_capture_on_commit_callbacks)
    _sweep(date(2026, 9, 8), django_capture_on_commit_callbacks)
    assert len([m for m in mail.outbox if "Dialog om tillid" in m.subject]) == 1


def test_the_rules_read_a_fixed_number_of_queries(org, rollout, plan, make_activity, django_assert_max_num_queries):
    for i in range(20):
        make_activity(plan, date=date(2026, 9, 10), follow_up_on=date(2026, 9, 12), title=f"Aktivitet {i}")
    with django_assert_max_num_queries(4):
        assert len(list(reminders.activity_due(today=date(2026, 9, 8)))) == 20
    with django_assert_max_num_queries(2):
        assert len(list(reminders.activity_overdue(today=date(2026, 9, 11)))) == 20
    with django_assert_max_num_queries(2):
        assert len(list(reminders.activity_follow_up(today=date(2026, 9, 12)))) == 20


# --- Event notices -----------------------------------------------------------------------------


def test_submitting_notifies_the_approver_and_approving_the_owner(
    org, plan, make_activity, django_capture_on_commit_callbacks
):
    make_activity(plan)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(org, plan)
    assert _got("plan-submitted") == ["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment="Mere MED")
    assert _got("plan-sent-back") == ["leader2"]
    with django_capture_on_commit_callbacks(execute=True):
        submitted(org, plan)
        services.plan_transition(user=org.users["leader"], plan=plan, action="approve")
    assert _got("plan-submitted") == ["leader", "leader"]
    assert _got("plan-approved") == ["leader2"]
    subjects = [m.subject for m in mail.outbox]
    # Each names the plan and the other person; plan comments are not confidential.
    assert "Lars Leder To har sendt planen for Afdeling A1 til din godkendelse" in subjects
    assert "Lene Leder har godkendt planen for Afdeling A1" in subjects
    assert "Planen for Afdeling A1 er sendt tilbage af Lene Leder: Mere MED" in subjects
    # The send-back comment reaches the owner in the e-mail (issue 19), not only on the plan page.
    assert any("Mere MED" in m.body for m in mail.outbox if m.to == ["leder2@example.org"])
