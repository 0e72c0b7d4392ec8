"""The plans' reminder rules: whom to remind of what, and when. The shared mechanism in
ledelse.notifications claims each Due once (recipient, kind, target, due date, key) and
sends it; these rules only say what is due. Registered in DialoguesConfig.ready().

Each rule reads in bounded batches with select_related: one query per distinct number of
days set on rollouts (usually one), or per active rollout, never per person. A rule looks
back over a window rather than at one exact day, so a sweep that did not run on a day
still finds what fell due then; the claim's due date keeps it to one notice.

- activity due within `activity_due_days`: the person responsible;
- activity overdue (date passed, still planned or in progress): responsible and owner;
- no submitted plan `plan_missing_days` before the deadline, and again once it has
  passed: the unit's leader;
- a plan waiting for approval for more than `approval_wait_days`: the approver;
- an activity's follow-up date has come: the person responsible.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues.definitions import activity_open_q, plan_open_q
from dialogues.models import Activity, Plan, Rollout
from ledelse.dates import long_date
from ledelse.models import Person
from ledelse.notifications.registry import dues_for_each
from ledelse.notifications.services import Due
from ledelse.selectors import people_own_leaders

CHUNK = 500
# How far back a rule looks for something that fell due on a day no sweep ran.
LOOK_BACK_DAYS = 30


def _d(value: date) -> str:
    return long_date(value)


def _activities(**filters) -> Iterator[Activity]:
    return (
        Activity.objects.filter(activity_open_q(), **filters)
        .select_related("plan__unit", "plan__owner", "responsible")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )


def _activity_url(activity: Activity) -> str:
    return reverse("dialogues:plan_detail", args=[activity.plan_id]) + f"#aktivitet-{activity.pk}"


def activity_due(*, today: date) -> Iterator[Due]:
    with translation.override(settings.LANGUAGE_CODE):
        for days in Rollout.objects.values_list("activity_due_days", flat=True).distinct().order_by():
            yield from dues_for_each(
                _activities(
                    plan__rollout__activity_due_days=days, date__gte=today, date__lte=today + timedelta(days=days)
                ),
                partial(_activity_due_dues, days=days),
                rule="dialogues.activity_due",
            )


def _activity_due_dues(a: Activity, *, days: int) -> Iterator[Due]:
    if a.responsible is None or a.responsible.user_id is None:
        return
    yield Due(
        recipient_id=a.responsible.user_id,
        kind="plan-activity-due",
        target=a,
        due_on=a.date - timedelta(days=days),
        title=_("“%(title)s” is on %(date)s") % {"title": a.title, "date": _d(a.date)},
        url=_activity_url(a),
        context={"activity": a.title, "date": _d(a.date), "unit": a.plan.unit.name},
    )


def activity_overdue(*, today: date) -> Iterator[Due]:
    with translation.override(settings.LANGUAGE_CODE):
        yield from dues_for_each(
            _activities(date__lt=today, date__gte=today - timedelta(days=LOOK_BACK_DAYS)),
            _activity_overdue_dues,
            rule="dialogues.activity_overdue",
        )


def _activity_overdue_dues(a: Activity) -> Iterator[Due]:
    recipients = {p.user_id for p in (a.responsible, a.plan.owner) if p is not None and p.user_id}
    for user_id in sorted(recipients):
        yield Due(
            recipient_id=user_id,
            kind="plan-activity-overdue",
            target=a,
            due_on=a.date + timedelta(days=1),
            title=_("“%(title)s” was due on %(date)s") % {"title": a.title, "date": _d(a.date)},
            url=_activity_url(a),
            context={"activity": a.title, "date": _d(a.date), "unit": a.plan.unit.name},
        )


def activity_follow_up(*, today: date) -> Iterator[Due]:
    with translation.override(settings.LANGUAGE_CODE):
        activities = (
            Activity.objects.filter(
                plan_open_q("plan__"),
                follow_up_on__lte=today,
                follow_up_on__gte=today - timedelta(days=LOOK_BACK_DAYS),
            )
            .exclude(status=Activity.Status.AFLYST)
            .select_related("plan__unit", "responsible")
            .order_by("pk")
            .iterator(chunk_size=CHUNK)
        )
        yield from dues_for_each(activities, _activity_follow_up_dues, rule="dialogues.activity_follow_up")


def _activity_follow_up_dues(a: Activity) -> Iterator[Due]:
    if a.responsible is None or a.responsible.user_id is None:
        return
    yield Due(
        recipient_id=a.responsible.user_id,
        kind="plan-activity-follow-up",
        target=a,
        due_on=a.follow_up_on,
        title=_("What came out of “%(title)s”?") % {"title": a.title},
        url=reverse("dialogues:activity_edit", args=[a.plan_id, a.pk]),
        context={"activity": a.title, "unit": a.plan.unit.name},
    )


def plan_missing(*, today: date) -> Iterator[Due]:
    """Units in an active rollout's scope with no plan, or only a draft: first
    `plan_missing_days` before the deadline, again the day after it. One query per active
    rollout for its units, one for its plans. A rollout that fails is logged and skipped."""
    with translation.override(settings.LANGUAGE_CODE):
        rollouts = Rollout.objects.filter(
            deadline__gte=today - timedelta(days=LOOK_BACK_DAYS), starts_on__lte=today
        ).select_related("scope_unit")
        yield from dues_for_each(
            rollouts.order_by("pk").iterator(chunk_size=CHUNK),
            partial(_plan_missing_dues, today=today),
            rule="dialogues.plan_missing",
        )


def _plan_missing_dues(rollout: Rollout, *, today: date) -> Iterator[Due]:
    warn_on = rollout.deadline - timedelta(days=rollout.plan_missing_days)
    passed_on = rollout.deadline + timedelta(days=1)
    if today < warn_on:
        return
    kind, due_on = ("plan-deadline-passed", passed_on) if today >= passed_on else ("plan-missing", warn_on)
    submitted = set(
        Plan.objects.filter(rollout=rollout).exclude(state=Plan.State.KLADDE).values_list("unit_id", flat=True)
    )
    leaders = (
        Person.objects.filter(is_leader=True, user__isnull=False, unit__path__startswith=rollout.scope_unit.path)
        .select_related("unit")
        .order_by("unit__path")
        .iterator(chunk_size=CHUNK)
    )
    for leader in leaders:
        if leader.unit_id in submitted:
            continue
        yield Due(
            recipient_id=leader.user_id,
            kind=kind,
            target=rollout,
            due_on=due_on,
            key=f"unit-{leader.unit_id}",
            title=(
                _("The plan for %(unit)s was due on %(date)s")
                if kind == "plan-deadline-passed"
                else _("The plan for %(unit)s is due on %(date)s")
            )
            % {"unit": leader.unit.name, "date": _d(rollout.deadline)},
            url=reverse("dialogues:plan_start", args=[rollout.pk, leader.unit_id]),
            context={"unit": leader.unit.name, "date": _d(rollout.deadline), "rollout": rollout.title},
        )


def approval_waiting(*, today: date) -> Iterator[Due]:
    with translation.override(settings.LANGUAGE_CODE):
        for days in Rollout.objects.values_list("approval_wait_days", flat=True).distinct().order_by():
            # Waiting "more than" N days: submitted before the start of today minus N days.
            cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
            qs = (
                Plan.objects.filter(
                    state=Plan.State.INDSENDT, rollout__approval_wait_days=days, submitted_at__lt=cutoff
                )
                .select_related("unit", "owner__unit", "owner__own_leader")
                .order_by("pk")
            )
            batch: list[Plan] = []
            for plan in qs.iterator(chunk_size=CHUNK):
                batch.append(plan)
                if len(batch) == CHUNK:
                    yield from _approval_dues(batch, days)
                    batch = []
            yield from _approval_dues(batch, days)


def _approval_dues(plans: list[Plan], days: int) -> Iterator[Due]:
    if not plans:
        return
    leaders = people_own_leaders(p.owner for p in plans)
    for plan in plans:
        approver = leaders.get(plan.owner_id)
        if approver is None or approver.user_id is None:
            continue
        submitted_on = timezone.localdate(plan.submitted_at)
        yield Due(
            recipient_id=approver.user_id,
            kind="plan-waiting-approval",
            target=plan,
            due_on=submitted_on + timedelta(days=days + 1),
            key=plan.submitted_at.isoformat(),
            title=_("The plan for %(unit)s from %(owner)s has waited for your approval since %(date)s")
            % {"unit": plan.unit.name, "owner": plan.owner.name, "date": _d(submitted_on)},
            url=reverse("dialogues:plan_detail", args=[plan.pk]),
            context={"unit": plan.unit.name, "date": _d(submitted_on)},
        )


RULES = {
    "dialogues.activity_due": activity_due,
    "dialogues.activity_overdue": activity_overdue,
    "dialogues.activity_follow_up": activity_follow_up,
    "dialogues.plan_missing": plan_missing,
    "dialogues.approval_waiting": approval_waiting,
}
