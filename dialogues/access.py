"""Who may see, edit and approve plans, and who manages rollouts. Every view fetches its
objects through these querysets, so a list and a single page cannot disagree.

- Everyone in the region reads the region's plans and rollouts (administrators: all).
- The plan's owners (owner and co-owners) and the leaders above them in the
  ledelseskæde edit it.
- The owner and the leaders above (not the co-owners) manage the co-owners.
- The owner's own leader (`ledelse.selectors.person_own_leader`), or a leader above the
  unit, approves or sends back; never an owner of the plan itself, and so never a co-owner
  who also leads above.
- The person responsible for an activity opens it and records what came out of it (and
  nothing more), whether or not they edit the plan.
- HR in scope (its subtree) and koncernledelse (its region) manage rollouts.
- A hearing (høring) of a plan: the people it invited read the plan during and after it
  (`plans_heard_by`) and comment while it is open; its comments (named) are read by those
  invited, those who edit the plan and its approver (`hearings_visible_to`), and nobody
  else; the plan's owners (owner and co-owners, not the leaders above) open and close it
  and answer the comments (`plans_owned_by`).
- MED members reach the plans of the units their committee covers (whichever region
  they sit in); the committee's formand and næstformand record its treatment of them
  (`plans_med_treatable_by`; the rules of the treatment itself are in dialogues.med).

Roles come from ledelse.access, the one place that reads them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from dialogues.models import Activity, Hearing, HearingComment, HearingInvitation, Plan, Rollout
from ledelse import access as org_access
from ledelse.models import MedCommittee, MedMembership, Person, Unit
from ledelse.selectors import ancestor_paths, med_seat_covering

type AnyUser = AbstractBaseUser | AnonymousUser

# Which parts of a plan may change in which state.
TRANSLATION_EDITABLE_STATES = frozenset({Plan.State.KLADDE})
ACTIVITIES_EDITABLE_STATES = frozenset({Plan.State.KLADDE, Plan.State.GODKENDT, Plan.State.I_GANG})
ACTIVITIES_REMOVABLE_STATES = frozenset({Plan.State.KLADDE})
# Who in a MED committee records its treatment of a plan.
MED_TREATING_ROLES = (MedMembership.Role.FORMAND, MedMembership.Role.NAESTFORMAND)


def _person(user: AnyUser) -> Person | None:
    return org_access.roles_for(user).person


def _co_owner_q(person: Person) -> Q:
    through = Plan.co_owners.through
    return Q(Exists(through.objects.filter(plan_id=OuterRef("pk"), person_id=person.pk)))


def plans_visible_to(user: AnyUser) -> QuerySet[Plan]:
    roles = org_access.roles_for(user)
    if roles.is_admin:
        return Plan.objects.all()
    person = roles.person
    if person is None:
        return Plan.objects.none()
    q = Q(unit__region_id=person.unit.region_id)
    if _reaches_outside_region(person):
        q |= _heard_by_q(person) | _med_seat_q(person)
    return Plan.objects.filter(q)


REACHES_OUTSIDE_REGION = "dialogues_reaches_outside_region"


def reaches_outside_region_sql() -> RawSQL:
    """Whether the person's hearing invitations or MED seats may reach a plan outside their
    own region, as a condition on a Person row: invited to a hearing of a plan there, or a
    seat on a committee whose unit has a unit of another region in its subtree (a seat
    covers at most that subtree: ledelse.selectors.med_seat_covering). Almost never (a
    hearing invites the people of the plan's unit or of the committee covering it, and a
    committee covers units of its own region); then `plans_visible_to` is the region's
    condition alone, a far simpler query than with the two correlated EXISTS, which are
    added whenever they could add a plan (the rule is the same either way).

    Read with the roles (ledelse.access.register_person_fact, in DialoguesConfig.ready):
    no query of its own, once per request and kept with the roles on the user object.
    Within a request the reader's own invitations and seats do not change in a way that
    matters (a hearing never invites the plan's owners, who open it). Plain SQL: it is
    compiled on every request, and the ORM's version cost a millisecond and more."""
    person, unit = Person._meta.db_table, Unit._meta.db_table
    invitation, hearing, plan = HearingInvitation._meta.db_table, Hearing._meta.db_table, Plan._meta.db_table
    seat, committee = MedMembership._meta.db_table, MedCommittee._meta.db_table
    own_region = f"(SELECT r.region_id FROM {unit} r WHERE r.id = {person}.unit_id)"
    sql = (
        f"(EXISTS (SELECT 1 FROM {invitation} i JOIN {hearing} h ON h.id = i.hearing_id"
        f" JOIN {plan} p ON p.id = h.plan_id JOIN {unit} u ON u.id = p.unit_id"
        f" WHERE i.person_id = {person}.id AND u.region_id <> {own_region})"
        f" OR EXISTS (SELECT 1 FROM {seat} m JOIN {committee} c ON c.id = m.committee_id"
        f" JOIN {unit} cu ON cu.id = c.unit_id JOIN {unit} su ON substr(su.path, 1, length(cu.path)) = cu.path"
        f" WHERE m.person_id = {person}.id AND su.region_id <> {own_region}))"
    )
    return RawSQL(sql, (), output_field=BooleanField())


def _reaches_outside_region(person: Person) -> bool:
    known = getattr(person, REACHES_OUTSIDE_REGION, None)
    if known is None:  # a person not read by roles_for: ask (and keep it on the person)
        known = bool(
            Person.objects.filter(pk=person.pk)
            .annotate(reach=reaches_outside_region_sql())
            .values_list("reach", flat=True)
            .first()
        )
        setattr(person, REACHES_OUTSIDE_REGION, known)
    return known


def _heard_by_q(person: Person) -> Q:
    return Q(Exists(HearingInvitation.objects.filter(hearing__plan_id=OuterRef("pk"), person_id=person.pk)))


def plans_heard_by(user: AnyUser) -> QuerySet[Plan]:
    """Plans whose hearing (open or closed) invited the user: they read the plan and its
    activities during and after it, whatever else limits what they read."""
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return Plan.objects.filter(_heard_by_q(person))


def plans_owned_by(user: AnyUser) -> QuerySet[Plan]:
    """Plans the user owns or co-owns: they open and close its hearings and answer the
    comments (the leaders above edit the plan but do not speak for its owners)."""
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return plans_visible_to(user).filter(Q(owner_id=person.pk) | _co_owner_q(person))


def hearings_visible_to(user: AnyUser) -> QuerySet[Hearing]:
    """Hearings (and so their named comments) the user reads: those that invited them, and
    those of the plans they edit or approve. For anyone else a hearing does not exist."""
    person = _person(user)
    if person is None:
        return Hearing.objects.none()
    invited = HearingInvitation.objects.filter(hearing_id=OuterRef("pk"), person_id=person.pk)
    return Hearing.objects.filter(
        Q(Exists(invited))
        | Q(plan__in=plans_editable_by(user).values("pk"))
        | Q(plan__in=plans_approvable_by(user).values("pk"))
    )


def hearing_comments_visible_to(user: AnyUser) -> QuerySet[HearingComment]:
    return HearingComment.objects.filter(hearing__in=hearings_visible_to(user).values("pk"))


def is_invited(user: AnyUser, hearing: Hearing) -> bool:
    person = _person(user)
    return person is not None and hearing.invitations.filter(person_id=person.pk).exists()


def can_own_plan(user: AnyUser, plan: Plan, co_owners: Iterable[Person] | None = None) -> bool:
    """plans_owned_by for one plan; with its co-owners read already, without a query."""
    if co_owners is None:
        return plans_owned_by(user).filter(pk=plan.pk).exists()
    person = _person(user)
    return person is not None and (plan.owner_id == person.pk or any(p.pk == person.pk for p in co_owners))


def _med_seat_q(person: Person, roles: tuple[str, ...] = tuple(MedMembership.Role.values)) -> Q:
    return Q(med_seat_covering(person=person, roles=roles))


def plans_of_med_seats(user: AnyUser) -> QuerySet[Plan]:
    """MED members reach the plans of the units their committee covers (any seat): the
    plans they may open to read and, as formand or næstformand, to treat."""
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return Plan.objects.filter(_med_seat_q(person))


def plans_med_treatable_by(user: AnyUser) -> QuerySet[Plan]:
    """Plans whose MED treatment the user records: the formand or næstformand of the
    committee that covers the plan's unit (ledelse.selectors.med_committee_for_unit)."""
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return Plan.objects.filter(_med_seat_q(person, MED_TREATING_ROLES))


def can_record_med_treatment(user: AnyUser, plan: Plan) -> bool:
    return plans_med_treatable_by(user).filter(pk=plan.pk).exists()


def _editable_q(person: Person) -> Q:
    q = Q(owner_id=person.pk) | _co_owner_q(person)
    if person.is_leader:
        q |= Q(unit__path__startswith=person.unit.path)
    return q


def plans_editable_by(user: AnyUser) -> QuerySet[Plan]:
    """Plans whose content the user may change (in a state that allows it)."""
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return plans_visible_to(user).filter(_editable_q(person))


def _approvable(plans: QuerySet[Plan], person: Person) -> QuerySet[Plan]:
    q = Q(owner__own_leader_id=person.pk)
    if person.is_leader:
        q |= Q(unit__path__startswith=person.unit.path) & ~Q(unit_id=person.unit_id)
    return plans.filter(q).exclude(owner_id=person.pk).exclude(_co_owner_q(person))


def plans_approvable_by(user: AnyUser) -> QuerySet[Plan]:
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return _approvable(plans_visible_to(user), person)


def _co_owners_manageable_q(person: Person) -> Q:
    q = Q(owner_id=person.pk)
    if person.is_leader:
        q |= Q(unit__path__startswith=person.unit.path)
    return q


def plans_co_owners_manageable_by(user: AnyUser) -> QuerySet[Plan]:
    """Plans whose co-owners the user may choose: the owner and the leaders above (a
    co-owner edits the plan but cannot give the right on, or take it from others)."""
    person = _person(user)
    if person is None:
        return Plan.objects.none()
    return plans_visible_to(user).filter(_co_owners_manageable_q(person))


def can_manage_co_owners(user: AnyUser, plan: Plan) -> bool:
    return plans_co_owners_manageable_by(user).filter(pk=plan.pk).exists()


def activities_recordable_by(user: AnyUser) -> QuerySet[Activity]:
    """Activities whose outcome the user may record: those of the plans they edit, and
    those they are responsible for."""
    person = _person(user)
    if person is None:
        return Activity.objects.none()
    editable = plans_editable_by(user).values("pk")
    return Activity.objects.filter(plan__in=plans_visible_to(user)).filter(
        Q(plan__in=editable) | Q(responsible_id=person.pk)
    )


def can_record_outcome(user: AnyUser, activity: Activity) -> bool:
    return activities_recordable_by(user).filter(pk=activity.pk).exists()


def can_edit_plan(user: AnyUser, plan: Plan) -> bool:
    return plans_editable_by(user).filter(pk=plan.pk).exists()


def can_approve_plan(user: AnyUser, plan: Plan) -> bool:
    return plans_approvable_by(user).filter(pk=plan.pk).exists()


@dataclass(frozen=True)
class PlanRights:
    edit: bool = False
    approve: bool = False
    manage_co_owners: bool = False
    record_med: bool = False


def plan_rights(user: AnyUser, plan: Plan, *, med: bool = True, visible: bool = False) -> PlanRights:
    """can_edit_plan, can_approve_plan, can_manage_co_owners and (with `med`)
    can_record_med_treatment of one plan in one query (the plan's page asks all four): the
    same rules, with the plan's visibility (part of the first three) asked once, or not at
    all with `visible` (a plan just read through plans_visible_to: the plan's page)."""
    person = _person(user)
    if person is None:
        return PlanRights()
    rules: dict[str, QuerySet[Plan]] = {} if visible else {"visible": plans_visible_to(user)}
    rules |= {
        "edit": Plan.objects.filter(_editable_q(person)),
        "approve": _approvable(Plan.objects.all(), person),
        "manage_co_owners": Plan.objects.filter(_co_owners_manageable_q(person)),
    }
    if med:
        rules["record_med"] = plans_med_treatable_by(user)
    row = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(**{name: Exists(rule.filter(pk=OuterRef("pk"))) for name, rule in rules.items()})
        .values(*rules)
        .first()
    )
    if not row or not row.pop("visible", True):
        return PlanRights(record_med=bool(row and row.get("record_med")))
    return PlanRights(**row)


def plan_rights_of_read_plan(
    user: AnyUser, plan: Plan, *, co_owner_ids: Collection[int], med: bool = True, record_med: bool | None = None
) -> PlanRights:
    """plan_rights(user, plan, visible=True, med=...) without the rules' query, for the plan's
    page: `plan` read through plans_visible_to with its owner and unit (plan_get_for_user),
    `co_owner_ids` its co-owners, read under the plan's change stamp (selectors.plan_page).
    The same rules as _editable_q, _approvable and _co_owners_manageable_q, asked of the one
    row in Python (tests/dialogues/test_plan_rights.py holds them to the querysets for
    everyone); MED's treatment (asked with `med`, as in plan_rights) is `record_med` when
    read with the plan (med_treating_seat_sql), else one small query, `med_treating_seat_covers`."""
    person = _person(user)
    if person is None:
        return PlanRights()
    owner = plan.owner_id == person.pk
    co_owner = person.pk in co_owner_ids
    above = person.is_leader and plan.unit.path.startswith(person.unit.path)
    approve = (plan.owner.own_leader_id == person.pk or (above and plan.unit_id != person.unit_id)) and not (
        owner or co_owner
    )
    if med and record_med is None:
        record_med = med_treating_seat_covers(person=person, unit=plan.unit)
    record_med = med and bool(record_med)
    return PlanRights(
        edit=owner or co_owner or above, approve=approve, manage_co_owners=owner or above, record_med=record_med
    )


def med_treating_seat_covers(*, person: Person, unit: Unit) -> bool:
    """plans_med_treatable_by for one unit, in a query far cheaper to build and plan than
    med_seat_covering: the person is formand or næstformand of the committee that covers
    `unit`, the nearest at or above it (ledelse.selectors.med_committee_for_unit)."""
    nearest = (
        MedCommittee.objects.filter(unit__path__in=ancestor_paths(unit.path, include_self=True))
        .order_by("-unit__depth")
        .values("pk")[:1]
    )
    return MedMembership.objects.filter(
        person_id=person.pk, role__in=MED_TREATING_ROLES, committee_id=Subquery(nearest)
    ).exists()


def med_treating_seat_sql(person: Person) -> RawSQL:
    """med_treating_seat_covers as a condition on a Plan row (the plan page reads it with the
    plan): `person` is formand or næstformand of the committee covering the plan's unit, the
    nearest at or above it. Plain SQL, as reaches_outside_region_sql: built on every request,
    and med_seat_covering's ORM version costs milliseconds to build and to plan."""
    seat, committee = MedMembership._meta.db_table, MedCommittee._meta.db_table
    unit, plan = Unit._meta.db_table, Plan._meta.db_table
    sql = (
        f"EXISTS (SELECT 1 FROM {seat} m WHERE m.person_id = %s AND m.role IN (%s, %s) AND m.committee_id = ("
        f"SELECT c.id FROM {committee} c JOIN {unit} cu ON cu.id = c.unit_id JOIN {unit} pu ON pu.id = {plan}.unit_id"
        f" WHERE substr(pu.path, 1, length(cu.path)) = cu.path ORDER BY cu.depth DESC LIMIT 1))"
    )
    return RawSQL(sql, (person.pk, *MED_TREATING_ROLES), output_field=BooleanField())


def rollouts_visible_to(user: AnyUser) -> QuerySet[Rollout]:
    roles = org_access.roles_for(user)
    if roles.is_admin:
        return Rollout.objects.all()
    if roles.person is None:
        return Rollout.objects.none()
    return Rollout.objects.filter(region_id=roles.person.unit.region_id)


def _scope_q(user: AnyUser, field: str) -> Q | None:
    """Units (at `field`) the user may manage rollouts for: Q() all, None none."""
    roles = org_access.roles_for(user)
    if roles.is_admin:
        return Q()
    q = None
    for unit in roles.hr_units:
        part = Q(**{f"{field}path__startswith": unit.path})
        q = part if q is None else q | part
    if roles.koncern_region_ids:
        part = Q(**{f"{field}region_id__in": roles.koncern_region_ids})
        q = part if q is None else q | part
    return q


def rollouts_manageable_by(user: AnyUser) -> QuerySet[Rollout]:
    q = _scope_q(user, "scope_unit__")
    return Rollout.objects.filter(q) if q is not None else Rollout.objects.none()


def units_for_rollouts_of(user: AnyUser) -> QuerySet[Unit]:
    """The units a rollout made by the user may cover."""
    q = _scope_q(user, "")
    return Unit.objects.filter(q).order_by("path") if q is not None else Unit.objects.none()


def can_manage_rollouts(user: AnyUser) -> bool:
    return _scope_q(user, "") is not None


def can_start_plan_for(user: AnyUser, unit: Unit) -> bool:
    """The unit's leader or a leader above it starts the unit's plan."""
    return org_access.leads_unit_or_above(user, unit)


def can_ask_activity_questions(user: AnyUser, activity: Activity) -> bool:
    """The person responsible for the activity asks its participants questions before the
    meeting (dialogues.activity_questions holds the rule; this is the view's early answer)."""
    person = _person(user)
    return person is not None and activity.responsible_id == person.pk


def can_answer_activity_questions(user: AnyUser, activity: Activity) -> bool:
    """Those taking part answer the questions before the meeting."""
    person = _person(user)
    return person is not None and activity.participants.filter(pk=person.pk).exists()


# --- The plans waiting for a person, as plain SQL -------------------------------------------

PLAN_WAITING_FIELDS = ("id", "state", "unit__name", "unit__path", "rollout__title", "rollout__deadline", "submitted_at")


def plans_waiting_rows(user: AnyUser, *, limit: int) -> list[dict[str, object]]:
    """The drafts the user owns or co-owns (`plans_owned_by`, state kladde; by the
    rollout's deadline, then the unit's path) and the submitted plans they approve
    (`plans_approvable_by`, state indsendt; by submission): up to `limit` of each, as rows
    with PLAN_WAITING_FIELDS, in one query. Each row's state tells its part; the order of
    the rows between the parts is not promised.

    For the common reader (neither administrator nor reaching plans outside their region,
    `reaches_outside_region_sql`) it is plain SQL of the same rules, `plans_visible_to` being
    then the region's condition alone: it runs on every front page and the ORM's version
    cost more to build than to run. For anyone else, and where the database cannot limit
    the parts of a UNION (SQLite), the ORM querysets themselves.
    tests/dialogues/test_access.py holds it to the querysets for every kind of reader."""
    roles = org_access.roles_for(user)
    person = roles.person
    if person is None:
        return []
    if roles.is_admin or _reaches_outside_region(person) or not _plain_sql_compound():
        to_submit = (
            plans_owned_by(user)
            .filter(state=Plan.State.KLADDE)
            .values(*PLAN_WAITING_FIELDS)
            .order_by("rollout__deadline", "unit__path")
        )
        to_approve = (
            plans_approvable_by(user)
            .filter(state=Plan.State.INDSENDT)
            .values(*PLAN_WAITING_FIELDS)
            .order_by("submitted_at")
        )
        if connection.features.supports_slicing_ordering_in_compound:
            return list(to_submit[:limit].union(to_approve[:limit], all=True))
        return [*to_submit[:limit], *to_approve[:limit]]
    plan, unit, rollout = Plan._meta.db_table, Unit._meta.db_table, Rollout._meta.db_table
    people, co = Person._meta.db_table, Plan.co_owners.through._meta.db_table
    select = (
        "SELECT p.id, p.state, u.name, u.path, r.title, r.deadline, p.submitted_at"
        f" FROM {plan} p JOIN {unit} u ON u.id = p.unit_id JOIN {rollout} r ON r.id = p.rollout_id"
    )
    co_owner = f"EXISTS (SELECT 1 FROM {co} c WHERE c.plan_id = p.id AND c.person_id = %s)"
    approver = "o.own_leader_id = %s"
    approver_params: list[str | int] = [person.pk]
    if person.is_leader:
        approver = f"({approver} OR (u.path LIKE %s AND p.unit_id <> %s))"
        approver_params += [
            person.unit.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",
            person.unit_id,
        ]
    sql = (
        f"({select} WHERE u.region_id = %s AND p.state = %s AND (p.owner_id = %s OR {co_owner})"
        " ORDER BY r.deadline, u.path LIMIT %s)"
        f" UNION ALL ({select} JOIN {people} o ON o.id = p.owner_id"
        f" WHERE u.region_id = %s AND p.state = %s AND {approver} AND p.owner_id <> %s AND NOT {co_owner}"
        " ORDER BY p.submitted_at LIMIT %s)"
    )
    region = person.unit.region_id
    params = [
        region, Plan.State.KLADDE.value, person.pk, person.pk, limit,
        region, Plan.State.INDSENDT.value, *approver_params, person.pk, person.pk, limit,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(PLAN_WAITING_FIELDS, row, strict=True)) for row in cursor.fetchall()]


def _plain_sql_compound() -> bool:
    return bool(connection.features.supports_slicing_ordering_in_compound) and connection.vendor == "postgresql"
