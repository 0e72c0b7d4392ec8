"""Writes of rollouts, plans, translations and activities, and the plan workflow.

Every function checks what the data itself must satisfy (state, framework version,
region) and raises ValidationError with a Danish message keyed by form field; the views
check who may call them through dialogues.access first. Nothing is half-saved: each
function runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues import access, notices
from dialogues.models import Activity, Plan, PlanEvent, PlanTranslation, Rollout
from ledelse.models import Person, Unit
from ledelse.selectors import ancestor_paths
from ledelse.services import model_update
from values.models import FrameworkVersion, Item

State = Plan.State


# --- Rollouts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutData:
    title: str
    scope_unit: Unit
    framework_version: FrameworkVersion
    starts_on: date
    deadline: date
    activity_due_days: int = 7
    plan_missing_days: int = 14
    approval_wait_days: int = 7


def _rollout_check(data: RolloutData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the rollout a title.")
    if data.deadline < data.starts_on:
        errors["deadline"] = _("The deadline cannot be before the rollout starts.")
    if data.framework_version.framework.region_id != data.scope_unit.region_id:
        errors["framework"] = _("Choose a framework of the region the rollout covers.")
    if data.framework_version.status != FrameworkVersion.Status.UDGIVET:
        errors["framework"] = _("Choose a framework with a published version.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rollout_create(*, user: AbstractBaseUser, data: RolloutData) -> Rollout:
    _rollout_check(data)
    return Rollout.objects.create(
        title=data.title.strip(),
        region_id=data.scope_unit.region_id,
        scope_unit=data.scope_unit,
        framework_version=data.framework_version,
        starts_on=data.starts_on,
        deadline=data.deadline,
        activity_due_days=data.activity_due_days,
        plan_missing_days=data.plan_missing_days,
        approval_wait_days=data.approval_wait_days,
        created_by=user,
    )


@transaction.atomic
def rollout_update(*, rollout: Rollout, data: RolloutData) -> Rollout:
    _rollout_check(data)
    if rollout.framework_version_id != data.framework_version.pk and rollout.plans.exists():
        raise ValidationError({"framework": _("The framework cannot change once units have started their plans.")})
    if data.scope_unit.region_id != rollout.region_id:
        raise ValidationError({"scope_unit": _("The rollout cannot move to another region.")})
    model_update(
        instance=rollout,
        data=data,
        fields=(
            "title",
            "scope_unit",
            "framework_version",
            "starts_on",
            "deadline",
            "activity_due_days",
            "plan_missing_days",
            "approval_wait_days",
        ),
    )
    rollout.title = rollout.title.strip()
    rollout.save()
    return rollout


# --- Plans ----------------------------------------------------------------------------------


def plan_above(*, rollout: Rollout, unit: Unit) -> Plan | None:
    """The plan of the nearest unit above `unit` in the same rollout (one query)."""
    paths = ancestor_paths(unit.path)
    return (
        Plan.objects.filter(rollout=rollout, unit__path__in=paths)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )


def _event(
    *, plan: Plan, user: AbstractBaseUser | None, from_state: str, to_state: str, comment: str = ""
) -> PlanEvent:
    person = Person.objects.filter(user=user).only("name").first() if user is not None else None
    return PlanEvent.objects.create(
        plan=plan,
        actor=user,
        actor_name=person.name if person else (user.get_username() if user is not None else ""),
        at=timezone.now(),
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


@transaction.atomic
def plan_create(*, user: AbstractBaseUser, rollout: Rollout, unit: Unit, carry_on: bool = False) -> Plan:
    """The unit's plan in the rollout, owned by the unit's leader. With `carry_on` the
    translation and the principles in focus are copied from the plan of the unit above."""
    if not unit.path.startswith(rollout.scope_unit.path):
        raise ValidationError(_("The unit is not part of this rollout."))
    leader = Person.objects.filter(unit=unit, is_leader=True).first()
    if leader is None:
        raise ValidationError(_("The unit has no leader registered, so its plan has no owner."))
    if Plan.objects.filter(rollout=rollout, unit=unit).exists():
        raise ValidationError(_("The unit already has a plan in this rollout."))
    above = plan_above(rollout=rollout, unit=unit) if carry_on else None
    if carry_on and above is None:
        raise ValidationError(_("There is no plan of a unit above to start from."))
    plan = Plan.objects.create(rollout=rollout, unit=unit, owner=leader, based_on=above)
    comment = ""
    if above is not None:
        PlanTranslation.objects.bulk_create(
            PlanTranslation(plan=plan, theme_id=t.theme_id, text=t.text) for t in above.translations.all()
        )
        plan.focus_principles.set(above.focus_principles.all())
        comment = _("Started from the plan of %(unit)s.") % {"unit": above.unit.name}
    _event(plan=plan, user=user, from_state="", to_state=State.KLADDE, comment=comment)
    return plan


def _locked(plan: Plan) -> Plan:
    """The plan row, locked until the end of the transaction, so two requests cannot both
    change it from the same state."""
    return Plan.objects.select_for_update().select_related("rollout").get(pk=plan.pk)


def _require_state(plan: Plan, states: Iterable[str], message: str) -> None:
    if plan.state not in states:
        raise ValidationError(message)


def _themes(plan: Plan) -> list[Item]:
    return list(Item.objects.filter(version_id=plan.rollout.framework_version_id, kind=Item.Kind.THEME))


def _check_principles(plan: Plan, principles: Iterable[Item], field: str) -> None:
    version_id = plan.rollout.framework_version_id
    for item in principles:
        if item.version_id != version_id or item.kind != Item.Kind.PRINCIPLE:
            raise ValidationError(
                {field: _("“%(item)s” is not a principle of the plan's framework.") % {"item": item.title}}
            )


@transaction.atomic
def plan_translation_save(*, plan: Plan, texts: dict[int, str], focus_principles: Iterable[Item]) -> Plan:
    """Save the translation of each theme (keyed by theme id) and the principles in focus."""
    plan = _locked(plan)
    _require_state(
        plan, access.TRANSLATION_EDITABLE_STATES, _("The translation can only be changed while the plan is a draft.")
    )
    themes = {t.pk: t for t in _themes(plan)}
    unknown = set(texts) - set(themes)
    if unknown:
        raise ValidationError(_("The form names a theme that is not in the plan's framework."))
    focus = list(focus_principles)
    _check_principles(plan, focus, "focus_principles")
    existing = {t.theme_id: t for t in plan.translations.all()}
    for theme_id, text in texts.items():
        text = text.strip()
        row = existing.get(theme_id)
        if row is None:
            if text:
                PlanTranslation.objects.create(plan=plan, theme_id=theme_id, text=text)
        elif row.text != text:
            row.text = text
            row.save(update_fields=["text"])
    plan.focus_principles.set(focus)
    plan.save(update_fields=["updated_at"])
    return plan


@transaction.atomic
def plan_co_owners_set(*, plan: Plan, co_owners: Iterable[Person]) -> Plan:
    plan = _locked(plan)
    _require_state(
        plan,
        access.ACTIVITIES_EDITABLE_STATES,
        _("The co-owners cannot change while the plan is %(state)s.") % {"state": plan.get_state_display().lower()},
    )
    people = [p for p in co_owners if p.pk != plan.owner_id]
    for person in people:
        if person.unit.region_id != plan.unit.region_id:
            raise ValidationError({"co_owners": _("A co-owner must work in the plan's region.")})
    plan.co_owners.set(people)
    return plan


# --- Activities -------------------------------------------------------------------------------


@dataclass
class ActivityData:
    kind: str
    title: str
    responsible: Person | None
    description: str = ""
    principles: tuple[Item, ...] = ()
    participants: tuple[Person, ...] = ()
    participants_note: str = ""
    date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    location: str = ""
    status: str = Activity.Status.PLANLAGT
    outcome: str = ""
    follow_up_on: date | None = None


def _activity_check(plan: Plan, data: ActivityData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the activity a title.")
    if data.kind not in Activity.Kind.values:
        errors["kind"] = _("Choose a kind of activity.")
    if data.status not in Activity.Status.values:
        errors["status"] = _("Choose a status.")
    if data.responsible is None:
        errors["responsible"] = _("Choose who is responsible.")
    elif data.responsible.unit.region_id != plan.unit.region_id:
        errors["responsible"] = _("The person responsible must work in the plan's region.")
    for person in data.participants:
        if person.unit.region_id != plan.unit.region_id:
            errors["participants"] = _("Everyone taking part must work in the plan's region.")
    if data.date is not None and data.date < plan.rollout.starts_on:
        errors["date"] = _("The date cannot be before the rollout starts (%(start)s).") % {
            "start": plan.rollout.starts_on.strftime("%d.%m.%Y")
        }
    if data.start_time is not None and data.date is None:
        errors["start_time"] = _("A time needs a date.")
    if data.end_time is not None and (data.start_time is None or data.end_time <= data.start_time):
        errors["end_time"] = _("The end time must come after the start time.")
    if data.follow_up_on is not None and data.date is not None and data.follow_up_on < data.date:
        errors["follow_up_on"] = _("The follow-up date cannot be before the activity.")
    if errors:
        raise ValidationError(errors)
    _check_principles(plan, data.principles, "principles")


_ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "responsible",
    "participants_note",
    "date",
    "start_time",
    "end_time",
    "location",
    "status",
    "outcome",
    "follow_up_on",
)


def _activities_editable(plan: Plan) -> None:
    _require_state(
        plan,
        access.ACTIVITIES_EDITABLE_STATES,
        _("The activities cannot be changed while the plan is %(state)s.")
        % {"state": plan.get_state_display().lower()},
    )


@transaction.atomic
def activity_create(*, plan: Plan, data: ActivityData) -> Activity:
    plan = _locked(plan)
    _activities_editable(plan)
    _activity_check(plan, data)
    activity = Activity(plan=plan, position=plan.activities.count())
    model_update(instance=activity, data=data, fields=_ACTIVITY_FIELDS)
    activity.title = activity.title.strip()
    activity.save()
    activity.principles.set(data.principles)
    activity.participants.set(data.participants)
    plan.save(update_fields=["updated_at"])
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: ActivityData) -> Activity:
    plan = _locked(activity.plan)
    _activities_editable(plan)
    _activity_check(plan, data)
    activity = Activity.objects.select_for_update().get(pk=activity.pk, plan=plan)
    moved = (activity.date, activity.start_time, activity.end_time) != (data.date, data.start_time, data.end_time)
    model_update(instance=activity, data=data, fields=_ACTIVITY_FIELDS)
    activity.title = activity.title.strip()
    if moved:
        # A calendar replaces its copy of the invitation only when SEQUENCE rises.
        activity.calendar_sequence += 1
    activity.save()
    activity.principles.set(data.principles)
    activity.participants.set(data.participants)
    plan.save(update_fields=["updated_at"])
    return activity


@transaction.atomic
def activity_outcome_save(*, activity: Activity, outcome: str, done: bool = False) -> Activity:
    """What came out of a dialogue, written straight after it (from the presentation);
    `done` also marks the activity as done."""
    plan = _locked(activity.plan)
    _activities_editable(plan)
    text = outcome.strip()
    if not text:
        raise ValidationError({"outcome": _("Write what came out of the dialogue.")})
    activity = Activity.objects.select_for_update().get(pk=activity.pk, plan=plan)
    activity.outcome = text
    fields = ["outcome", "updated_at"]
    if done:
        activity.status = Activity.Status.GENNEMFOERT
        fields.append("status")
    activity.save(update_fields=fields)
    plan.save(update_fields=["updated_at"])
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    plan = _locked(activity.plan)
    _require_state(plan, {State.KLADDE}, _("Activities can only be removed while the plan is a draft."))
    activity.delete()


# --- Workflow ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    from_state: str
    to_state: str
    by_approver: bool  # else by those who edit the plan


TRANSITIONS = {
    "submit": Transition(State.KLADDE, State.INDSENDT, by_approver=False),
    "approve": Transition(State.INDSENDT, State.GODKENDT, by_approver=True),
    "send_back": Transition(State.INDSENDT, State.KLADDE, by_approver=True),
    "start": Transition(State.GODKENDT, State.I_GANG, by_approver=False),
    "finish": Transition(State.I_GANG, State.AFSLUTTET, by_approver=False),
}


@transaction.atomic
def plan_transition(*, user: AbstractBaseUser, plan: Plan, action: str, comment: str = "") -> Plan:
    """Move the plan along its workflow and record who, when and why in its history."""
    transition = TRANSITIONS[action]
    plan = _locked(plan)
    allowed = access.can_approve_plan(user, plan) if transition.by_approver else access.can_edit_plan(user, plan)
    if not allowed:
        raise ValidationError(_("You may not do this with the plan."))
    if plan.state != transition.from_state:
        raise ValidationError(
            _("The plan is %(state)s, so this cannot be done now.") % {"state": plan.get_state_display().lower()}
        )
    comment = comment.strip()
    if action == "send_back" and not comment:
        raise ValidationError({"comment": _("Write what the plan needs before it can be approved.")})
    if action == "submit" and not plan.activities.exists():
        raise ValidationError(_("Add at least one activity before you submit the plan."))
    plan.state = transition.to_state
    if action == "submit":
        plan.submitted_at = timezone.now()
    plan.save(update_fields=["state", "submitted_at", "updated_at"])
    event = _event(
        plan=plan, user=user, from_state=transition.from_state, to_state=transition.to_state, comment=comment
    )
    notices.plan_state_changed(plan=plan, action=action, event=event)
    return plan


# --- Copying (inspiration) ---------------------------------------------------------------------


@transaction.atomic
def plan_translation_copy(*, source: Plan, target: Plan) -> int:
    """Copy the source plan's translation into the target plan, theme by theme (matched by
    the theme's key, so plans on another version of the same framework can share it).
    Themes the target has already written are overwritten. Returns the themes copied."""
    target = _locked(target)
    _require_state(
        target, access.TRANSLATION_EDITABLE_STATES, _("The translation can only be changed while the plan is a draft.")
    )
    if source.pk == target.pk:
        raise ValidationError(_("Choose another plan than the one you copy from."))
    themes = {t.key: t for t in _themes(target)}
    copied = 0
    for row in source.translations.select_related("theme"):
        theme = themes.get(row.theme.key)
        if theme is None or not row.text:
            continue
        PlanTranslation.objects.update_or_create(plan=target, theme=theme, defaults={"text": row.text})
        copied += 1
    if not copied:
        raise ValidationError(_("The plans are on different frameworks, so there is nothing to copy."))
    target.save(update_fields=["updated_at"])
    return copied


@transaction.atomic
def activity_copy(*, activity: Activity, target: Plan) -> Activity:
    """A copy of the activity in the target plan: kind, title, description and the
    principles the target's framework also has; planned, undated, with the target's owner
    responsible."""
    target = _locked(target)
    _activities_editable(target)
    keys = list(activity.principles.values_list("key", flat=True))
    principles = Item.objects.filter(
        version_id=target.rollout.framework_version_id, kind=Item.Kind.PRINCIPLE, key__in=keys
    )
    copy = Activity.objects.create(
        plan=target,
        kind=activity.kind,
        title=activity.title,
        description=activity.description,
        responsible=target.owner,
        position=target.activities.count(),
    )
    copy.principles.set(principles)
    target.save(update_fields=["updated_at"])
    return copy


# --- When the organisation changes -------------------------------------------------------------


def plans_follow_leaders() -> int:
    """Plans not yet completed whose owner no longer leads the plan's unit (moved, stepped
    down or left) pass to the unit's leader now, so reminders, approval by the owner's own
    leader and the owner's edit right follow the organisation. Run in the organisation
    import's transaction (settings.ORGANISATION_IMPORT_HOOKS) and nightly, for changes made
    in the admin. A unit with no leader keeps its owner until it gets one. Returns how many
    plans changed owner."""
    still_leads = Person.objects.filter(pk=OuterRef("owner_id"), unit_id=OuterRef("unit_id"), is_leader=True)
    unit_leader = Person.objects.filter(unit_id=OuterRef("unit_id"), is_leader=True).order_by("pk").values("pk")[:1]
    # One UPDATE: the stale plans of units that have a leader get that leader.
    return (
        Plan.objects.exclude(state=Plan.State.AFSLUTTET)
        .exclude(Exists(still_leads))
        .filter(Exists(unit_leader))
        .update(owner_id=Subquery(unit_leader), updated_at=timezone.now())
    )
