"""MED's treatment of a plan: the MED committee that covers the plan's unit meets, gives its
statement (udtalelse), agreed or with reservations, and its formand or næstformand records
it on the plan. A rollout can require the treatment before a plan is submitted
(`Rollout.requires_med_treatment`); the submit step then refuses without it
(`med_treatment_missing`, asked by dialogues.services and dialogues.selectors alike).

The rules, in one place:
- Who: the formand or næstformand of the committee covering the plan's unit
  (`ledelse.selectors.med_committee_for_unit`), with the committee and the role as they
  were kept on the record. Anyone else is refused here; the view answers 404 to those
  without a seat in that committee and 403 to its other members.
- When: while the plan is a draft or submitted (`MED_TREATABLE_STATES`): the committee
  treats the plan before it is approved, so the approver reads the statement. Once
  approved, the treatment stands as recorded.
- What: a meeting date (not in the future, not before 2000), a statement of at most
  `STATEMENT_MAX` characters without control characters, agreed or with reservations.
- One treatment per plan: recording again replaces it (a form that saw an older version
  gets the conflict page, ledelse.concurrency). Each recording is written to the audit
  log (who, which plan, which role; never the statement) and the plan's owners are told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues.access import MED_TREATING_ROLES
from dialogues.models import MedTreatment, Plan
from ledelse import access as org_access
from ledelse.audit.models import AuditEntry
from ledelse.audit.services import audit_record
from ledelse.concurrency.versions import Seen, seen_token, version_check
from ledelse.form_fields import DATE_MIN
from ledelse.models import MedMembership, Person
from ledelse.notifications.services import notify
from ledelse.selectors import med_committee_for_unit
from ledelse.text import validate_no_control_characters

MED_TREATABLE_STATES = frozenset({Plan.State.KLADDE, Plan.State.INDSENDT})
STATEMENT_MAX = 5000
NOTICE_KIND = "notice"


@dataclass(frozen=True)
class MedTreatmentData:
    meeting_on: date
    statement: str
    outcome: str


def med_treatment_of(*, plan: Plan) -> MedTreatment | None:
    """The plan's recorded treatment, if any (one query, none when the plan was read with
    `select_related("med_treatment")`)."""
    try:
        return plan.med_treatment
    except MedTreatment.DoesNotExist:
        return None


def med_treatment_missing(*, plan: Plan, treatment: MedTreatment | None) -> bool:
    """The rollout requires MED's treatment before the plan is submitted and none is
    recorded. `treatment` is the plan's (med_treatment_of), read once by the caller."""
    return plan.rollout.requires_med_treatment and treatment is None


def med_missing_message() -> str:
    return _(
        "The MED committee has not treated the plan yet. The rollout requires MED's treatment before the plan "
        "is submitted: ask the committee's formand or næstformand to record its statement."
    )


def med_seat_for(*, person: Person | None, plan: Plan) -> MedMembership | None:
    """The person's seat as formand or næstformand of the committee that covers the plan's
    unit (None: they have none). Two queries."""
    if person is None:
        return None
    committee = med_committee_for_unit(unit=plan.unit)
    if committee is None:
        return None
    return (
        MedMembership.objects.filter(committee=committee, person=person, role__in=MED_TREATING_ROLES)
        .select_related("committee")
        .first()
    )


def med_treatment_values(*, treatment: MedTreatment | None) -> dict:
    """The treatment as its form shows it, keyed as the form's fields: what
    ledelse.concurrency compares (empty before the first recording)."""
    if treatment is None:
        return {"meeting_on": None, "statement": "", "outcome": ""}
    return {"meeting_on": treatment.meeting_on, "statement": treatment.statement, "outcome": treatment.outcome}


def med_treatment_seen_token(*, treatment: MedTreatment | None) -> str:
    number = treatment.lock_version if treatment is not None else 0
    return seen_token(number=number, values=med_treatment_values(treatment=treatment))


def _data_errors(data: MedTreatmentData) -> dict[str, str]:
    errors: dict[str, str] = {}
    statement = data.statement.strip()
    if not statement:
        errors["statement"] = _("Write the committee's statement on the plan.")
    elif len(statement) > STATEMENT_MAX:
        errors["statement"] = _("The statement can be at most %(max)d characters.") % {"max": STATEMENT_MAX}
    else:
        try:
            validate_no_control_characters(statement)
        except ValidationError as exc:
            errors["statement"] = exc.messages[0]
    if data.meeting_on > timezone.localdate():
        errors["meeting_on"] = _("The meeting date cannot be in the future: record the treatment after the meeting.")
    elif data.meeting_on < DATE_MIN:
        errors["meeting_on"] = _("Give the date the committee met.")
    if data.outcome not in MedTreatment.Outcome.values:
        errors["outcome"] = _("Choose whether the committee agreed or agreed with reservations.")
    return errors


@transaction.atomic
def plan_med_treatment_record(
    *, plan: Plan, data: MedTreatmentData, by: AbstractBaseUser, version: Seen | None = None
) -> MedTreatment:
    """Record (or replace) the MED committee's treatment of the plan. Only the formand or
    næstformand of the committee covering the plan's unit, while the plan is a draft or
    submitted. `version` is what the form was loaded from: a save over someone else's newer
    recording raises VersionConflict."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("rollout", "unit").get(pk=plan.pk)
    person = org_access.roles_for(by).person
    seat = med_seat_for(person=person, plan=plan)
    if person is None or seat is None:
        raise ValidationError(
            _("Only the formand or næstformand of the MED committee covering the unit records its treatment.")
        )
    if plan.state not in MED_TREATABLE_STATES:
        raise ValidationError(
            _("MED's treatment is recorded before the plan is approved; the plan is %(state)s.")
            % {"state": plan.get_state_display().lower()}
        )
    errors = _data_errors(data)
    if errors:
        raise ValidationError(errors)
    treatment = MedTreatment.objects.select_for_update().filter(plan=plan).first()
    statement = data.statement.strip()
    yours = {"meeting_on": data.meeting_on, "statement": statement, "outcome": data.outcome}
    version_check(
        seen=version,
        number=treatment.lock_version if treatment is not None else 0,
        theirs=med_treatment_values(treatment=treatment),
        yours=yours,
    )
    if treatment is None:
        treatment = MedTreatment(plan=plan, lock_version=0)
    treatment.committee = seat.committee
    treatment.committee_name = seat.committee.name
    treatment.meeting_on = data.meeting_on
    treatment.statement = statement
    treatment.outcome = data.outcome
    treatment.recorded_by = person
    treatment.recorded_by_name = person.name
    treatment.recorded_role = seat.role
    treatment.recorded_at = timezone.now()
    treatment.lock_version += 1
    treatment.save()
    plan.lock_version += 1  # the approval names the version it saw: a new statement asks again
    plan.save(update_fields=["lock_version", "updated_at"])
    audit_record(action=AuditEntry.Action.CHANGE, actor=by, obj=plan, detail=f"med-treatment:{seat.role}")
    _owners_told(plan=plan, treatment=treatment, by=by)
    return treatment


def _owners_told(*, plan: Plan, treatment: MedTreatment, by: AbstractBaseUser) -> None:
    """The plan's owner and co-owners hear that the committee has treated the plan."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(committee)s has treated the plan for %(unit)s: %(outcome)s") % {
            "committee": treatment.committee_name,
            "unit": plan.unit.name,
            "outcome": treatment.get_outcome_display().lower(),
        }
    url = reverse("dialogues:plan_detail", args=[plan.pk]) + "#med-behandling"
    for person in [plan.owner, *plan.co_owners.select_related("user")]:
        recipient = person.user if person.user_id else None
        if recipient is None or recipient.pk == by.pk:
            continue
        notify(
            recipient=recipient,
            kind=NOTICE_KIND,
            target=plan,
            title=title,
            url=url,
            context={"unit": plan.unit.name},
            key=f"med-{treatment.pk}-{treatment.lock_version}",
        )
