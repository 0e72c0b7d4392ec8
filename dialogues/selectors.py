"""Reads of rollouts and plans, scoped to the user through dialogues.access. Each runs a
fixed number of queries however many plans, activities or units there are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues import access, hearings, med
from dialogues.access import AnyUser
from dialogues.definitions import OPEN_ACTIVITY_STATUSES
from dialogues.models import (
    Activity,
    Hearing,
    MedTreatment,
    Plan,
    PlanEvent,
    PlanTranslation,
    PlanTranslationRevision,
    Rollout,
)
from dialogues.workflow import TRANSITIONS, transition_refusal
from ledelse import access as org_access
from ledelse.models import Person, Unit
from ledelse.selectors import ancestor_paths, subtree_q, unit_subtree
from values.models import FrameworkVersion, Item

_PLAN_RELATED = ("rollout", "rollout__framework_version__framework", "unit", "owner", "owner__unit")


def plan_get_for_user(*, user: AnyUser, pk: int) -> Plan:
    return get_object_or_404(access.plans_visible_to(user).select_related(*_PLAN_RELATED, "med_treatment"), pk=pk)


# What the plan's page reads with the plan (plan_get_for_page), each in plain SQL (cheap to
# build): whether it has a hearing (else plan_page asks for none) and whether the reader
# records MED's treatment of it (access.med_treating_seat_sql).
_HAS_HEARINGS = RawSQL(
    f"EXISTS (SELECT 1 FROM {Hearing._meta.db_table} h WHERE h.plan_id = {Plan._meta.db_table}.id)",
    (),
    output_field=BooleanField(),
)


_PAGE_RELATED = ("rollout", "rollout__framework_version__framework", "unit", "owner")


def plan_get_for_page(*, user: AnyUser, pk: int) -> Plan:
    """plan_get_for_user for the plan's page: with `page_has_hearings` and, for a reader with
    a person, `page_record_med` (plan_page reads them instead of asking)."""
    # Not the owner's unit (_PLAN_RELATED): the page does not show it, and its join alone
    # cost PostgreSQL milliseconds to plan.
    plans = access.plans_visible_to(user).select_related(*_PAGE_RELATED, "med_treatment")
    annotations: dict[str, Any] = {"page_has_hearings": _HAS_HEARINGS}
    person = org_access.roles_for(user).person
    if person is not None:
        annotations["page_record_med"] = access.med_treating_seat_sql(person)
    return get_object_or_404(plans.annotate(**annotations), pk=pk)


def plan_get_for_med_member(*, user: AnyUser, pk: int) -> Plan:
    """A plan of a unit the user's MED committee covers (404 for anyone without a seat in it)."""
    return get_object_or_404(access.plans_of_med_seats(user).select_related(*_PLAN_RELATED), pk=pk)


def rollout_get_for_user(*, user: AnyUser, pk: int) -> Rollout:
    return get_object_or_404(
        access.rollouts_visible_to(user).select_related("scope_unit", "framework_version__framework", "region"), pk=pk
    )


# --- The plan page ----------------------------------------------------------------------------


@dataclass
class ThemeRow:
    theme: Item
    text: str
    principles: list[Item] = field(default_factory=list)
    revisions: list[PlanTranslationRevision] = field(default_factory=list)  # newest first
    hearing_comments: list = field(default_factory=list)  # set by dialogues.hearings.hearing_panel
    html: str = ""  # its heading and text as every reader sees them (dialogues.views.plan_detail)


@dataclass(frozen=True)
class PlanBelow:
    """A plan of a unit below the plan's, in the same rollout, as its page lists it."""

    pk: int
    unit_name: str
    state_label: str
    url: str
    started_from_this: bool  # based on the plan whose page lists it


@dataclass
class PlanPage:
    plan: Plan
    themes: list[ThemeRow]
    focus: list[Item]
    activities: list[Activity]
    events: list[PlanEvent]
    co_owners: list[Person]
    below: list[PlanBelow]
    can_edit: bool
    can_approve: bool
    can_manage_co_owners: bool = False
    person_id: int | None = None  # the reader's, to offer the outcome of their own activities
    sent_back: PlanEvent | None = None  # the approver's comment, while the owners act on it
    changes: PlanChanges | None = None  # for the approver: what changed since it was sent back
    steps: PlanSteps | None = None  # the workflow steps the reader may take now
    med_treatment: MedTreatment | None = None
    med_missing: bool = False  # the rollout requires MED's treatment before submitting, and there is none
    can_record_med: bool = False  # the reader records MED's treatment (formand or næstformand), now
    hearings: list[Hearing] = field(default_factory=list)  # dialogues.hearings.plan_hearings
    # The stamp the plan's content was read under (what is the same for every reader of it)
    # and the day its activities were marked overdue on: a fragment of the page rendered from
    # them alone may be kept under the two (dialogues.views.plan_detail).
    content_key: str = ""
    today: date | None = None


def version_themes(*, version_id: int, with_text: bool = False) -> list[ThemeRow]:
    """The version's themes in document order, each with the principles under it (one query);
    `with_text` also reads each theme's own text (for the translation form)."""
    fields = ["id", "parent_id", "kind", "key", "title", "position", "version_id"]
    if with_text:
        fields += ["subtitle", "body", "after"]
    items = list(
        Item.objects.filter(version_id=version_id, kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE])
        .only(*fields)
        .order_by("position")
    )
    by_id = {i.pk: i for i in items}
    rows = {i.pk: ThemeRow(theme=i, text="") for i in items if i.kind == Item.Kind.THEME}
    for item in items:
        if item.kind != Item.Kind.PRINCIPLE:
            continue
        parent = by_id.get(item.parent_id)
        while parent is not None and parent.kind != Item.Kind.THEME:
            parent = by_id.get(parent.parent_id)
        if parent is not None:
            rows[parent.pk].principles.append(item)
    return list(rows.values())


def plan_people_near(*, plan: Plan) -> QuerySet[Person]:
    """The people a plan may name as co-owner or responsible: the people of the unit (and
    the units below) and the leaders above it in its ledelseskæde. The forms offer these
    and the services accept only these."""
    above = ancestor_paths(plan.unit.path)
    return (
        Person.objects.filter(subtree_q(plan.unit, prefix="unit__") | Q(is_leader=True, unit__path__in=above))
        .select_related("unit")
        .order_by("name")
    )


def plan_unit_people(*, plan: Plan) -> QuerySet[Person]:
    """The people of the plan's unit and the units below (who take part in its activities)."""
    return plan_people_near(plan=plan).filter(subtree_q(plan.unit, prefix="unit__"))


@dataclass
class ChoiceGroup:
    """Framework parts to choose from, grouped as the framework groups them."""

    label: str
    items: list[Item] = field(default_factory=list)


def version_choice_groups(*, version_id: int) -> list[ChoiceGroup]:
    """Every theme and principle of the version, in document order (one query): a theme with
    principles is a group of its own (the theme first, then its principles: a direction of
    Region Nordjylland and its principles, a målbillede and its strategispor); themes
    without principles are grouped under the heading they stand under (the three values,
    the four balance areas)."""
    items = list(
        Item.objects.filter(version_id=version_id)
        .only("id", "parent_id", "kind", "key", "title", "position", "version_id")
        .order_by("position")
    )
    by_id = {i.pk: i for i in items}
    has_principles = {i.parent_id for i in items if i.kind == Item.Kind.PRINCIPLE}
    groups: list[ChoiceGroup] = []
    keys: list[object] = []
    for item in items:
        key, label = _choice_group_of(item, by_id, has_principles)
        if key is None:
            continue
        if not keys or keys[-1] != key:
            keys.append(key)
            groups.append(ChoiceGroup(label=label))
        groups[-1].items.append(item)
    return groups


def _choice_group_of(item: Item, by_id: dict[int, Item], has_principles: set[int]) -> tuple[object, str]:
    if item.kind == Item.Kind.PRINCIPLE:
        theme = by_id.get(item.parent_id)
        return ("theme", item.parent_id), theme.heading if theme else ""
    if item.kind != Item.Kind.THEME:
        return None, ""
    if item.pk in has_principles:
        return ("theme", item.pk), item.heading
    parent = by_id.get(item.parent_id)
    return ("under", item.parent_id), parent.heading if parent is not None and parent.heading else _("Themes")


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("responsible").prefetch_related(
        Prefetch("principles", queryset=Item.objects.only("id", "title", "key", "version_id").order_by("position")),
        Prefetch("participants", queryset=Person.objects.only("id", "name").order_by("name")),
    )


def activity_for_page(*, activity_id: int) -> Activity:
    return _activities().get(pk=activity_id)


# The plan's own content (its translation with the earlier texts, the principles in focus,
# the activities, the history, the co-owners) is the same for every reader who may see the
# plan, so plan_page keeps it in the shared cache under the plan's change stamp: its
# lock_version and updated_at, one of which every service that changes that content raises
# (dialogues.services: _touch, version_bump, the transitions), and the framework version's
# changed_at (values.services). What differs by reader (rights, hearings, steps) and what
# other plans change (the plans below) is read on every request.
PLAN_CONTENT_TIMEOUT = 10 * 60  # names of people (the organisation import) show within this
_PLAN_CONTENT_SHAPE = 3  # raised when _PlanContent or what it holds changes: a deploy reads afresh


# The pages of an activity the plan page links to (dialogues:activity_<name>).
_ACTIVITY_LINKS = ("questions", "guide_pdf", "presentation", "pptx", "ics", "edit", "copy")


@dataclass
class _PlanContent:
    themes: list[ThemeRow]
    focus: list[Item]
    activities: list[Activity]
    events: list[PlanEvent]
    co_owners: list[Person]


def _plan_content_key(plan: Plan) -> str:
    version = plan.rollout.framework_version
    return (
        f"dialogues:plan-content:{_PLAN_CONTENT_SHAPE}:{plan.pk}:{plan.lock_version}:{plan.updated_at.timestamp()}"
        f":{version.pk}:{version.changed_at.timestamp()}"
    )


def _plan_content(plan: Plan) -> _PlanContent:
    key = _plan_content_key(plan)
    content = cache.get(key)
    if content is not None:
        return content
    themes = version_themes(version_id=plan.rollout.framework_version_id)
    # .order_by(): within one plan the models' default orderings only join the plan's unit.
    texts = dict(PlanTranslation.objects.filter(plan=plan).order_by().values_list("theme_id", "text"))
    revisions: dict[int, list[PlanTranslationRevision]] = {}
    for revision in (
        PlanTranslationRevision.objects.filter(plan=plan).select_related("source__unit").order_by("-replaced_at", "-id")
    ):
        revisions.setdefault(revision.theme_id, []).append(revision)
    for row in themes:
        row.text = texts.get(row.theme.pk, "")
        row.revisions = revisions.get(row.theme.pk, [])
    activities = list(_activities().filter(plan=plan))
    for activity in activities:
        # What the page lists of each and its links, made once here rather than per use in the template.
        activity.participant_names = [p.name for p in activity.participants.all()]
        activity.principle_headings = [i.heading for i in activity.principles.all()]
        activity.links = {
            name: reverse(f"dialogues:activity_{name}", args=[plan.pk, activity.pk]) for name in _ACTIVITY_LINKS
        }
    content = _PlanContent(
        themes=themes,
        focus=list(plan.focus_principles.only("id", "title", "key", "version_id").order_by("position")),
        activities=activities,
        # Not plan.events: its rows would hold (and the cache keep) the plan itself.
        events=list(PlanEvent.objects.filter(plan_id=plan.pk).order_by("at", "id")),
        co_owners=list(plan.co_owners.only("id", "name", "user_id").order_by("name")),
    )
    cache.set(key, content, PLAN_CONTENT_TIMEOUT)
    return content


def plan_page(*, user: AnyUser, plan: Plan) -> PlanPage:
    """What the plan's page (and "Tjek din plan") shows of a plan read through
    plans_visible_to (selectors.plan_get_for_user)."""
    content = _plan_content(plan)
    themes, activities, events = content.themes, content.activities, content.events
    # The plans below: what a row shows, read as values (no model rows to build).
    states = dict(Plan.State.choices)
    below = [
        PlanBelow(
            pk=pk,
            unit_name=unit_name,
            state_label=str(states.get(state, state)),
            url=reverse("dialogues:plan_detail", args=[pk]),
            started_from_this=based_on_id == plan.pk,
        )
        for pk, state, based_on_id, unit_name in Plan.objects.filter(
            rollout_id=plan.rollout_id, unit__path__startswith=plan.unit.path
        )
        .order_by("unit__path")
        .values_list("id", "state", "based_on_id", "unit__name")
        if pk != plan.pk
    ]
    treatment = med.med_treatment_of(plan=plan)
    med_missing = med.med_treatment_missing(plan=plan, treatment=treatment)
    # `plan` was read through plans_visible_to (plan_get_for_user) with its owner and unit, and
    # its co-owners under its change stamp: its rights are asked of them without the rules' query.
    rights = access.plan_rights_of_read_plan(
        user,
        plan,
        co_owner_ids={p.pk for p in content.co_owners},
        med=plan.state in med.MED_TREATABLE_STATES,
        record_med=getattr(plan, "page_record_med", None),  # read with the plan (plan_get_for_page)
    )
    can_edit, can_approve = rights.edit, rights.approve
    sent_back = plan_sent_back(plan=plan, events=events)
    # A plan read by plan_get_for_page says whether it has a hearing: without, none is asked for.
    held = hearings.plan_hearings(plan=plan) if getattr(plan, "page_has_hearings", True) else []
    today = timezone.localdate()
    kinds, statuses = dict(Activity.Kind.choices), dict(Activity.Status.choices)
    for activity in activities:
        # Open and past its day (a meeting or a deadline): shown as overdue.
        activity.overdue = (
            activity.status in OPEN_ACTIVITY_STATUSES and activity.date is not None and activity.date < today
        )
        activity.kind_label = str(kinds.get(activity.kind, activity.kind))
        activity.status_label = str(statuses.get(activity.status, activity.status))
    return PlanPage(
        plan=plan,
        themes=themes,
        focus=content.focus,
        activities=activities,
        events=events,
        sent_back=sent_back,
        changes=plan_changes_since_sent_back(plan=plan, events=events),
        co_owners=content.co_owners,
        below=below,
        can_edit=can_edit,
        can_approve=can_approve,
        can_manage_co_owners=rights.manage_co_owners,
        person_id=getattr(org_access.roles_for(user).person, "pk", None),
        steps=_steps(
            plan,
            can_edit=can_edit,
            can_approve=can_approve,
            has_activities=bool(activities),
            med_missing=med_missing,
            sent_back=sent_back is not None,
            open_hearing_until=hearings.open_hearing_until(hearings=held),
        ),
        med_treatment=treatment,
        hearings=held,
        med_missing=med_missing,
        can_record_med=rights.record_med,
        content_key=_plan_content_key(plan),
        today=today,
    )


# --- The workflow steps a reader may take -------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the workflow the reader may take now. `form`: "link" (a page that asks
    first), "post" (a button) or "approve" (a button with an optional comment)."""

    action: str
    label: str
    url: str
    form: str
    primary: bool = False
    hint: str = ""
    blocked: str = ""  # the plan lacks something first (the step is refused until then)


@dataclass(frozen=True)
class PlanSteps:
    steps: list[Step]
    note: str  # what the plan waits for, said to a reader who may act on it


def _step(action: str, plan: Plan, *, sent_back: bool) -> Step:
    url = {
        "submit": "dialogues:plan_check",
        "approve": "dialogues:plan_approve",
        "send_back": "dialogues:plan_send_back",
        "start": "dialogues:plan_begin",
        "finish": "dialogues:plan_finish",
        "withdraw": "dialogues:plan_withdraw",
    }[action]
    if action == "submit":
        hint = (
            _(
                "Change the plan as the comment above asks, then check it and submit it again. "
                "You can answer the comment when you submit."
            )
            if sent_back
            else _("When the plan is ready, check it and submit it to your own leader for approval.")
        )
        return Step(action, _("Check and submit the plan"), reverse(url, args=[plan.pk]), "link", True, hint)
    labels = {
        "approve": (_("Approve the plan"), "approve", True, ""),
        "send_back": (_("Send back with a comment"), "link", False, ""),
        "start": (_("Start the plan"), "post", True, ""),
        "finish": (_("Complete the plan"), "post", False, ""),
        "withdraw": (
            _("Withdraw the plan"),
            "post",
            False,
            _(
                "Want to change something first? Withdraw the plan: it becomes a draft again, "
                "and you submit it when it is ready."
            ),
        ),
    }
    label, form, primary, hint = labels[action]
    return Step(action, label, reverse(url, args=[plan.pk]), form, primary, hint)


def _steps(
    plan: Plan,
    *,
    can_edit: bool,
    can_approve: bool,
    has_activities: bool,
    med_missing: bool,
    sent_back: bool,
    open_hearing_until: date | None = None,
) -> PlanSteps:
    """The steps dialogues.workflow.transition_refusal allows the reader now, and those
    only blocked by what the plan lacks (with the reason), in workflow order; no query."""
    steps = []
    for action in TRANSITIONS:
        refusal = transition_refusal(
            plan=plan,
            action=action,
            can_edit=can_edit,
            can_approve=can_approve,
            has_activities=has_activities,
            med_missing=med_missing,
            open_hearing_until=open_hearing_until,
        )
        if refusal is None:
            steps.append(_step(action, plan, sent_back=sent_back))
        elif refusal.kind == "content":
            steps.append(replace(_step(action, plan, sent_back=sent_back), blocked=refusal.message))
    return PlanSteps(steps=steps, note=_steps_note(plan, steps, sent_back=sent_back))


def _steps_note(plan: Plan, steps: list[Step], *, sent_back: bool) -> str:
    actions = {s.action for s in steps}
    if plan.state == Plan.State.KLADDE and "submit" not in actions:
        note = _("The plan is a draft with its owners.")
        return f"{note} {_('They are changing it after your comment.')}" if sent_back else note
    if plan.state == Plan.State.INDSENDT and "approve" not in actions:
        return _("The plan waits for approval.")
    return "" if steps else _("Nothing is waiting for you.")


def plan_steps_for(*, plan: Plan, user: AnyUser) -> PlanSteps:
    """The workflow steps `user` may take on the plan now, with their labels and links, and
    the steps only the plan's content blocks with the reason (e.g. MED's treatment is
    missing). The same rule as dialogues.services.plan_transition (dialogues.workflow)."""
    events = list(plan.events.order_by("at", "id"))
    return _steps(
        plan,
        can_edit=access.can_edit_plan(user, plan),
        can_approve=access.can_approve_plan(user, plan),
        has_activities=plan.activities.exists(),
        med_missing=med.med_treatment_missing(plan=plan, treatment=med.med_treatment_of(plan=plan)),
        sent_back=plan_sent_back(plan=plan, events=events) is not None,
        open_hearing_until=hearings.open_hearing_until(hearings=hearings.plan_hearings(plan=plan)),
    )


# --- Lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilter:
    rollout: Rollout | None = None
    state: str = ""
    kind: str = ""
    principle: Item | None = None


@dataclass(frozen=True)
class PlanRow:
    """A plan as a row of the plan list shows it (plain values: no model instances to make)."""

    pk: int
    url: str
    unit_name: str
    rollout_title: str
    owner_name: str
    state: str
    activity_count: int


def _plans_filtered(*, user: AnyUser, filters: PlanFilter) -> QuerySet[Plan]:
    """The plans the user may read (access.plans_visible_to) that match the filter, in the
    list's order: newest rollout first, then the organisation's order."""
    qs = access.plans_visible_to(user)
    if filters.rollout is not None:
        qs = qs.filter(rollout=filters.rollout)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(Exists(Activity.objects.filter(plan_id=OuterRef("pk"), kind=filters.kind)))
    if filters.principle is not None:
        # A principle is known by its key across the versions of its framework.
        same = Item.objects.filter(
            key=filters.principle.key, version__framework_id=filters.principle.version.framework_id
        )
        qs = qs.filter(
            Exists(Activity.principles.through.objects.filter(activity__plan_id=OuterRef("pk"), item__in=same))
            | Exists(Plan.focus_principles.through.objects.filter(plan_id=OuterRef("pk"), item__in=same))
        )
    return qs.order_by("-rollout__starts_on", "rollout_id", "unit__path")


# Plain SQL, as the list's every request compiles them (the ORM's Subquery and Window cost
# a millisecond). The owner's name and the plan's activities (index on plan_id) are read for
# the rows of the page only, after the sort (a join would read them for every plan the
# filter matches); the number of those plans is counted with the page's rows.
_PLAN_COLUMN = f"{Plan._meta.db_table}.{Plan._meta.pk.column}"
_OWNER_NAME_SQL = (
    f"(SELECT o.name FROM {Person._meta.db_table} o"
    f" WHERE o.{Person._meta.pk.column} = {Plan._meta.db_table}.{Plan._meta.get_field('owner').column})"
)
_ACTIVITY_COUNT_SQL = f"(SELECT COUNT(*) FROM {Activity._meta.db_table} a WHERE a.plan_id = {_PLAN_COLUMN})"
_TOTAL_SQL = "COUNT(*) OVER ()"


def _plan_rows(plans: QuerySet[Plan], *, number: int, per_page: int) -> list[tuple]:
    """(pk, unit name, rollout title, state, owner name, activity count, total) of a page."""
    start = (number - 1) * per_page
    return list(
        plans.values_list("pk", "unit__name", "rollout__title", "state").annotate(
            owner_name=RawSQL(_OWNER_NAME_SQL, (), output_field=CharField()),
            activity_count=RawSQL(_ACTIVITY_COUNT_SQL, (), output_field=IntegerField()),
            total=RawSQL(_TOTAL_SQL, (), output_field=IntegerField()),
        )[start : start + per_page]
    )


def _plan_url_maker() -> Callable[[int], str]:
    """The plan page's address for many plans: reversed once, each plan's pk put in."""
    marker = "987654321"
    head, tail = reverse("dialogues:plan_detail", args=[int(marker)]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


_PAGES_AT_MOST = 2**31


def plan_list_page_for_user(
    *, user: AnyUser, filters: PlanFilter | None = None, number: object = None, per_page: int
) -> Page:
    """One page of the plans the user may read that match the filter, as PlanRow, with each
    plan's activity count and the number of plans in all: one query (a region has hundreds
    of plans). The page number as Paginator.get_page reads it: not a number is the first
    page, a number out of range the last (then two more queries: the count, the page)."""
    plans = _plans_filtered(user=user, filters=filters or PlanFilter())
    try:
        wanted = int(number)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        wanted = 1
    # Beyond any list's end (and past what an OFFSET holds): straight to the last page.
    rows = _plan_rows(plans, number=wanted, per_page=per_page) if 1 <= wanted <= _PAGES_AT_MOST else []
    if rows:
        total = rows[0][-1]
    elif wanted == 1:
        total = 0
    else:
        total = plans.count()
        wanted = max(1, -(-total // per_page))
        rows = _plan_rows(plans, number=wanted, per_page=per_page) if total else []
    url = _plan_url_maker()
    page_rows = [
        PlanRow(
            pk=pk,
            url=url(pk),
            unit_name=unit_name,
            rollout_title=rollout_title,
            owner_name=owner_name,
            state=state,
            activity_count=activity_count,
        )
        for pk, unit_name, rollout_title, state, owner_name, activity_count, _total in rows
    ]
    # The count known already: a paginator over a range reads nothing to know it.
    return Page(page_rows, wanted, Paginator(range(total), per_page))


@dataclass(frozen=True)
class PlanFilterChoices:
    """What the plan list's filter offers, as (pk, label) pairs."""

    rollouts: list[tuple[int, str]]
    principles: list[tuple[int, str]]


_FILTER_KINDS = (Item.Kind.THEME, Item.Kind.PRINCIPLE)


def plan_filter_choices(*, user: AnyUser) -> PlanFilterChoices:
    """The rollouts the user sees, newest first, and the themes and principles of the
    framework versions they use (as `principles_for_filter`, by framework and position), as
    plain values: one query of the rollouts with their version's changed stamp, the items
    kept in the process under it (`_filter_items`). The form checks a chosen value against
    the querysets (rollouts_visible_to, principles_for_filter)."""
    rows = (
        access.rollouts_visible_to(user)
        .order_by("-starts_on", "pk")
        .values_list("pk", "title", "framework_version_id", "framework_version__changed_at")
    )
    rollouts: dict[int, str] = {}
    versions: dict[int, datetime] = {}
    for pk, title, version_id, changed_at in rows:
        rollouts.setdefault(pk, title)
        versions[version_id] = changed_at
    found: dict[int, FilterItem] = {}
    for items in _filter_items(versions).values():
        for item in items:
            found.setdefault(item.pk, item)
    principles = sorted(found.values(), key=lambda item: (item.framework_title, item.position))
    return PlanFilterChoices(rollouts=list(rollouts.items()), principles=[(item.pk, item.label) for item in principles])


@dataclass(frozen=True)
class FilterItem:
    """A theme or principle as the plan list's filter offers it."""

    pk: int
    framework_title: str
    position: int
    label: str


# Each framework version's themes and principles for the filter, kept in the process under
# the version and its `changed_at` stamp, which every service that changes its items or its
# framework's title bumps (values.services), so a changed version is read afresh at once.
_FILTER_ITEMS: dict[tuple[int, datetime], list[FilterItem]] = {}
_FILTER_ITEMS_KEPT = 64


def _filter_items(versions: dict[int, datetime]) -> dict[int, list[FilterItem]]:
    """The themes and principles of these versions ({pk: changed_at}) in their order: the
    kept ones, and the others read in one query."""
    found = {pk: _FILTER_ITEMS.get((pk, changed_at)) for pk, changed_at in versions.items()}
    missing = [pk for pk, items in found.items() if items is None]
    if missing:
        read: dict[int, list[FilterItem]] = {pk: [] for pk in missing}
        rows = (
            Item.objects.filter(version_id__in=missing, kind__in=_FILTER_KINDS)
            .order_by("position")
            .values_list("version_id", "pk", "title", "position", "version__framework__title")
        )
        for version_id, pk, title, position, framework_title in rows:
            label = f"{Item(title=title).heading} ({framework_title})"
            read[version_id].append(FilterItem(pk, framework_title, position, label))
        if len(_FILTER_ITEMS) + len(read) > _FILTER_ITEMS_KEPT:
            _FILTER_ITEMS.clear()
        for pk, items in read.items():
            _FILTER_ITEMS[(pk, versions[pk])] = items
        found.update(read)
    return {pk: items or [] for pk, items in found.items()}


def principles_for_filter(*, user: AnyUser) -> QuerySet[Item]:
    """The themes and principles of the framework versions the user's visible rollouts use."""
    # The versions by a subquery rather than a join, so no DISTINCT over the items' texts.
    versions = access.rollouts_visible_to(user).values("framework_version_id")
    return (
        Item.objects.filter(kind__in=_FILTER_KINDS, version_id__in=versions)
        .select_related("version__framework")
        .only("key", "title", "position", "version__framework_id", "version__framework__title")
        .order_by("version__framework__title", "position")
    )


@dataclass(frozen=True)
class ItemPlan:
    """A plan as the panel on a theme's or principle's page names it."""

    pk: int
    unit_name: str
    rollout_title: str


def _uses_item_sql() -> str:
    """A condition on a Plan row: the plan works with the item of this key in this framework
    (in any of its versions), in an activity, as a principle in focus or with a non-empty
    translation of the theme. Parameters: (key, framework id) three times.

    Plain SQL, as correlated EXISTS on each plan's own rows (through the indexes on plan and
    activity): the panel reads plans in the organisation's order and stops at the first 50,
    so it looks at a few dozen plans. The ORM's Exists(... item__in=...) made PostgreSQL
    hash every use of the item in the whole database first (some 800 activities for a
    common principle: 6-8 ms), and cost another 1-2 ms to compile."""
    item, version = Item._meta.db_table, FrameworkVersion._meta.db_table
    plan, activity, translation = Plan._meta.db_table, Activity._meta.db_table, PlanTranslation._meta.db_table
    chosen, focus = Activity.principles.through._meta.db_table, Plan.focus_principles.through._meta.db_table
    same = f"SELECT i.id FROM {item} i JOIN {version} v ON v.id = i.version_id WHERE i.key = %s AND v.framework_id = %s"

    def among(column: str) -> str:  # the array once per query on PostgreSQL; IN elsewhere (make run's SQLite)
        return f"{column} = ANY(ARRAY({same}))" if connection.vendor == "postgresql" else f"{column} IN ({same})"

    return (
        f"(EXISTS (SELECT 1 FROM {activity} a JOIN {chosen} ap ON ap.activity_id = a.id"
        f" WHERE a.plan_id = {plan}.id AND {among('ap.item_id')})"
        f" OR EXISTS (SELECT 1 FROM {focus} f WHERE f.plan_id = {plan}.id AND {among('f.item_id')})"
        f" OR EXISTS (SELECT 1 FROM {translation} t WHERE t.plan_id = {plan}.id AND t.text <> ''"
        f" AND {among('t.theme_id')}))"
    )


def plans_for_item(*, user: AnyUser, item: Item) -> list[ItemPlan]:
    """Plans the user may read that work with this theme or principle: in an activity, as a
    principle in focus or with a translation of the theme (in any version of its framework);
    the first 50 in the organisation's order, as rows (no model instances to make). One
    query (see _uses_item_sql)."""
    uses = RawSQL(_uses_item_sql(), (item.key, item.version.framework_id) * 3, output_field=BooleanField())
    rows = (
        access.plans_visible_to(user)
        .filter(uses)
        .order_by("unit__path")
        .values_list("pk", "unit__name", "rollout__title")
    )
    return [ItemPlan(*row) for row in rows[:50]]


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    plan: Plan | None
    can_start: bool


def rollout_units(*, user: AnyUser, rollout: Rollout, name: str = "", missing_only: bool = False) -> list[UnitRow]:
    """Every unit in the rollout's scope with its plan, or none ("ingen plan"): two queries.
    `name` keeps the units whose name holds it; `missing_only` those without a plan."""
    plans = {
        p.unit_id: p
        for p in Plan.objects.filter(rollout=rollout)
        .select_related("owner")
        .only("id", "unit_id", "state", "owner__name", "rollout_id")
    }
    needle = name.strip().casefold()
    rows = []
    for unit in unit_subtree(unit=rollout.scope_unit):
        plan = plans.get(unit.pk)
        if (needle and needle not in unit.name.casefold()) or (missing_only and plan is not None):
            continue
        rows.append(UnitRow(unit=unit, plan=plan, can_start=access.can_start_plan_for(user, unit)))
    return rows


# The parts of the organisation a rollout's plans are printed by: its scope unit and the
# units this many levels below it.
PART_LEVELS = 2


@dataclass(frozen=True)
class RolloutPart:
    unit: Unit
    plans: int  # the plans the user can read in the unit and the units below it


def rollout_parts(*, user: AnyUser, rollout: Rollout) -> list[RolloutPart]:
    """The parts of the organisation to print a rollout's plans by, in tree order: the
    scope unit and the units PART_LEVELS levels below it, each with the number of plans
    in its subtree (two queries)."""
    scope = rollout.scope_unit
    units = unit_subtree(unit=scope).filter(depth__lte=scope.depth + PART_LEVELS).only("id", "name", "path", "depth")
    counts: Counter[str] = Counter()
    for path in access.plans_visible_to(user).filter(rollout=rollout).values_list("unit__path", flat=True):
        counts.update(ancestor_paths(path, include_self=True))
    return [RolloutPart(unit=unit, plans=counts[unit.path]) for unit in units]


def rollout_part_unit(*, rollout: Rollout, unit_id: int | None) -> Unit:
    """The unit `unit_id` inside the rollout's scope (404 outside it); None: the scope unit."""
    if unit_id is None:
        return rollout.scope_unit
    return get_object_or_404(unit_subtree(unit=rollout.scope_unit), pk=unit_id)


def _rollout_part_plans(*, user: AnyUser, rollout: Rollout, unit: Unit) -> QuerySet[Plan]:
    return access.plans_visible_to(user).filter(subtree_q(unit, prefix="unit__"), rollout=rollout)


def rollout_part_plan_count(*, user: AnyUser, rollout: Rollout, unit: Unit) -> int:
    return _rollout_part_plans(user=user, rollout=rollout, unit=unit).count()


def rollout_part_plans(*, user: AnyUser, rollout: Rollout, unit: Unit, limit: int) -> list[Plan]:
    """The rollout's plans the user can read in `unit` and below, in tree order, at most
    `limit` + 1 (so a caller sees that there are more than `limit` without reading them)."""
    plans = (
        _rollout_part_plans(user=user, rollout=rollout, unit=unit)
        .select_related("rollout__framework_version__framework", "unit", "owner")
        .order_by("unit__path")
    )
    return list(plans[: limit + 1])


def rollouts_for_user(*, user: AnyUser) -> list[Rollout]:
    return list(
        access.rollouts_visible_to(user)
        .select_related("scope_unit", "framework_version__framework")
        .annotate(plan_count=Count("plans"))
        .order_by("-starts_on", "title")
    )


def own_unit_plan(*, user: AnyUser, annotations: dict[str, Any] | None = None) -> Plan | Rollout | None:
    """The plan of the user's own unit in the newest rollout, else the newest rollout that
    covers the unit (to start one), else nothing. `annotations` are read onto the plan in
    the same query (e.g. figures of its activities, for the front page)."""
    person = org_access.roles_for(user).person
    if person is None:
        return None
    plans = access.plans_visible_to(user).filter(unit=person.unit).select_related("rollout", "unit")
    if annotations:
        plans = plans.annotate(**annotations)
    plan = plans.order_by("-rollout__starts_on", "-pk").first()
    if plan is not None:
        return plan
    paths = ancestor_paths(person.unit.path, include_self=True)
    return access.rollouts_visible_to(user).filter(Q(scope_unit__path__in=paths)).order_by("-starts_on", "-pk").first()


def plans_for_copy_target(*, user: AnyUser) -> QuerySet[Plan]:
    """The user's plans that can take a copied activity."""
    return (
        access.plans_editable_by(user)
        .filter(state__in=access.ACTIVITIES_EDITABLE_STATES)
        .select_related("unit", "rollout")
        .order_by("-rollout__starts_on", "unit__path")
    )


# --- What changed between two steps of the workflow ----------------------------------------------


def is_send_back(event: PlanEvent) -> bool:
    """A step back from submitted to draft by the approver (a withdrawal by the owners is
    marked as such; a send-back from before the steps kept snapshots has its comment)."""
    if event.from_state != Plan.State.INDSENDT or event.to_state != Plan.State.KLADDE:
        return False
    action = event.snapshot.get("action") if event.snapshot else None
    return action == "send_back" or (action is None and bool(event.comment))


def plan_sent_back(*, plan: Plan, events: list[PlanEvent]) -> PlanEvent | None:
    """The approver's latest send-back, while the plan is a draft again because of it."""
    if plan.state != Plan.State.KLADDE:
        return None
    for event in reversed(events):
        if is_send_back(event):
            return event
        if event.to_state == Plan.State.INDSENDT:
            return None
    return None


def plan_snapshot(*, plan: Plan) -> dict:
    """What the plan holds now, as JSON kept on a workflow step (PlanEvent.snapshot)."""
    activities = Activity.objects.filter(plan=plan).select_related("responsible").order_by("pk")
    return {
        "translations": {str(t.theme_id): t.text for t in PlanTranslation.objects.filter(plan=plan)},
        "focus": sorted(plan.focus_principles.values_list("pk", flat=True)),
        "activities": {
            str(a.pk): {
                "title": a.title,
                "kind": a.get_kind_display(),
                "date": a.date.strftime("%d.%m.%Y") if a.date else "",
                "responsible": a.responsible.name if a.responsible else "",
                "description": a.description,
            }
            for a in activities
        },
    }


@dataclass(frozen=True)
class TextChange:
    label: str
    before: str
    after: str


@dataclass
class PlanChanges:
    """What changed in a plan since it was sent back: the approver's view on resubmission."""

    sent_back: PlanEvent
    answer: PlanEvent | None
    translations: list[TextChange] = field(default_factory=list)
    activities_added: list[str] = field(default_factory=list)
    activities_removed: list[str] = field(default_factory=list)
    activities_changed: list[TextChange] = field(default_factory=list)
    focus_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.translations
            or self.activities_added
            or self.activities_removed
            or self.activities_changed
            or self.focus_changed
        )


def _activity_line(a: dict) -> str:
    return " · ".join(part for part in (a["title"], a["kind"], a["date"], a["responsible"]) if part)


def plan_changes_since_sent_back(*, plan: Plan, events: list[PlanEvent]) -> PlanChanges | None:
    """For a submitted plan that was sent back before: the comment, the owner's answer and
    what changed between the send-back and now (translation by theme, activities)."""
    if plan.state != Plan.State.INDSENDT:
        return None
    sent_back = next((e for e in reversed(events) if is_send_back(e)), None)
    if sent_back is None or "translations" not in sent_back.snapshot:
        return None
    answer = next((e for e in reversed(events) if e.to_state == Plan.State.INDSENDT), None)
    before, after = sent_back.snapshot, plan_snapshot(plan=plan)
    changes = PlanChanges(sent_back=sent_back, answer=answer, focus_changed=before["focus"] != after["focus"])
    themes = {str(i.pk): i.heading for i in Item.objects.filter(version_id=plan.framework_version.pk, kind="theme")}
    for key in sorted(set(before["translations"]) | set(after["translations"]), key=lambda k: themes.get(k, "")):
        old, new = before["translations"].get(key, ""), after["translations"].get(key, "")
        if old != new:
            changes.translations.append(TextChange(label=themes.get(key, ""), before=old, after=new))
    old_acts, new_acts = before["activities"], after["activities"]
    changes.activities_added = [_activity_line(new_acts[k]) for k in new_acts if k not in old_acts]
    changes.activities_removed = [_activity_line(old_acts[k]) for k in old_acts if k not in new_acts]
    changes.activities_changed = [
        TextChange(label=new_acts[k]["title"], before=_activity_line(old_acts[k]), after=_activity_line(new_acts[k]))
        for k in new_acts
        if k in old_acts and old_acts[k] != new_acts[k]
    ]
    return changes


def activities_for_questions_page() -> QuerySet[Activity]:
    """Activities as their own page shows them (questions before the meeting): the
    responsible person, the participants and the principles in one query each."""
    return _activities().select_related("plan__rollout", "plan__unit")
