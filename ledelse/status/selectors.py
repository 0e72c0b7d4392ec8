"""The implementation status of one rollout, rolled up through the unit tree.

Every figure is a grouped aggregate in the database over the materialised path: for the
unit being viewed (depth d), `ledelse.selectors.branch_path(path, depth=d)` is the path of the child
whose branch a unit lies in (or the viewed unit's own path for the unit itself), so one
GROUP BY gives every branch at once. The page runs the same number of queries whatever
the number of units, plans or activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dialogues.definitions import activity_overdue_q
from dialogues.models import Activity, MedTreatment, Plan, Rollout
from dialogues.selectors import ThemeRow, version_themes
from ledelse.models import Person, Unit
from ledelse.selectors import branch_path, unit_chain_above
from ledelse.status import access
from ledelse.status.access import AnyUser
from ledelse.status.models import Snapshot
from lus import access as lus_access
from lus.models import Round

NO_PLAN = "ingen"
# The plan states in workflow order, "ingen plan" first.
STATES = (NO_PLAN, *Plan.State.values)
APPROVED_STATES = (Plan.State.GODKENDT, Plan.State.I_GANG, Plan.State.AFSLUTTET)
# The filter "MED-behandlet": units whose plan MED has treated, or those whose has not (or
# that have no plan); "" all.
MED_YES, MED_NO = "ja", "nej"
TREND_WEEKS = 26


@dataclass(frozen=True)
class StatusFilter:
    rollout: Rollout
    root: Unit
    kind: str = ""
    today: date = field(default_factory=date.today)
    med: str = ""  # MED_YES, MED_NO or "" (all)


@dataclass
class Figures:
    """The rolled-up numbers of one part of the tree."""

    units: int = 0
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    activities_planned: int = 0
    activities_done: int = 0
    activities_overdue: int = 0
    last_activity_on: date | None = None  # the date of the latest activity done
    med_treated: int = 0  # plans the MED committee has treated

    @property
    def no_plan(self) -> int:
        return self.states[NO_PLAN]

    @property
    def approved(self) -> int:
        return sum(self.states[s] for s in APPROVED_STATES)

    def state_list(self) -> list[tuple[str, int]]:
        return [(s, self.states[s]) for s in STATES]

    def add(self, other: Figures) -> None:
        self.units += other.units
        for state, n in other.states.items():
            self.states[state] += n
        self.activities_planned += other.activities_planned
        self.activities_done += other.activities_done
        self.activities_overdue += other.activities_overdue
        self.med_treated += other.med_treated
        if other.last_activity_on and (self.last_activity_on is None or other.last_activity_on > self.last_activity_on):
            self.last_activity_on = other.last_activity_on


@dataclass
class Row:
    """One line of the status table: the viewed unit on its own, or one branch below it."""

    unit: Unit
    is_self: bool
    plan_id: int | None
    plan_state: str  # the unit's own plan ("ingen" without one)
    figures: Figures
    can_drill: bool
    in_rollout: bool  # False for a unit above the rollout's part of the tree (it has no plan to have)
    med_treated: bool = False  # the unit's own plan has been treated by MED

    @property
    def med_label(self) -> str:
        """The unit's own plan treated by MED: "Ja" or "Nej"; nothing without a plan (the
        page's column, the exports' and the report's)."""
        from django.utils.translation import gettext as _

        if not self.in_rollout or self.plan_id is None:
            return ""
        return _("Yes") if self.med_treated else _("No")


@dataclass
class StatusTable:
    filter: StatusFilter
    total: Figures
    rows: list[Row]
    chain: list[Unit]  # from the top the user may see down to the viewed unit
    in_scope: bool  # the viewed unit meets the rollout's part of the tree


def state_label(state: str) -> str:
    from django.utils.translation import gettext as _

    return _("no plan") if state == NO_PLAN else str(Plan.State(state).label)


# --- Scope --------------------------------------------------------------------------------------


def _prefix(rollout: Rollout, root: Unit) -> str | None:
    """The path prefix of the units that count: the deeper of the viewed unit and the
    rollout's scope, when one lies inside the other; None when they do not meet."""
    scope = rollout.scope_unit.path
    if root.path.startswith(scope):
        return root.path
    if scope.startswith(root.path):
        return scope
    return None


def _kind_q(kind: str, unit_field: str) -> Q:
    return Q(**{f"{unit_field}kind": kind}) if kind else Q()


def _med_treated(rollout: Rollout, unit_field: str) -> Exists:
    """The unit (at `unit_field`) has a plan in the rollout that MED has treated."""
    return Exists(MedTreatment.objects.filter(plan__rollout=rollout, plan__unit_id=OuterRef(f"{unit_field}pk")))


def _units_q(filters: StatusFilter, unit_field: str) -> Q:
    """The units that count under the filters (unit kind, MED treatment), at `unit_field`:
    the one condition every figure, list and export of the page shares."""
    q = _kind_q(filters.kind, unit_field)
    if filters.med == MED_YES:
        q &= Q(_med_treated(filters.rollout, unit_field))
    elif filters.med == MED_NO:
        q &= ~Q(_med_treated(filters.rollout, unit_field))
    return q


def default_root(*, user: AnyUser, rollout: Rollout) -> Unit | None:
    """Where the page opens: the rollout's own part of the tree when the user sees all of it,
    else the first of the user's parts inside it."""
    roots = access.status_roots(user)
    scope = rollout.scope_unit
    if any(scope.path.startswith(r.path) for r in roots):
        return scope
    inside = [r for r in roots if r.path.startswith(scope.path)]
    return inside[0] if inside else None


# --- The table ----------------------------------------------------------------------------------


def status_chain(*, user: AnyUser, root: Unit) -> list[Unit]:
    """The viewed unit and the units above it that the user may see status for (the
    breadcrumbs), top first."""
    roots = access.status_roots(user)
    if not any(root.path.startswith(r.path) and r.depth < root.depth for r in roots):
        # No part of the user's lies above the viewed unit (at one of their own tops, as the
        # page opens): no unit above it is theirs to see, so no query.
        return [root] if any(root.path.startswith(r.path) for r in roots) else []
    return [u for u in unit_chain_above(unit=root, include_self=True) if any(u.path.startswith(r.path) for r in roots)]


def status_table(*, user: AnyUser, filters: StatusFilter) -> StatusTable:
    """The viewed unit's own line and one line per branch below it, with the total."""
    chain = status_chain(user=user, root=filters.root)
    prefix = _prefix(filters.rollout, filters.root)
    if prefix is None:
        return StatusTable(filter=filters, total=Figures(), rows=[], chain=chain, in_scope=False)
    by_branch = _by_branch(filters, prefix, filters.root.depth)
    heads = _heads(filters.rollout, by_branch.keys())
    return _level(filters, heads, by_branch, chain)


def _by_branch(filters: StatusFilter, prefix: str, depth: int) -> dict[str, Figures]:
    """Units, plans and activities under `prefix`, grouped by their ancestor at depth + 1
    (a shallower unit by its own path): three grouped queries."""
    rollout = filters.rollout

    by_branch: dict[str, Figures] = {}
    units = Unit.objects.filter(Q(path__startswith=prefix) & _units_q(filters, "")).annotate(
        branch=branch_path("path", depth=depth)
    )
    for row in units.values("branch").annotate(n=Count("id")).order_by():
        figures = by_branch.setdefault(row["branch"], Figures())
        figures.units = row["n"]
        figures.states[NO_PLAN] = row["n"]
    plans = Plan.objects.filter(Q(rollout=rollout, unit__path__startswith=prefix) & _units_q(filters, "unit__"))
    for row in (
        plans.annotate(branch=branch_path("unit__path", depth=depth))
        .values("branch", "state")
        .annotate(n=Count("id"), treated=Count("id", filter=Q(med_treatment__isnull=False)))
        .order_by()
    ):
        figures = by_branch[row["branch"]]
        figures.states[row["state"]] += row["n"]
        figures.states[NO_PLAN] -= row["n"]
        figures.med_treated += row["treated"]
    activities = (
        Activity.objects.filter(
            Q(plan__rollout=rollout, plan__unit__path__startswith=prefix) & _units_q(filters, "plan__unit__")
        )
        .exclude(status=Activity.Status.AFLYST)
        .annotate(branch=branch_path("plan__unit__path", depth=depth))
        .values("branch")
        .annotate(
            planned=Count("id"),
            done=Count("id", filter=Q(status=Activity.Status.GENNEMFOERT)),
            overdue=Count("id", filter=activity_overdue_q(today=filters.today)),
            last=Max("date", filter=Q(status=Activity.Status.GENNEMFOERT)),
        )
        .order_by()
    )
    for row in activities:
        figures = by_branch[row["branch"]]
        figures.activities_planned = row["planned"]
        figures.activities_done = row["done"]
        figures.activities_overdue = row["overdue"]
        figures.last_activity_on = row["last"]
    return by_branch


def _heads(rollout: Rollout, paths) -> list[Unit]:
    """The units at `paths` with their own plan's id and state: one query."""
    own_plan = Plan.objects.filter(rollout=rollout, unit=OuterRef("pk"))
    return list(
        Unit.objects.filter(path__in=list(paths))
        .annotate(
            plan_id=Subquery(own_plan.values("pk")[:1]),
            plan_state=Subquery(own_plan.values("state")[:1]),
            med_treated=_med_treated(rollout, ""),
        )
        .order_by("path")
    )


def _level(filters: StatusFilter, heads: list[Unit], by_branch: dict[str, Figures], chain: list[Unit]) -> StatusTable:
    root, scope = filters.root, filters.rollout.scope_unit
    rows = [
        Row(
            unit=head,
            is_self=head.pk == root.pk,
            plan_id=head.plan_id,
            plan_state=head.plan_state or NO_PLAN,
            figures=by_branch[head.path],
            can_drill=head.pk != root.pk and head.numchild > 0,
            in_rollout=head.path.startswith(scope.path),
            med_treated=head.med_treated,
        )
        for head in heads
    ]
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return StatusTable(filter=filters, total=total, rows=rows, chain=chain, in_scope=True)


def status_levels(*, user: AnyUser, filters: StatusFilter, top: StatusTable | None = None) -> list[StatusTable]:
    """The viewed level and one level for each branch below it with units of its own: the
    report's pages and the exports' rows. The branches' levels come from one more grouping
    one level deeper, so the number of queries does not grow with the branches."""
    top = top or status_table(user=user, filters=filters)
    prefix = _prefix(filters.rollout, filters.root)
    drill = [row.unit for row in top.rows if row.can_drill and not row.is_self]
    if prefix is None or not drill:
        return [top]
    by_branch = _by_branch(filters, prefix, filters.root.depth + 1)
    heads = _heads(filters.rollout, by_branch.keys())
    tables = [top]
    for unit in drill:
        level = replace(filters, root=unit)
        own = [h for h in heads if h.path.startswith(unit.path)]
        tables.append(_level(level, own, {h.path: by_branch[h.path] for h in own}, []))
    return tables


# --- Coverage: branches × themes and principles -------------------------------------------------


@dataclass
class CoverageRow:
    unit: Unit
    is_self: bool
    cells: list[int]  # one per column, in column order
    heat: list[tuple[int, int]] = field(default_factory=list)  # (count, colour level 0–4)


@dataclass(frozen=True)
class CoverageColumn:
    item_id: int
    title: str
    is_theme: bool


@dataclass
class Coverage:
    columns: list[CoverageColumn]
    rows: list[CoverageRow]
    total: list[int]
    max_count: int

    def level(self, n: int) -> int:
        """0 for none, else 1–4 by the share of the largest count (the heat map's colour)."""
        if n == 0 or self.max_count == 0:
            return 0
        return min(4, 1 + (4 * n - 1) // self.max_count)

    def legend(self) -> list[tuple[int, int, int]]:
        """The colour levels of the units' cells as (level, lowest, highest count): level 0
        is 0, the others split the largest count in four."""
        bounds: dict[int, list[int]] = {}
        for n in range(1, self.max_count + 1):
            bounds.setdefault(self.level(n), []).append(n)
        return [(0, 0, 0)] + [(lvl, ns[0], ns[-1]) for lvl, ns in sorted(bounds.items())]


def coverage(*, table: StatusTable) -> Coverage:
    """How many activities work with each theme (any of its principles) and each principle,
    per branch. Three queries."""
    filters = table.filter
    themes: list[ThemeRow] = version_themes(version_id=filters.rollout.framework_version_id)
    columns: list[CoverageColumn] = []
    for theme in themes:
        columns.append(CoverageColumn(item_id=theme.theme.pk, title=theme.theme.heading, is_theme=True))
        columns.extend(CoverageColumn(item_id=p.pk, title=p.title, is_theme=False) for p in theme.principles)
    prefix = _prefix(filters.rollout, filters.root)
    counts: dict[tuple[str, int], int] = {}
    if prefix is not None and columns:
        links = Activity.principles.through.objects.filter(
            Q(activity__plan__rollout=filters.rollout, activity__plan__unit__path__startswith=prefix)
            & _units_q(filters, "activity__plan__unit__")
        ).exclude(activity__status=Activity.Status.AFLYST)
        branch = branch_path("activity__plan__unit__path", depth=filters.root.depth)
        for row in (
            links.annotate(branch=branch).values("branch", "item_id").annotate(n=Count("activity_id")).order_by()
        ):
            counts[(row["branch"], row["item_id"])] = row["n"]
        theme_of = Case(
            *[When(item_id__in=[p.pk for p in t.principles], then=Value(t.theme.pk)) for t in themes if t.principles],
            default=None,
            output_field=IntegerField(),
        )
        if any(t.principles for t in themes):
            # An activity working with two principles of a theme counts once for the theme.
            for row in (
                links.annotate(branch=branch, theme=theme_of)
                .exclude(theme=None)
                .values("branch", "theme")
                .annotate(n=Count("activity_id", distinct=True))
                .order_by()
            ):
                counts[(row["branch"], row["theme"])] = row["n"]
    rows = [
        CoverageRow(unit=r.unit, is_self=r.is_self, cells=[counts.get((r.unit.path, c.item_id), 0) for c in columns])
        for r in table.rows
    ]
    total = [sum(r.cells[i] for r in rows) for i in range(len(columns))]
    # The colours scale with the largest cell of the units' rows (the legend says how); the
    # total row is not coloured.
    row_max = max((max(r.cells, default=0) for r in rows), default=0)
    result = Coverage(columns=columns, rows=rows, total=total, max_count=row_max)
    for r in rows:
        r.heat = [(n, result.level(n)) for n in r.cells]
    return result


# --- The units that lag ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LaggingUnit:
    unit: Unit
    leader_name: str
    plan_id: int | None
    plan_state: str
    overdue: int
    planned: int
    no_plan_near_deadline: bool

    @property
    def state_order(self) -> int:
        return STATES.index(self.plan_state)


LAGGING_SORTS = {
    "unit": lambda u: (u.unit.path,),
    "state": lambda u: (u.state_order, u.unit.path),
    "overdue": lambda u: (-u.overdue, u.unit.path),
    "planned": lambda u: (u.planned, u.unit.path),
}
LAGGING_LIMIT = 200


def lagging_units(*, filters: StatusFilter, sort: str = "overdue") -> list[LaggingUnit]:
    """Units (each on its own) in the viewed part with no submitted plan when the deadline is
    near (within the rollout's reminder days) or past, or with overdue activities. One
    query. (LUS behind is counted for the round's fixed groups only: lus.masking.)"""
    rollout, today = filters.rollout, filters.today
    prefix = _prefix(rollout, filters.root)
    if prefix is None:
        return []
    own_plan = Plan.objects.filter(rollout=rollout, unit=OuterRef("pk"))
    per_unit = Activity.objects.filter(plan__rollout=rollout, plan__unit=OuterRef("pk")).exclude(
        status=Activity.Status.AFLYST
    )
    count = Count("pk")
    units = Unit.objects.filter(Q(path__startswith=prefix) & _units_q(filters, "")).annotate(
        plan_id=Subquery(own_plan.values("pk")[:1]),
        plan_state=Subquery(own_plan.values("state")[:1]),
        overdue=Coalesce(
            Subquery(
                per_unit.filter(activity_overdue_q(today=today)).values("plan__unit").annotate(n=count).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        planned=Coalesce(
            Subquery(per_unit.values("plan__unit").annotate(n=count).values("n")[:1], output_field=IntegerField()),
            0,
        ),
        leader_name=Subquery(Person.objects.filter(unit=OuterRef("pk"), is_leader=True).values("name")[:1]),
    )
    near = today >= rollout.deadline - timedelta(days=rollout.plan_missing_days)
    lag = Q(overdue__gt=0)
    if near:
        lag |= Q(plan_state__isnull=True) | Q(plan_state=Plan.State.KLADDE)
    result = [
        LaggingUnit(
            unit=u,
            leader_name=u.leader_name or "",
            plan_id=u.plan_id,
            plan_state=u.plan_state or NO_PLAN,
            overdue=u.overdue,
            planned=u.planned,
            no_plan_near_deadline=near and u.plan_state in (None, Plan.State.KLADDE),
        )
        for u in units.filter(lag).order_by("path")[:LAGGING_LIMIT]
    ]
    return sorted(result, key=LAGGING_SORTS.get(sort, LAGGING_SORTS["overdue"]))


# --- LUS: counts only, through lus.access ---------------------------------------------------------


def lus_rounds(*, user: AnyUser, filters: StatusFilter) -> list[Round]:
    """The LUS rounds whose counts the user may see (lus.access.rounds_counted_by:
    koncernledelse for their region, HR in scope; leaders see none) in the rollout's region
    whose preparation has opened, newest first. One query."""
    counted = lus_access.rounds_counted_by(user)
    if counted.query.is_empty():  # none at all (a leader): not even a query to build
        return []
    return list(
        counted.filter(region_id=filters.rollout.region_id, preparation_opens__lte=filters.today)
        .select_related("scope")
        .order_by("-period_start", "-pk")
    )


def lus_round(*, rounds: list[Round], filters: StatusFilter, chosen: int | None = None) -> Round | None:
    """The round shown: the chosen one, else the newest whose scope meets the viewed part.
    Its figures do not depend on the part viewed (lus.masking)."""
    picked = next((r for r in rounds if r.pk == chosen), None)
    if picked is not None:
        return picked
    prefix = _prefix(filters.rollout, filters.root) or filters.root.path
    meets = [r for r in rounds if r.scope.path.startswith(prefix) or prefix.startswith(r.scope.path)]
    return meets[0] if meets else None


# --- Trend ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    week: date
    approved: int
    activities_done: int
    activities_planned: int


def trend(*, filters: StatusFilter, weeks: int = TREND_WEEKS) -> list[TrendPoint]:
    """The weekly snapshots of the viewed part, summed per week (one query)."""
    prefix = _prefix(filters.rollout, filters.root)
    if prefix is None:
        return []
    since = filters.today - timedelta(weeks=weeks)
    rows = (
        Snapshot.objects.filter(
            Q(rollout=filters.rollout, unit__path__startswith=prefix, taken_on__gte=since) & _units_q(filters, "unit__")
        )
        .values("taken_on")
        .annotate(
            approved=Count("id", filter=Q(plan_state__in=APPROVED_STATES)),
            done=Sum("activities_done"),
            planned=Sum("activities_planned"),
        )
        .order_by("taken_on")
    )
    return [
        TrendPoint(
            week=r["taken_on"], approved=r["approved"], activities_done=r["done"], activities_planned=r["planned"]
        )
        for r in rows
    ]


def trend_with_today(*, filters: StatusFilter, table: StatusTable) -> list[TrendPoint]:
    """The weekly snapshots up to last week, and today's figures (the table's own total) as
    the last point, so the line ends where the headline and the table stand."""
    this_week = filters.today - timedelta(days=filters.today.weekday())
    points = [p for p in trend(filters=filters) if p.week < this_week]
    if table.in_scope:
        total = table.total
        points.append(
            TrendPoint(
                week=filters.today,
                approved=total.approved,
                activities_done=total.activities_done,
                activities_planned=total.activities_planned,
            )
        )
    return points


# --- Choices for the filters ----------------------------------------------------------------------


def rollouts_for_status(*, user: AnyUser) -> QuerySet[Rollout]:
    return (
        access.status_rollouts_for(user)
        .select_related("scope_unit", "region", "framework_version__framework")
        .order_by("-starts_on", "title")
    )
