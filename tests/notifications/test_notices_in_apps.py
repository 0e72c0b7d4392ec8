"""Notices as the apps use them: each names its thing and the other person, a done task
clears its notice, a deleted thing takes its notices along, and a reminder rule that fails
on one object goes on with the others."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from dialogues import services as plans
from dialogues.models import Plan, Rollout
from dialogues.reminders import plan_missing
from ledelse.notifications.models import Reminder
from ledelse.notifications.selectors import notifications_for_user, unread_count_for_user
from ledelse.notifications.services import reminders_sweep
from lus import services as lus_services
from lus.models import Preparation
from lus.reminders import preparation_open
from tests.dialogues.conftest import activity_data
from tests.lus.conftest import make_lus, prepare
from tests.values.factories import make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_plan(org) -> Plan:
    framework = make_framework(region="Region Test")
    rollout = plans.rollout_create(
        user=org.users["koncern"],
        data=plans.RolloutData(
            title="Udrulning 2026",
            scope_unit=org.units["RT"],
            framework_version=framework.current_version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )
    return plans.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])


def _titles(user) -> list[str]:
    return [n.title for n in notifications_for_user(user=user)]


def _submit(org, plan):
    plans.activity_create(plan=plan, data=activity_data(org))
    return plans.plan_transition(user=org.users["leader2"], plan=plan, action="submit")


def test_a_plan_notice_names_the_plan_and_the_other_person(org, a_plan):
    _submit(org, a_plan)
    assert _titles(org.users["leader"]) == ["Lars Leder To har sendt planen for Afdeling A1 til din godkendelse"]
    plans.plan_transition(user=org.users["leader"], plan=a_plan, action="send_back", comment="Mere  MED\ni planen")
    assert _titles(org.users["leader2"]) == ["Planen for Afdeling A1 er sendt tilbage af Lene Leder: Mere MED i planen"]


def test_approving_clears_the_approvers_waiting_notice(org, a_plan):
    _submit(org, a_plan)
    assert unread_count_for_user(user=org.users["leader"]) == 1
    plans.plan_transition(user=org.users["leader"], plan=a_plan, action="approve")
    assert _titles(org.users["leader"]) == []
    assert unread_count_for_user(user=org.users["leader"]) == 0
    # The row stays as the claim: the same notice is not sent again.
    assert Reminder.objects.get(kind="plan-submitted").cleared_at is not None
    assert _titles(org.users["leader2"]) == ["Lene Leder har godkendt planen for Afdeling A1"]


def test_submitting_again_clears_the_sent_back_notice(org, a_plan):
    _submit(org, a_plan)
    plans.plan_transition(user=org.users["leader"], plan=a_plan, action="send_back", comment="Mere MED")
    assert len(_titles(org.users["leader2"])) == 1
    plans.plan_transition(user=org.users["leader2"], plan=a_plan, action="submit")
    assert _titles(org.users["leader2"]) == []


def test_a_deleted_activity_takes_its_notices_along(org, a_plan):
    activity = plans.activity_create(plan=a_plan, data=activity_data(org, date=date(2026, 9, 15)))
    reminders_sweep(today=date(2026, 9, 8))
    assert Reminder.objects.filter(kind="plan-activity-due", target_id=activity.pk).count() == 1
    plans.activity_delete(activity=activity)
    assert not Reminder.objects.filter(kind="plan-activity-due").exists()


def test_a_deleted_plan_takes_the_notices_of_its_activities_along(org, a_plan):
    activity = plans.activity_create(plan=a_plan, data=activity_data(org, date=date(2026, 9, 15)))
    reminders_sweep(today=date(2026, 9, 8))
    _submit(org, a_plan)
    assert Reminder.objects.filter(kind__in=["plan-activity-due", "plan-submitted"]).count() == 2
    Plan.objects.filter(pk=a_plan.pk).delete()  # as the admin or a cascade would
    assert not Reminder.objects.filter(target_id__in=[a_plan.pk, activity.pk], kind__startswith="plan-").exists()
    assert _titles(org.users["leader2"]) == [] and _titles(org.users["leader"]) == []


def test_a_rollout_that_fails_is_logged_and_the_others_are_still_reminded(org, a_plan, caplog):
    version = a_plan.rollout.framework_version

    def rollout(title, deadline):
        return Rollout.objects.create(
            title=title,
            region=org.units["RT"].region,
            scope_unit=org.units["B"],
            framework_version=version,
            starts_on=date(2026, 6, 4),
            deadline=deadline,
            plan_missing_days=0,
        )

    broken = rollout("Uendelig", date(9999, 12, 31))  # the day after overflows
    after = rollout("Efter den uendelige", date(2026, 12, 31))
    with caplog.at_level(logging.ERROR):
        dues = list(plan_missing(today=date(2027, 1, 2)))
    assert {d.target.pk for d in dues} == {a_plan.rollout.pk, after.pk}
    assert any(
        "dialogues.plan_missing" in r.getMessage() and f"dialogues.rollout {broken.pk}" in r.getMessage()
        for r in caplog.records
    )
    # Without the guard the whole rule stopped at the broken rollout.
    assert broken.pk < after.pk


def test_a_lus_notice_names_the_other_person_and_clears_when_prepared(org):
    lus = make_lus(org)
    conversation = lus.conversation
    reminders_sweep(today=date(2026, 8, 15))
    assert "LUS med Lene Leder: din forberedelse er åben" in _titles(org.users["leader2"])
    assert "LUS med Lars Leder To: din forberedelse er åben" in _titles(org.users["leader"])
    prepare(conversation, Preparation.Role.LEADER, [3, 3, 3], note="Hemmeligt eksempel", share=False)
    # Shared by the leader (a party): the other party is told.
    lus_services.preparation_share(
        preparation=conversation.preparations.get(role=Preparation.Role.LEADER), by=org.users["leader2"]
    )
    assert "LUS med Lene Leder: din forberedelse er åben" not in _titles(org.users["leader2"])
    # The partner's own notice stays (they have not prepared), and hears of the sharing.
    leader_titles = _titles(org.users["leader"])
    assert "LUS med Lars Leder To: din forberedelse er åben" in leader_titles
    assert "LUS med Lars Leder To: forberedelsen er delt med dig" in leader_titles
    for reminder in Reminder.objects.all():
        assert "Hemmeligt" not in reminder.title + str(reminder.context)
    # Prepared, the rule names nobody again.
    assert not [d for d in preparation_open(today=date(2026, 8, 16)) if d.recipient_id == org.users["leader2"].pk]


def test_a_deleted_lus_takes_its_notices_along(org):
    lus = make_lus(org)
    reminders_sweep(today=date(2026, 8, 15))
    assert Reminder.objects.filter(kind="lus-waiting", target_id=lus.conversation.pk).exists()
    lus.round.conversations.filter(pk=lus.conversation.pk).delete()
    assert not Reminder.objects.filter(kind="lus-waiting", target_id=lus.conversation.pk).exists()


def test_confirming_clears_the_waiting_for_confirmation_notice(org):
    from tests.lus.conftest import held

    lus = make_lus(org)
    conversation = held(lus.conversation, lus.principles)
    reminders_sweep(today=date(2026, 9, 24))
    assert "LUS med Lars Leder To: referatet venter stadig på din bekræftelse" in _titles(org.users["leader"])
    lus_services.record_confirm(conversation=conversation, role=Preparation.Role.PARTNER)
    assert "LUS med Lars Leder To: referatet venter stadig på din bekræftelse" not in _titles(org.users["leader"])


def test_every_rule_goes_on_past_an_object_that_fails(org, a_plan, caplog, monkeypatch):
    """Not only plan_missing: an activity rule and a LUS rule log the object that fails and
    remind of the others (the guard is ledelse.notifications.registry.dues_for_each)."""
    from dialogues import reminders as plan_reminders
    from dialogues.models import Activity
    from lus import reminders as lus_reminders

    first, second = (
        Activity.objects.create(
            plan=a_plan,
            kind="dialog_ledergruppe",
            title=title,
            responsible=org.people["leader2"],
            date=date(2026, 10, 1),
        )
        for title in ("Går galt", "Går godt")
    )
    real = plan_reminders._activity_overdue_dues

    def failing(activity):
        if activity.pk == first.pk:
            raise OverflowError("date value out of range")
        return real(activity)

    monkeypatch.setattr(plan_reminders, "_activity_overdue_dues", failing)
    with caplog.at_level(logging.ERROR):
        dues = list(plan_reminders.activity_overdue(today=date(2026, 10, 5)))
    assert {d.target.pk for d in dues} == {second.pk}
    assert any(f"dialogues.activity {first.pk}" in r.getMessage() for r in caplog.records)

    lus = make_lus(org)
    monkeypatch.setattr(lus_reminders, "unprepared_parties", lambda c: (_ for _ in ()).throw(ValueError("broken")))
    with caplog.at_level(logging.ERROR):
        assert list(lus_reminders.preparation_open(today=date(2026, 8, 15))) == []
    assert any(
        "lus.preparation_open" in r.getMessage() and f"lus.conversation {lus.conversation.pk}" in r.getMessage()
        for r in caplog.records
    )
