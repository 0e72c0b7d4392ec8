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

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues import access, calendar, hearings, med, notices, pdf, selectors
from dialogues.models import Activity, Plan, PlanEvent, PlanTranslation, PlanTranslationRevision, Rollout
from dialogues.workflow import SNAPSHOT_ACTIONS, TRANSITIONS, transition_refusal
from ledelse.concurrency.versions import Seen, seen_token, version_bump, version_check, version_require
from ledelse.dates import long_date
from ledelse.documents import services as document_services
from ledelse.documents.models import DocumentJob
from ledelse.documents.render import render_to_storage
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
    requires_med_treatment: bool = False


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
        requires_med_treatment=data.requires_med_treatment,
        created_by=user,
    )


_ROLLOUT_FIELDS = (
    "title",
    "scope_unit",
    "framework_version",
    "starts_on",
    "deadline",
    "activity_due_days",
    "plan_missing_days",
    "approval_wait_days",
    "requires_med_treatment",
)


def _rollout_form_values(source: Rollout | RolloutData) -> dict:
    """A rollout (stored or sent) as its form shows it, keyed as the form's fields (the form
    chooses a framework, the rollout holds its version): what ledelse.concurrency compares."""
    values = {name: getattr(source, name) for name in _ROLLOUT_FIELDS}
    values["framework"] = values.pop("framework_version").framework
    return values


def rollout_seen_token(*, rollout: Rollout) -> str:
    return seen_token(number=rollout.lock_version, values=_rollout_form_values(rollout))


@transaction.atomic
def rollout_update(*, rollout: Rollout, data: RolloutData, version: Seen | None = None) -> Rollout:
    """Change the rollout. `version` is what the form was loaded from: a save over someone
    else's newer change raises VersionConflict (ledelse.concurrency)."""
    _rollout_check(data)
    rollout = (
        Rollout.objects.select_for_update(of=("self",))
        .select_related("framework_version__framework")
        .get(pk=rollout.pk)
    )
    if rollout.framework_version_id != data.framework_version.pk and rollout.plans.exists():
        raise ValidationError({"framework": _("The framework cannot change once units have started their plans.")})
    if data.scope_unit.region_id != rollout.region_id:
        raise ValidationError({"scope_unit": _("The rollout cannot move to another region.")})
    version_check(
        seen=version,
        number=rollout.lock_version,
        theirs=_rollout_form_values(rollout),
        yours=_rollout_form_values(data),
    )
    model_update(instance=rollout, data=data, fields=_ROLLOUT_FIELDS)
    rollout.title = rollout.title.strip()
    rollout.lock_version += 1
    rollout.save()
    return rollout


def rollout_plans_document_check(*, unit: Unit, count: int) -> None:
    """One document holds the plans of one part of the organisation, at most
    pdf.PLANS_PER_DOCUMENT of them (a larger part is printed part by part)."""
    if count == 0:
        raise ValidationError({"enhed": _("%(unit)s has no plans to print yet.") % {"unit": unit.name}})
    if count > pdf.PLANS_PER_DOCUMENT:
        raise ValidationError(
            {
                "enhed": _(
                    "%(unit)s has %(n)d plans, and one document holds at most %(limit)d. "
                    "Choose a smaller part of the organisation: a unit below it."
                )
                % {"unit": unit.name, "n": count, "limit": pdf.PLANS_PER_DOCUMENT}
            }
        )


def rollout_plans_document_request(*, user: access.AnyUser, rollout: Rollout, unit: Unit) -> DocumentJob:
    """The rollout's plans in `unit` and the units below it as one PDF, made by a task
    (ledelse.documents). The unit must be in the rollout's scope; a part with no plans, or
    with more than one document holds, is refused with a message that says why."""
    if not unit.path.startswith(rollout.scope_unit.path):
        raise ValidationError({"enhed": _("Choose a part of the organisation the rollout covers.")})
    count = selectors.rollout_part_plan_count(user=user, rollout=rollout, unit=unit)
    rollout_plans_document_check(unit=unit, count=count)
    assert isinstance(user, AbstractBaseUser)  # signed in: every page asks for it
    return document_services.document_job_request(
        user=user,
        kind="dialogues.rollout_plans",
        params={"rollout_id": rollout.pk, "unit_id": unit.pk},
        title=_("The plans of %(unit)s: %(rollout)s") % {"unit": unit.name, "rollout": rollout.title},
    )


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


def _actor_name(user: AbstractBaseUser | None) -> str:
    person = Person.objects.filter(user=user).only("name").first() if user is not None else None
    return person.name if person else (user.get_username() if user is not None else "")


def _event(
    *, plan: Plan, user: AbstractBaseUser | None, from_state: str, to_state: str, comment: str = ""
) -> PlanEvent:
    return PlanEvent.objects.create(
        plan=plan,
        actor=user,
        actor_name=_actor_name(user),
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
    try:
        with transaction.atomic():
            plan = Plan.objects.create(rollout=rollout, unit=unit, owner=leader, based_on=above)
    except IntegrityError as exc:  # a second "start" of the same plan at the same moment
        raise ValidationError(_("The unit already has a plan in this rollout."), code="plan_exists") from exc
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


def _touch(plan: Plan) -> None:
    """The plan (locked by the caller) changed: its time and its version (ledelse.concurrency)."""
    plan.lock_version += 1
    plan.save(update_fields=["updated_at", "lock_version"])


def plan_changed_outside(*, plan_ids: Iterable[int]) -> None:
    """Plans whose content was changed outside their services (a translation edited or
    removed in the admin): their versions raised, as _touch does, so the plan's page reads
    its content afresh (selectors.plan_page keeps it under the version) and an edit form
    open on the old text sees the change (ledelse.concurrency)."""
    for plan in Plan.objects.filter(pk__in=list(plan_ids)):
        version_bump(plan)


def _require_state(plan: Plan, states: Iterable[str], message: str) -> None:
    if plan.state not in states:
        raise ValidationError(message)


def _themes(plan: Plan) -> list[Item]:
    return list(Item.objects.filter(version_id=plan.rollout.framework_version_id, kind=Item.Kind.THEME))


_CHOOSABLE = frozenset({Item.Kind.THEME, Item.Kind.PRINCIPLE})


def _check_principles(plan: Plan, principles: Iterable[Item], field: str) -> None:
    """Every theme and principle of the plan's framework version may be chosen (values,
    balance areas, directions and their principles); nothing else."""
    version_id = plan.rollout.framework_version_id
    for item in principles:
        if item.version_id != version_id or item.kind not in _CHOOSABLE:
            raise ValidationError(
                {field: _("“%(item)s” is not a theme or principle of the plan's framework.") % {"item": item.heading}}
            )


def _keep_replaced(
    *, row: PlanTranslation, reason: str, user: AbstractBaseUser | None, source: Plan | None = None
) -> None:
    """Keep the text a theme had before it is replaced (nothing to keep when it was empty)."""
    if row.text.strip():
        PlanTranslationRevision.objects.create(
            plan_id=row.plan_id,
            theme_id=row.theme_id,
            text=row.text,
            reason=reason,
            source=source,
            actor_name=_actor_name(user),
            replaced_at=timezone.now(),
        )


def plan_translation_values(*, plan: Plan) -> dict:
    """The translation as its form shows it, keyed as the form's fields: what
    ledelse.concurrency compares."""
    texts = dict(plan.translations.values_list("theme_id", "text"))
    values: dict = {f"theme_{theme.pk}": texts.get(theme.pk, "") for theme in _themes(plan)}
    values["focus_principles"] = set(plan.focus_principles.all())
    return values


def plan_translation_seen_token(*, plan: Plan) -> str:
    return seen_token(number=plan.lock_version, values=plan_translation_values(plan=plan))


@transaction.atomic
def plan_translation_save(
    *,
    plan: Plan,
    texts: dict[int, str],
    focus_principles: Iterable[Item],
    user: AbstractBaseUser | None = None,
    version: Seen | None = None,
) -> Plan:
    """Save the translation of each theme (keyed by theme id) and the principles in focus.
    A text that is replaced is kept in the theme's history. `version` is what the form was
    loaded from: a save over a co-owner's newer change raises VersionConflict."""
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
    yours: dict = {f"theme_{pk}": text for pk, text in texts.items()}
    yours["focus_principles"] = set(focus)
    version_check(seen=version, number=plan.lock_version, theirs=plan_translation_values(plan=plan), yours=yours)
    existing = {t.theme_id: t for t in plan.translations.all()}
    for theme_id, text in texts.items():
        text = text.strip()
        row = existing.get(theme_id)
        if row is None:
            if text:
                PlanTranslation.objects.create(plan=plan, theme_id=theme_id, text=text)
        elif row.text != text:
            _keep_replaced(row=row, reason=PlanTranslationRevision.Reason.EDITED, user=user)
            row.text = text
            row.save(update_fields=["text"])
    plan.focus_principles.set(focus)
    _touch(plan)
    return plan


@transaction.atomic
def plan_co_owners_seen_token(*, plan: Plan) -> str:
    return seen_token(number=plan.lock_version, values={"co_owners": set(plan.co_owners.all())})


@transaction.atomic
def plan_co_owners_set(
    *, plan: Plan, co_owners: Iterable[Person], user: AbstractBaseUser, version: Seen | None = None
) -> Plan:
    """Choose the plan's co-owners: only the owner and the leaders above may, and only
    among the people the form offers (the unit's people and its ledelseskæde). `version`
    is the plan's version the form was loaded from: a save over someone else's newer choice
    raises VersionConflict."""
    plan = _locked(plan)
    if not access.can_manage_co_owners(user, plan):
        raise ValidationError(_("Only the owner and the leaders above choose the plan's co-owners."))
    _require_state(
        plan,
        access.ACTIVITIES_EDITABLE_STATES,
        _("The co-owners cannot change while the plan is %(state)s.") % {"state": plan.get_state_display().lower()},
    )
    people = [p for p in co_owners if p.pk != plan.owner_id]
    near = set(selectors.plan_people_near(plan=plan).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    for person in people:
        if person.pk not in near:
            raise ValidationError(
                {
                    "co_owners": _("%(name)s cannot be a co-owner: choose someone from the unit or a leader above it.")
                    % {"name": person.name}
                }
            )
    version_check(
        seen=version,
        number=plan.lock_version,
        theirs={"co_owners": set(plan.co_owners.all())},
        yours={"co_owners": set(people)},
    )
    plan.co_owners.set(people)
    _touch(plan)
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


def activity_not_yet(day: date | None) -> bool:
    """The activity's day has not come: it cannot have been done (the one rule the forms,
    the presentation and the services share)."""
    return day is not None and day > timezone.localdate()


def _not_yet_message(day: date) -> str:
    return _("The activity is on %(date)s: it can be marked as done from that day.") % {"date": long_date(day)}


def _activity_people_errors(plan: Plan, data: ActivityData) -> dict[str, str]:
    """The responsible person and those taking part must be among those the form offers:
    the unit's people (and a leader above, as responsible)."""
    errors: dict[str, str] = {}
    near = selectors.plan_people_near(plan=plan)
    if data.responsible is None:
        errors["responsible"] = _("Choose who is responsible.")
    elif not near.filter(pk=data.responsible.pk).exists():
        errors["responsible"] = _("The person responsible must work in the unit or lead above it.")
    ids = [p.pk for p in data.participants]
    if ids and selectors.plan_unit_people(plan=plan).filter(pk__in=ids).count() != len(set(ids)):
        errors["participants"] = _("Everyone taking part must work in the unit.")
    return errors


def _activity_check(plan: Plan, data: ActivityData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the activity a title.")
    if data.kind not in Activity.Kind.values:
        errors["kind"] = _("Choose a kind of activity.")
    if data.status not in Activity.Status.values:
        errors["status"] = _("Choose a status.")
    errors.update(_activity_people_errors(plan, data))
    if data.date is not None and data.date < plan.rollout.starts_on:
        errors["date"] = _("The date cannot be before the rollout starts (%(start)s).") % {
            "start": long_date(plan.rollout.starts_on)
        }
    if data.start_time is not None and data.date is None:
        errors["start_time"] = _("A time needs a date.")
    if data.end_time is not None and (data.start_time is None or data.end_time <= data.start_time):
        errors["end_time"] = _("The end time must come after the start time.")
    if data.follow_up_on is not None and data.date is not None and data.follow_up_on < data.date:
        errors["follow_up_on"] = _("The follow-up date cannot be before the activity.")
    if data.status == Activity.Status.GENNEMFOERT and activity_not_yet(data.date):
        errors["status"] = _not_yet_message(data.date)
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
def activity_create(*, plan: Plan, data: ActivityData, user: AbstractBaseUser | None = None) -> Activity:
    """A new activity; the person responsible is told (unless they made it themselves)."""
    plan = _locked(plan)
    _activities_editable(plan)
    _activity_check(plan, data)
    activity = Activity(plan=plan, position=plan.activities.count())
    model_update(instance=activity, data=data, fields=_ACTIVITY_FIELDS)
    activity.title = activity.title.strip()
    activity.save()
    activity.principles.set(data.principles)
    activity.participants.set(data.participants)
    _touch(plan)
    calendar.activity_invitations_send(activity=activity)
    notices.activity_responsible_told(activity=activity, plan=plan, actor=user)
    return activity


def activity_values(*, activity: Activity) -> dict:
    """The activity as its form shows it: what ledelse.concurrency compares."""
    values = {name: getattr(activity, name) for name in _ACTIVITY_FIELDS}
    values["principles"] = set(activity.principles.all())
    values["participants"] = set(activity.participants.all())
    return values


def activity_seen_token(*, activity: Activity) -> str:
    return seen_token(number=activity.lock_version, values=activity_values(activity=activity))


def _activity_data_values(data: ActivityData) -> dict:
    values = {name: getattr(data, name) for name in _ACTIVITY_FIELDS}
    values["principles"] = set(data.principles)
    values["participants"] = set(data.participants)
    return values


@transaction.atomic
def activity_update(
    *, activity: Activity, data: ActivityData, user: AbstractBaseUser | None = None, version: Seen | None = None
) -> Activity:
    """Change the activity; a newly responsible person is told. `version` is what the form
    was loaded from (a save over someone else's newer change raises VersionConflict)."""
    plan = _locked(activity.plan)
    _activities_editable(plan)
    _activity_check(plan, data)
    activity = Activity.objects.select_for_update().get(pk=activity.pk, plan=plan)
    version_check(
        seen=version,
        number=activity.lock_version,
        theirs=activity_values(activity=activity),
        yours=_activity_data_values(data),
    )
    moved = (activity.date, activity.start_time, activity.end_time) != (data.date, data.start_time, data.end_time)
    newly_responsible = activity.responsible_id != (data.responsible.pk if data.responsible else None)
    model_update(instance=activity, data=data, fields=_ACTIVITY_FIELDS)
    activity.title = activity.title.strip()
    if moved:
        # A calendar replaces its copy of the invitation only when SEQUENCE rises.
        activity.calendar_sequence += 1
    activity.lock_version += 1
    activity.save()
    activity.principles.set(data.principles)
    activity.participants.set(data.participants)
    _touch(plan)
    calendar.activity_invitations_send(activity=activity)
    if newly_responsible:
        notices.activity_responsible_told(activity=activity, plan=plan, actor=user)
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
    if done and activity_not_yet(activity.date):
        # The presentation's last slide and the responsible person's page both come here.
        raise ValidationError({"done": _not_yet_message(activity.date)})
    activity.outcome = text
    activity.lock_version += 1
    fields = ["outcome", "updated_at", "lock_version"]
    if done:
        activity.status = Activity.Status.GENNEMFOERT
        fields.append("status")
    activity.save(update_fields=fields)
    _touch(plan)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    plan = _locked(activity.plan)
    _require_state(
        plan, access.ACTIVITIES_REMOVABLE_STATES, _("Activities can only be removed while the plan is a draft.")
    )
    activity.delete()
    version_bump(plan)


# --- Workflow ----------------------------------------------------------------------------------


@transaction.atomic
def plan_transition(
    *, user: AbstractBaseUser, plan: Plan, action: str, comment: str = "", version: int | None = None
) -> Plan:
    """Move the plan along its workflow and record who, when and why in its history.
    `version` is the plan's version the user saw (an approval names it): a plan changed
    since asks again."""
    transition = TRANSITIONS[action]
    plan = _locked(plan)
    version_require(
        seen=version,
        number=plan.lock_version,
        message=_("The plan has changed since you opened the page. Read it again, then decide."),
    )
    submitting = action == "submit"
    refusal = transition_refusal(
        plan=plan,
        action=action,
        can_edit=access.can_edit_plan(user, plan),
        can_approve=access.can_approve_plan(user, plan),
        has_activities=not submitting or plan.activities.exists(),
        med_missing=submitting and med.med_treatment_missing(plan=plan, treatment=med.med_treatment_of(plan=plan)),
        open_hearing_until=hearings.hearing_open_until_for_submit(plan=plan) if submitting else None,
    )
    if refusal is not None:
        raise ValidationError(refusal.message, code=f"refused_{refusal.kind}")
    comment = comment.strip()
    if action == "send_back" and not comment:
        raise ValidationError(
            {"comment": _("Write what the plan needs before it can be approved, so its owners know what to change.")}
        )
    plan.state = transition.to_state
    if submitting:
        plan.submitted_at = timezone.now()
    plan.lock_version += 1
    plan.save(update_fields=["state", "submitted_at", "updated_at", "lock_version"])
    event = _event(
        plan=plan, user=user, from_state=transition.from_state, to_state=transition.to_state, comment=comment
    )
    if action in SNAPSHOT_ACTIONS:
        event.snapshot = {"action": action, **selectors.plan_snapshot(plan=plan)}
        event.save(update_fields=["snapshot"])
    notices.plan_state_changed(plan=plan, action=action, event=event)
    return plan


# --- Copying (inspiration) ---------------------------------------------------------------------


@transaction.atomic
def plan_translation_restore(
    *, plan: Plan, revision: PlanTranslationRevision, user: AbstractBaseUser | None = None
) -> PlanTranslation:
    """Put an earlier text of a theme back; the text it replaces is kept in the history."""
    plan = _locked(plan)
    _require_state(
        plan, access.TRANSLATION_EDITABLE_STATES, _("The translation can only be changed while the plan is a draft.")
    )
    if revision.plan_id != plan.pk:
        raise ValidationError(_("The earlier text belongs to another plan."))
    row, _created = PlanTranslation.objects.get_or_create(plan=plan, theme_id=revision.theme_id)
    if row.text != revision.text:
        _keep_replaced(row=row, reason=PlanTranslationRevision.Reason.EDITED, user=user)
        row.text = revision.text
        row.save(update_fields=["text"])
        plan.save(update_fields=["updated_at"])
    return row


@dataclass(frozen=True)
class CopyRow:
    """One theme of a copy: the target's own text beside the source's."""

    theme: Item
    own: str
    theirs: str

    @property
    def fills(self) -> bool:
        """The own text is empty: copying fills it."""
        return bool(self.theirs) and not self.own

    @property
    def needs_choice(self) -> bool:
        """Both have text and they differ: the owner chooses."""
        return bool(self.theirs) and bool(self.own) and self.own != self.theirs


def plan_translation_copy_rows(*, source: Plan, target: Plan) -> list[CopyRow]:
    """The target's themes with the source's text for each (matched by the theme's key, so
    plans on another version of the same framework can share it); themes the source has
    not written are left out."""
    theirs = {t.theme.key: t.text for t in source.translations.select_related("theme") if t.text.strip()}
    own = dict(target.translations.values_list("theme_id", "text"))
    return [
        CopyRow(theme=theme, own=own.get(theme.pk, ""), theirs=theirs[theme.key])
        for theme in sorted(_themes(target), key=lambda t: t.position)
        if theme.key in theirs
    ]


@transaction.atomic
def plan_translation_copy(
    *,
    source: Plan,
    target: Plan,
    replace: Iterable[int] = (),
    user: AbstractBaseUser | None = None,
) -> int:
    """Copy the source plan's translation into the target plan, theme by theme. Empty themes
    are filled; a theme the target has written is replaced only when its id is in `replace`
    (the owner chose it side by side), and the text it had is kept in the theme's history.
    Never overwrites silently. Returns the themes copied."""
    target = _locked(target)
    _require_state(
        target, access.TRANSLATION_EDITABLE_STATES, _("The translation can only be changed while the plan is a draft.")
    )
    if source.pk == target.pk:
        raise ValidationError(_("Choose another plan than the one you copy from."))
    rows = plan_translation_copy_rows(source=source, target=target)
    if not rows:
        raise ValidationError(_("The plans are on different frameworks, so there is nothing to copy."))
    chosen = set(replace)
    existing = {t.theme_id: t for t in target.translations.all()}
    copied = 0
    for row in rows:
        if not (row.fills or (row.needs_choice and row.theme.pk in chosen)):
            continue
        current = existing.get(row.theme.pk)
        if current is None:
            PlanTranslation.objects.create(plan=target, theme=row.theme, text=row.theirs)
        else:
            _keep_replaced(row=current, reason=PlanTranslationRevision.Reason.COPIED, user=user, source=source)
            current.text = row.theirs
            current.save(update_fields=["text"])
        copied += 1
    _touch(target)
    return copied


@transaction.atomic
def activity_copy(*, activity: Activity, target: Plan) -> Activity:
    """A copy of the activity in the target plan: kind, title, description and the
    principles the target's framework also has; planned, undated, with the target's owner
    responsible."""
    target = _locked(target)
    _activities_editable(target)
    keys = list(activity.principles.values_list("key", flat=True))
    principles = Item.objects.filter(version_id=target.rollout.framework_version_id, kind__in=_CHOOSABLE, key__in=keys)
    copy = Activity.objects.create(
        plan=target,
        kind=activity.kind,
        title=activity.title,
        description=activity.description,
        responsible=target.owner,
        position=target.activities.count(),
    )
    copy.principles.set(principles)
    _touch(target)
    return copy


# --- The dialogue material in the PDF store -----------------------------------------------------


def material_warm(*, version_id: int) -> int:
    """A published framework version's material (dialogues.pdf.material_documents) rendered
    into the PDF store, so no reader waits for WeasyPrint: the store answers every request
    for the same content. Nothing when the version is no longer the one readers see (a newer
    one was published before this ran). How many documents were rendered now."""
    version = FrameworkVersion.objects.select_related("framework").filter(pk=version_id).first()
    if version is None or version.framework.current_version_id != version.pk:
        return 0
    rendered = 0
    with translation.override(settings.LANGUAGE_CODE):  # as the readers get it
        for document in pdf.material_documents(framework=version.framework, version=version):
            rendered += not render_to_storage(document).reused
    return rendered


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
