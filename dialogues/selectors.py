"""Reads of rollouts and plans, scoped to the user through dialogues.access. Each runs a
fixed number of queries however many plans, activities or units there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from dialogues import access
from dialogues.access import AnyUser
from dialogues.models import Activity, Plan, PlanEvent, PlanTranslation, Rollout
from ledelse import access as org_access
from ledelse.models import Person, Unit
from ledelse.selectors import ancestor_paths, unit_subtree
from values.models import Item

_PLAN_RELATED = ("rollout", "rollout__framework_version__framework", "unit", "owner", "owner__unit")
_LIST_FIELDS = (
    "state",
    "rollout__title",
    "rollout__starts_on",
    "unit__name",
    "unit__path",
    "owner__name",
)


def plan_get_for_user(*, user: AnyUser, pk: int) -> Plan:
    return get_object_or_404(access.plans_visible_to(user).select_related(*_PLAN_RELATED), pk=pk)


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


@dataclass
class PlanPage:
    plan: Plan
    themes: list[ThemeRow]
    focus: list[Item]
    activities: list[Activity]
    events: list[PlanEvent]
    co_owners: list[Person]
    below: list[Plan]
    can_edit: bool
    can_approve: bool


def version_themes(*, version_id: int) -> list[ThemeRow]:
    """The version's themes in document order, each with the principles under it (one query)."""
    items = list(
        Item.objects.filter(version_id=version_id, kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE])
        .only("id", "parent_id", "kind", "key", "title", "position", "version_id")
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


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("responsible").prefetch_related(
        Prefetch("principles", queryset=Item.objects.only("id", "title", "key", "version_id").order_by("position")),
        Prefetch("participants", queryset=Person.objects.only("id", "name").order_by("name")),
    )


def plan_page(*, user: AnyUser, plan: Plan) -> PlanPage:
    themes = version_themes(version_id=plan.rollout.framework_version_id)
    texts = dict(PlanTranslation.objects.filter(plan=plan).values_list("theme_id", "text"))
    for row in themes:
        row.text = texts.get(row.theme.pk, "")
    below = list(
        Plan.objects.filter(rollout_id=plan.rollout_id, unit__path__startswith=plan.unit.path)
        .exclude(pk=plan.pk)
        .select_related("unit", "owner")
        .order_by("unit__path")
    )
    return PlanPage(
        plan=plan,
        themes=themes,
        focus=list(plan.focus_principles.order_by("position")),
        activities=list(_activities().filter(plan=plan)),
        events=list(plan.events.order_by("at", "id")),
        co_owners=list(plan.co_owners.order_by("name")),
        below=below,
        can_edit=access.can_edit_plan(user, plan),
        can_approve=access.can_approve_plan(user, plan),
    )


# --- Lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilter:
    rollout: Rollout | None = None
    state: str = ""
    kind: str = ""
    principle: Item | None = None


def plan_list_for_user(*, user: AnyUser, filters: PlanFilter | None = None) -> QuerySet[Plan]:
    """The plans the user may read, newest rollout first, with their activity count (one
    query; the page shows it a page at a time: a region has hundreds of plans)."""
    filters = filters or PlanFilter()
    # A subquery rather than a join and GROUP BY: a page of plans counts only its own
    # activities (index on plan_id), and the paginator's count reads no activity at all.
    activity_count = Coalesce(
        Subquery(
            Activity.objects.filter(plan_id=OuterRef("pk"))
            .order_by()
            .values("plan_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )
    # Only what a row shows (and the order needs): a region's list joins no framework texts.
    qs = (
        access.plans_visible_to(user)
        .select_related("rollout", "unit", "owner")
        .only(*_LIST_FIELDS)
        .annotate(activity_count=activity_count)
    )
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


def principles_for_filter(*, user: AnyUser) -> QuerySet[Item]:
    """The principles of the framework versions the user's visible rollouts use."""
    # The versions by a subquery rather than a join, so no DISTINCT over the items' texts.
    versions = access.rollouts_visible_to(user).values("framework_version_id")
    return (
        Item.objects.filter(kind=Item.Kind.PRINCIPLE, version_id__in=versions)
        .select_related("version__framework")
        .only("key", "title", "position", "version__framework_id", "version__framework__title")
        .order_by("version__framework__title", "position")
    )


def plans_for_item(*, user: AnyUser, item: Item) -> list[Plan]:
    """Plans the user may read that work with this theme or principle: in an activity, as a
    principle in focus or with a translation of the theme (in any version of its framework)."""
    same = Item.objects.filter(key=item.key, version__framework_id=item.version.framework_id)
    q = (
        Exists(Activity.principles.through.objects.filter(activity__plan_id=OuterRef("pk"), item__in=same))
        | Exists(Plan.focus_principles.through.objects.filter(plan_id=OuterRef("pk"), item__in=same))
        | Exists(PlanTranslation.objects.filter(plan_id=OuterRef("pk"), theme__in=same).exclude(text=""))
    )
    return list(access.plans_visible_to(user).filter(q).select_related("unit", "rollout").order_by("unit__path")[:50])


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    plan: Plan | None
    can_start: bool


def rollout_units(*, user: AnyUser, rollout: Rollout) -> list[UnitRow]:
    """Every unit in the rollout's scope with its plan, or none ("ingen plan"): two queries."""
    plans = {
        p.unit_id: p
        for p in Plan.objects.filter(rollout=rollout)
        .select_related("owner")
        .only("id", "unit_id", "state", "owner__name", "rollout_id")
    }
    rows = []
    for unit in unit_subtree(unit=rollout.scope_unit):
        rows.append(UnitRow(unit=unit, plan=plans.get(unit.pk), can_start=access.can_start_plan_for(user, unit)))
    return rows


def rollouts_for_user(*, user: AnyUser) -> list[Rollout]:
    return list(
        access.rollouts_visible_to(user)
        .select_related("scope_unit", "framework_version__framework")
        .annotate(plan_count=Count("plans"))
        .order_by("-starts_on", "title")
    )


def own_unit_plan(*, user: AnyUser) -> Plan | Rollout | None:
    """The plan of the user's own unit in the newest rollout, else the newest rollout that
    covers the unit (to start one), else nothing."""
    person = org_access.roles_for(user).person
    if person is None:
        return None
    plan = (
        access.plans_visible_to(user)
        .filter(unit=person.unit)
        .select_related("rollout", "unit")
        .order_by("-rollout__starts_on", "-pk")
        .first()
    )
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
