"""The plans part of the region-scale data (`manage.py seed_scale`, settings.SCALE_GENERATORS):
a rollout on Region Midtjylland's framework, a plan per unit in every state with its history,
translations, focus principles and about `activities_per_plan` activities, and the
notifications already sent about them. Bulk inserts only; deterministic from the generator's
random source. No framework text is written: plans point at the loaded frameworks' items."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dialogues.models import Activity, Plan, PlanEvent, PlanTranslation, Rollout
from ledelse.models import Person, Region, Unit
from ledelse.notifications.models import Reminder
from ledelse.scale.generator import Made, Sizes, bulk
from values.models import Framework, Item

FRAMEWORK_SLUG = "rm-god-ledelse-og-styring"
PLAN_STATES = ["kladde", "indsendt", "godkendt", "i_gang", "afsluttet"]
PLAN_PATH = {s: PLAN_STATES[: i + 1] for i, s in enumerate(PLAN_STATES)}
ACTIVITY_STATUSES = ["planlagt", "i_gang", "gennemfoert", "aflyst"]
ACTIVITY_KINDS = [k for k, _label in Activity.Kind.choices]
REMINDER_KINDS = ["plan-activity-due", "plan-activity-overdue", "plan-follow-up", "plan-missing", "plan-approval-wait"]


def plans_generate(
    *,
    rng: random.Random,
    sizes: Sizes,
    region: Region,
    root: Unit,
    units: list[Unit],
    by_unit: dict[int, list[Person]],
    today: date,
    made: Made,
) -> None:
    activities = _plans(rng, sizes, region, root, units, by_unit, today, made)
    _reminders(rng, sizes, activities, today, made)


def _plans(
    rng: random.Random,
    sizes: Sizes,
    region: Region,
    root: Unit,
    units: list[Unit],
    by_unit: dict[int, list[Person]],
    today: date,
    made: Made,
) -> list[Activity]:
    framework = Framework.objects.select_related("current_version").get(slug=FRAMEWORK_SLUG)
    version = framework.current_version
    themes = list(Item.objects.filter(version=version, kind="theme").order_by("position"))
    principles = list(Item.objects.filter(version=version, kind="principle").order_by("position")) or themes
    starts = today - timedelta(days=150)
    rollout = Rollout.objects.create(
        title="Lokal oversættelse og aktivering (skala)",
        region=region,
        scope_unit=root,
        framework_version=version,
        starts_on=starts,
        deadline=today + timedelta(days=30),
    )
    made.counts["udrulninger"] += 1
    now = timezone.now()
    plans = []
    for unit in units:
        state = rng.choices(PLAN_STATES, weights=(25, 15, 20, 30, 10))[0]
        plans.append(
            Plan(
                rollout=rollout,
                unit=unit,
                owner=by_unit[unit.pk][0],
                state=state,
                submitted_at=now - timedelta(days=rng.randint(1, 60)) if state != "kladde" else None,
            )
        )
    plans = bulk(Plan, plans, made, "planer")
    events, translations, focus = [], [], []
    Focus = Plan.focus_principles.through
    for plan in plans:
        owner = by_unit[plan.unit_id][0]
        at = now - timedelta(days=100)
        path = PLAN_PATH[plan.state]
        for before, after in zip(["", *path], path, strict=False):
            events.append(
                PlanEvent(
                    plan=plan, actor_id=owner.user_id, actor_name=owner.name, at=at, from_state=before, to_state=after
                )
            )
            at += timedelta(days=7)
        for theme in themes[:4]:
            translations.append(PlanTranslation(plan=plan, theme=theme, text="Hos os betyder det, at vi taler om det."))
        for item in rng.sample(principles, min(2, len(principles))):
            focus.append(Focus(plan_id=plan.pk, item_id=item.pk))
    bulk(PlanEvent, events, made, "planhistorik")
    bulk(PlanTranslation, translations, made, "oversættelser")
    bulk(Focus, focus, made, "principper i fokus")

    activities = []
    for plan in plans:
        members = by_unit[plan.unit_id]
        for position in range(rng.randint(sizes.activities_per_plan // 2, sizes.activities_per_plan * 3 // 2)):
            status = rng.choice(ACTIVITY_STATUSES)
            day = today + timedelta(days=rng.randint(-120, 90))
            meeting = rng.random() < 0.6
            activities.append(
                Activity(
                    plan=plan,
                    kind=rng.choice(ACTIVITY_KINDS),
                    title=f"Aktivitet {position + 1} i {plan.unit_id}",
                    description="Vi bruger dialogkort.",
                    responsible=rng.choice(members),
                    date=day,
                    start_time=time(9, 0) if meeting else None,
                    end_time=time(11, 0) if meeting else None,
                    status=status,
                    outcome="Gode drøftelser." if status == "gennemfoert" else "",
                    follow_up_on=day + timedelta(days=14) if status == "gennemfoert" else None,
                    position=position,
                )
            )
    activities = bulk(Activity, activities, made, "aktiviteter")
    Principles, Participants = Activity.principles.through, Activity.participants.through
    links, taking_part = [], []
    for activity in activities:
        links.append(Principles(activity_id=activity.pk, item_id=rng.choice(principles).pk))
        members = by_unit[activity.plan.unit_id]
        for person in rng.sample(members, min(3, len(members))):
            taking_part.append(Participants(activity_id=activity.pk, person_id=person.pk))
    bulk(Principles, links, made, "aktivitetsprincipper")
    bulk(Participants, taking_part, made, "deltagere")
    return activities


def _reminders(rng: random.Random, sizes: Sizes, activities: list[Activity], today: date, made: Made) -> None:
    """Notifications already sent (most read), spread over the people responsible: each row
    a different (activity, kind, day), so the claim constraint holds."""
    if not activities or not sizes.notifications:
        return
    target_type = ContentType.objects.get_for_model(Activity)
    now = timezone.now()
    rows = []
    for i in range(sizes.notifications):
        activity = activities[i % len(activities)]
        round_ = i // len(activities)
        created = now - timedelta(days=round_ + 1, minutes=rng.randint(0, 600))
        rows.append(
            Reminder(
                recipient_id=activity.responsible.user_id,
                kind=REMINDER_KINDS[round_ % len(REMINDER_KINDS)],
                target_type=target_type,
                target_id=activity.pk,
                due_on=today - timedelta(days=round_ + 1),
                title=f"“{activity.title}” er snart",
                url=activity.get_absolute_url(),
                context={"activity": activity.title},
                state=Reminder.State.SENT,
                attempts=1,
                created_at=created,
                enqueued_at=created,
                sent_at=created,
                read_at=created + timedelta(hours=2) if rng.random() < 0.7 else None,
            )
        )
    bulk(Reminder, rows, made, "notifikationer")
