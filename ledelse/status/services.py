"""Writes of the status package: the weekly snapshots behind the trend line."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from dialogues.definitions import activity_overdue_q
from dialogues.models import Activity, Plan, PlanEvent
from ledelse.status.models import Snapshot

BATCH = 1000


def week_of(day: date) -> date:
    """The Monday of `day`'s week: every snapshot of a week is filed under it."""
    return day - timedelta(days=day.weekday())


@transaction.atomic
def snapshots_take(*, as_of: date | None = None) -> int:
    """File every plan of every started rollout under the week of `as_of` (default today):
    its state and its activities planned, done and overdue. Taking the same week again
    replaces that week's rows. Two queries plus one insert per thousand plans.

    For today the plans' current state is used. For a day in the past (the back-fill) the
    state is read from the plan's history (the last change before the end of that day; a
    plan without one did not exist yet); an activity counts as planned then when it was
    made or dated by then, and as done when it is done now and its date had come;
    activities done since are not counted as overdue then. That is an approximation, and
    only the back-fill uses it."""
    today = timezone.localdate()
    as_of = as_of or today
    week = week_of(as_of)
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    live = as_of >= today
    state = (
        F("state")
        if live
        else Subquery(
            PlanEvent.objects.filter(plan_id=OuterRef("pk"), at__lt=end).order_by("-at", "-id").values("to_state")[:1]
        )
    )
    exists = Q(activities__status__in=Activity.Status.values) & ~Q(activities__status=Activity.Status.AFLYST)
    if not live:
        # Planned by then: made before the end of the day, or dated on or before it.
        exists &= Q(activities__created_at__lt=end) | Q(activities__date__lte=as_of)
    done = exists & Q(activities__status=Activity.Status.GENNEMFOERT)
    if not live:
        done &= Q(activities__date__lte=as_of) | Q(activities__date__isnull=True, activities__updated_at__lt=end)
    overdue = exists & activity_overdue_q(today=as_of, activity="activities__", plan="")
    plans = Plan.objects.filter(rollout__starts_on__lte=as_of)
    if not live:
        # A plan existed then when its history has a change before the end of the day.
        plans = plans.filter(Exists(PlanEvent.objects.filter(plan_id=OuterRef("pk"), at__lt=end)))
    counted = (
        plans.annotate(
            snapshot_state=state,
            planned=Count("activities", filter=exists),
            done=Count("activities", filter=done),
            overdue=Count("activities", filter=overdue),
        )
        .values("rollout_id", "unit_id", "snapshot_state", "planned", "done", "overdue")
        .order_by("pk")
    )
    rows = [
        Snapshot(
            rollout_id=p["rollout_id"],
            unit_id=p["unit_id"],
            taken_on=week,
            plan_state=p["snapshot_state"] or Plan.State.KLADDE,
            activities_planned=p["planned"],
            activities_done=p["done"],
            activities_overdue=p["overdue"],
        )
        for p in counted
    ]
    Snapshot.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["rollout", "unit", "taken_on"],
        update_fields=["plan_state", "activities_planned", "activities_done", "activities_overdue", "created_at"],
    )
    return len(rows)


def snapshots_backfill(*, weeks: int, today: date | None = None) -> int:
    """Take the snapshots of the last `weeks` weeks before this one from the plans' history
    (the demo, and a site that starts the status page after its plans). Returns the rows."""
    today = today or timezone.localdate()
    this_week = week_of(today)
    taken = 0
    for back in range(weeks, 0, -1):
        taken += snapshots_take(as_of=this_week - timedelta(weeks=back))
    return taken
