"""The implementation status of one rollout, rolled up through the unit tree.

Every figure is a grouped aggregate in the database over the materialised path: for the
unit being viewed (depth d), `Substr(path, 1, steplen * (d + 1))` is the path of the child
whose branch a unit lies in (or the viewed unit's own path for the unit itself), so one
GROUP BY gives every branch at once. The page runs the same number of queries whatever
the number of units, plans or activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Substr

from dialogues.models import Activity, Plan, Rollout
from dialogues.selectors import ThemeRow, version_themes
from ledelse.models import Person, Unit
from ledelse.selectors import ancestor_paths, unit_chain_above
from ledelse.status import access
from ledelse.status.access import AnyUser
from ledelse.status.models import Snapshot
from lus import access as lus_access
from lus.models import Agreement, Conversation, Round
from lus.selectors import conversation_overdue_q

NO_PLAN = "ingen"
# The plan states in workflow order, "ingen plan" first.
STATES = (NO_PLAN, *Plan.State.values)
APPROVED_STATES = (Plan.State.GODKENDT, Plan.State.I_GANG, Plan.State.AFSLUTTET)
OPEN_ACTIVITY = (Activity.Status.PLANLAGT, Activity.Status.I_GANG)
TREND_WEEKS = 26
# A LUS count below this could point at a person: it is shown as "<3" (page and exports).
LUS_MIN_COUNT = 3
LUS_MASK = "<3"


@dataclass(frozen=True)
class StatusFilter:
    rollout: Rollout
    root: Unit
    kind: str = ""
    today: date = field(default_factory=date.today)


@dataclass
class Figures:
    """The rolled-up numbers of one part of the tree."""

    units: int = 0
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    activities_planned: int = 0
    activities_done: int = 0
    activities_overdue: int = 0
    last_activity_on: date | None = None  # the date of the latest activity done

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
    lus: LusFigures | None = None  # the current LUS round's counts in the branch (None: no round to show)


@dataclass
class StatusTable:
    filter: StatusFilter
    total: Figures
    rows: list[Row]
    chain: list[Unit]  # from the top the user may see down to the viewed unit
    in_scope: bool  # the viewed unit meets the rollout's part of the tree
    lus_total: LusFigures | None = None


def masked(n: int) -> int | str:
    """A LUS count as it may be shown: "<3" below LUS_MIN_COUNT."""
    return n if n >= LUS_MIN_COUNT else LUS_MASK


@dataclass
class LusFigures:
    """The current LUS round's conversations in one part of the tree (counts only). A LUS
    counts as prepared from the state "prepared" on, as held from "held" on."""

    total: int = 0
    prepared: int = 0
    held: int = 0
    confirmed: int = 0

    def add(self, other: LusFigures) -> None:
        self.total += other.total
        self.prepared += other.prepared
        self.held += other.held
        self.confirmed += other.confirmed

    def _cell(self, n: int) -> str:
        if n < LUS_MIN_COUNT or self.total < LUS_MIN_COUNT:
            return f"{masked(n)} / {masked(self.total)}"
        return f"{n} / {self.total} ({round(100 * n / self.total)} %)"

    @property
    def cells(self) -> list[str]:
        """Prepared, held and confirmed as shown: "4 / 7 (57 %)", "<3 / 7"; "–" without LUS."""
        if self.total == 0:
            return ["–", "–", "–"]
        return [self._cell(n) for n in (self.prepared, self.held, self.confirmed)]


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


def _branch(path_field: str, root: Unit) -> Substr:
    return Substr(path_field, 1, Unit.steplen * (root.depth + 1))


def _kind_q(kind: str, unit_field: str) -> Q:
    return Q(**{f"{unit_field}kind": kind}) if kind else Q()


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
    return [u for u in unit_chain_above(unit=root, include_self=True) if any(u.path.startswith(r.path) for r in roots)]


def status_table(*, user: AnyUser, filters: StatusFilter) -> StatusTable:
    """The viewed unit's own line and one line per branch below it, with the total."""
    rollout, root, kind, today = filters.rollout, filters.root, filters.kind, filters.today
    chain = status_chain(user=user, root=root)
    prefix = _prefix(rollout, root)
    if prefix is None:
        return StatusTable(filter=filters, total=Figures(), rows=[], chain=chain, in_scope=False)

    by_branch: dict[str, Figures] = {}
    units = (
        Unit.objects.filter(Q(path__startswith=prefix) & _kind_q(kind, ""))
        .annotate(branch=_branch("path", root))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in units:
        figures = by_branch.setdefault(row["branch"], Figures())
        figures.units = row["n"]
        figures.states[NO_PLAN] = row["n"]
    plans = (
        Plan.objects.filter(Q(rollout=rollout, unit__path__startswith=prefix) & _kind_q(kind, "unit__"))
        .annotate(branch=_branch("unit__path", root))
        .values("branch", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in plans:
        figures = by_branch[row["branch"]]
        figures.states[row["state"]] += row["n"]
        figures.states[NO_PLAN] -= row["n"]
    activities = (
        Activity.objects.filter(
            Q(plan__rollout=rollout, plan__unit__path__startswith=prefix) & _kind_q(kind, "plan__unit__")
        )
        .exclude(status=Activity.Status.AFLYST)
        .annotate(branch=_branch("plan__unit__path", root))
        .values("branch")
        .annotate(
            planned=Count("id"),
            done=Count("id", filter=Q(status=Activity.Status.GENNEMFOERT)),
            overdue=Count("id", filter=_overdue_q(today)),
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

    own_plan = Plan.objects.filter(rollout=rollout, unit=OuterRef("pk"))
    heads = (
        Unit.objects.filter(path__in=by_branch.keys())
        .annotate(
            plan_id=Subquery(own_plan.values("pk")[:1]),
            plan_state=Subquery(own_plan.values("state")[:1]),
        )
        .order_by("path")
    )
    rows = [
        Row(
            unit=head,
            is_self=head.pk == root.pk,
            plan_id=head.plan_id,
            plan_state=head.plan_state or NO_PLAN,
            figures=by_branch[head.path],
            can_drill=head.pk != root.pk and head.numchild > 0,
            in_rollout=head.path.startswith(rollout.scope_unit.path),
        )
        for head in heads
    ]
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return StatusTable(filter=filters, total=total, rows=rows, chain=chain, in_scope=True)


def _overdue_q(today: date, prefix: str = "") -> Q:
    """An open activity whose date has passed, in a plan that is not completed."""
    return Q(**{f"{prefix}status__in": OPEN_ACTIVITY, f"{prefix}date__lt": today}) & ~Q(
        **{f"{prefix}plan__state": Plan.State.AFSLUTTET}
    )


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

    @property
    def total_heat(self) -> list[tuple[int, int]]:
        return [(n, self.level(n)) for n in self.total]


def coverage(*, table: StatusTable) -> Coverage:
    """How many activities work with each theme (any of its principles) and each principle,
    per branch. Three queries."""
    filters = table.filter
    themes: list[ThemeRow] = version_themes(version_id=filters.rollout.framework_version_id)
    columns: list[CoverageColumn] = []
    for theme in themes:
        columns.append(CoverageColumn(item_id=theme.theme.pk, title=theme.theme.title, is_theme=True))
        columns.extend(CoverageColumn(item_id=p.pk, title=p.title, is_theme=False) for p in theme.principles)
    prefix = _prefix(filters.rollout, filters.root)
    counts: dict[tuple[str, int], int] = {}
    if prefix is not None and columns:
        links = Activity.principles.through.objects.filter(
            Q(activity__plan__rollout=filters.rollout, activity__plan__unit__path__startswith=prefix)
            & _kind_q(filters.kind, "activity__plan__unit__")
        ).exclude(activity__status=Activity.Status.AFLYST)
        branch = _branch("activity__plan__unit__path", filters.root)
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
    # The colours scale with the largest cell of a row, so one busy branch does not pale the rest.
    result = Coverage(columns=columns, rows=rows, total=total, max_count=max(total, default=0))
    row_max = max((max(r.cells, default=0) for r in rows), default=0)
    scale = Coverage(columns=columns, rows=[], total=[], max_count=row_max)
    for r in rows:
        r.heat = [(n, scale.level(n)) for n in r.cells]
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
    lus_behind: int = 0  # LUS past a deadline in the unit's subtree (only from LUS_MIN_COUNT on)

    @property
    def state_order(self) -> int:
        return STATES.index(self.plan_state)


LAGGING_SORTS = {
    "unit": lambda u: (u.unit.path,),
    "state": lambda u: (u.state_order, u.unit.path),
    "overdue": lambda u: (-u.overdue, u.unit.path),
    "planned": lambda u: (u.planned, u.unit.path),
    "lus": lambda u: (-u.lus_behind, u.unit.path),
}
LAGGING_LIMIT = 200


def lagging_units(*, filters: StatusFilter, sort: str = "overdue", lus_round: Round | None = None) -> list[LaggingUnit]:
    """Units (each on its own) in the viewed part with no submitted plan when the deadline is
    near (within the rollout's reminder days) or past, with overdue activities, or (given the
    current LUS round) with at least LUS_MIN_COUNT LUS behind in their subtree. One query."""
    rollout, today = filters.rollout, filters.today
    prefix = _prefix(rollout, filters.root)
    if prefix is None:
        return []
    own_plan = Plan.objects.filter(rollout=rollout, unit=OuterRef("pk"))
    per_unit = Activity.objects.filter(plan__rollout=rollout, plan__unit=OuterRef("pk")).exclude(
        status=Activity.Status.AFLYST
    )
    count = Count("pk")
    units = Unit.objects.filter(Q(path__startswith=prefix) & _kind_q(filters.kind, "")).annotate(
        plan_id=Subquery(own_plan.values("pk")[:1]),
        plan_state=Subquery(own_plan.values("state")[:1]),
        overdue=Coalesce(
            Subquery(
                per_unit.filter(_overdue_q(today)).values("plan__unit").annotate(n=count).values("n")[:1],
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
    if lus_round is not None:
        # Counted over the subtree and shown only from LUS_MIN_COUNT on: one leader's LUS
        # being late is never told by the unit it lies in.
        behind = Conversation.objects.filter(
            conversation_overdue_q(today=today), round=lus_round, leader__unit__path__startswith=OuterRef("path")
        )
        units = units.annotate(
            lus_behind=Coalesce(
                Subquery(
                    behind.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
        )
    else:
        units = units.annotate(lus_behind=Value(0, output_field=IntegerField()))
    near = today >= rollout.deadline - timedelta(days=rollout.plan_missing_days)
    lag = Q(overdue__gt=0) | Q(lus_behind__gte=LUS_MIN_COUNT)
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
            lus_behind=u.lus_behind if u.lus_behind >= LUS_MIN_COUNT else 0,
        )
        for u in units.filter(lag).order_by("path")[:LAGGING_LIMIT]
    ]
    return sorted(result, key=LAGGING_SORTS.get(sort, LAGGING_SORTS["overdue"]))


# --- LUS: counts only, through lus.access ---------------------------------------------------------


def lus_round(*, user: AnyUser, filters: StatusFilter) -> Round | None:
    """The current LUS round of the viewed part: of the rounds whose counts the user may see
    (lus.access.rounds_counted_by: koncernledelse for their region, HR in scope; leaders
    see none), in the rollout's region, whose scope meets the viewed part, the latest whose
    preparation has opened. One query."""
    prefix = _prefix(filters.rollout, filters.root)
    if prefix is None:
        return None
    above = ancestor_paths(prefix, include_self=True)
    return (
        lus_access.rounds_counted_by(user)
        .filter(
            Q(scope__path__in=above) | Q(scope__path__startswith=prefix),
            region_id=filters.rollout.region_id,
            preparation_opens__lte=filters.today,
        )
        .order_by("-period_start", "-pk")
        .first()
    )


_PREPARED = (Conversation.State.PREPARED, Conversation.State.HELD, Conversation.State.CONFIRMED)
_HELD = (Conversation.State.HELD, Conversation.State.CONFIRMED)


def lus_attach(*, table: StatusTable, round: Round | None) -> None:
    """Fill each row's (and the total's) LUS counts of `round`, by the leader's unit: one
    grouped query over the path prefix."""
    if round is None or not table.in_scope:
        return
    filters = table.filter
    prefix = _prefix(filters.rollout, filters.root)
    rows = (
        Conversation.objects.filter(
            Q(round=round, leader__unit__path__startswith=prefix) & _kind_q(filters.kind, "leader__unit__")
        )
        .annotate(branch=_branch("leader__unit__path", filters.root))
        .values("branch")
        .annotate(
            total=Count("pk"),
            prepared=Count("pk", filter=Q(state__in=_PREPARED)),
            held=Count("pk", filter=Q(state__in=_HELD)),
            confirmed=Count("pk", filter=Q(state=Conversation.State.CONFIRMED)),
        )
        .order_by()
    )
    by_branch = {
        r["branch"]: LusFigures(total=r["total"], prepared=r["prepared"], held=r["held"], confirmed=r["confirmed"])
        for r in rows
    }
    table.lus_total = LusFigures()
    for row in table.rows:
        row.lus = by_branch.get(row.unit.path, LusFigures())
        table.lus_total.add(row.lus)


@dataclass(frozen=True)
class ThemeCount:
    title: str
    is_theme: bool
    count: int

    @property
    def shown(self) -> int | str:
        return masked(self.count)


def lus_themes(*, table: StatusTable, round: Round | None) -> list[ThemeCount]:
    """Development themes: how many of the round's agreements in the viewed part point at
    each theme (itself or one of its principles) and each principle. Counts only, never who:
    two queries (the version's themes, the grouped agreements)."""
    if round is None or not table.in_scope:
        return []
    filters = table.filter
    prefix = _prefix(filters.rollout, filters.root)
    counts = dict(
        Agreement.objects.filter(
            Q(conversation__round=round, conversation__leader__unit__path__startswith=prefix, principle__isnull=False)
            & _kind_q(filters.kind, "conversation__leader__unit__")
        )
        .values("principle_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("principle_id", "n")
    )
    result: list[ThemeCount] = []
    for theme in version_themes(version_id=round.framework_version_id):
        n = counts.get(theme.theme.pk, 0) + sum(counts.get(p.pk, 0) for p in theme.principles)
        result.append(ThemeCount(title=theme.theme.title, is_theme=True, count=n))
        result.extend(ThemeCount(title=p.title, is_theme=False, count=counts.get(p.pk, 0)) for p in theme.principles)
    return result


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
            Q(rollout=filters.rollout, unit__path__startswith=prefix, taken_on__gte=since)
            & _kind_q(filters.kind, "unit__")
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


# --- Choices for the filters ----------------------------------------------------------------------


def rollouts_for_status(*, user: AnyUser) -> QuerySet[Rollout]:
    return (
        access.status_rollouts_for(user)
        .select_related("scope_unit", "region", "framework_version__framework")
        .order_by("-starts_on", "title")
    )
