"""LUS figures that cannot be subtracted away: counts only, for fixed groups of a round.

The rule (chosen over a per-view threshold, which differencing defeats):

1. Fixed groups, the same in every view. A round's LUS are counted for a fixed set of
   groups: each branch directly under the round's scope with at least MIN_GROUP LUS is a
   group of its own; the scope's own leaders and the smaller branches make up the group
   "other leaders" (when that group is below MIN_GROUP, the smallest named group joins
   it). The figures do not follow the level viewed, the unit-kind filter, the sort or the
   export: every page, export, report and the round page show the same numbers for a
   round, so no two views differ by a few leaders (the director's LUS cannot be had as
   "department view minus hospital view").
2. Primary suppression: a count is shown only when it and its complement within the
   group are both at least MIN_COUNT ("4 of 5 held" points at the one who has not; "5 of
   5" tells everyone's state).
3. Complementary suppression: when a group's count is masked, the round's total would
   give it back by subtraction, so more groups are masked (the smallest first) until the
   masked groups together pass rule 2; if they never do, the total is masked as well.
4. Development themes are counted for the round as a whole (leaders with an agreement on
   the theme or one of its principles), each count under rule 2 against the round's LUS.

Masked counts are None: the page shows "skjult" and the workbook an empty cell with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dialogues.selectors import version_themes
from ledelse.models import Unit
from ledelse.privacy import MIN_GROUP_SIZE
from ledelse.selectors import branch_path
from lus.models import Agreement, Conversation, Round
from lus.selectors import conversation_overdue_q

# A count and its complement in its group must both reach this to be shown: the shared
# smallest group (ledelse.privacy), the same rule of three as the answers before a meeting.
MIN_COUNT = MIN_GROUP_SIZE
MIN_GROUP = 2 * MIN_COUNT  # a group below this could never show a count

MEASURES = ("prepared", "held", "confirmed", "overdue")
_PREPARED = (Conversation.State.PREPARED, Conversation.State.HELD, Conversation.State.CONFIRMED)
_HELD = (Conversation.State.HELD, Conversation.State.CONFIRMED)


def passes(n: int, total: int) -> bool:
    """Primary suppression: the count and its complement are both at least MIN_COUNT."""
    return n >= MIN_COUNT and total - n >= MIN_COUNT


@dataclass
class LusGroup:
    label: str
    unit: Unit | None  # None for the group of the other leaders
    total: int = 0
    raw: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    shown: dict[str, int | None] = field(default_factory=dict)  # None: masked

    def add(self, other: LusGroup) -> None:
        self.total += other.total
        for m in MEASURES:
            self.raw[m] += other.raw[m]

    def cell(self, measure: str) -> int | None:
        return self.shown.get(measure)

    @property
    def cells(self) -> list[int | None]:
        return [self.cell(m) for m in MEASURES]

    def texts(self) -> list[str]:
        """The counts as the page shows them: "4 af 7 (57 %)", or "skjult"."""
        out = []
        for n in self.cells:
            if n is None:
                out.append(_("hidden"))
            else:
                out.append(
                    _("%(n)s of %(total)s (%(pct)s %%)")
                    % {"n": n, "total": self.total, "pct": round(100 * n / self.total)}
                )
        return out


@dataclass(frozen=True)
class LusTheme:
    title: str
    is_theme: bool
    count: int | None  # leaders with an agreement on it; None: masked


@dataclass
class LusReport:
    round: Round
    groups: list[LusGroup]
    total: LusGroup
    themes: list[LusTheme]


def suppress(cells: list[tuple[int, int]], total: tuple[int, int]) -> tuple[set[int], bool]:
    """Primary and complementary suppression of one measure over the groups.

    `cells` holds (count, group size) per group, `total` the same for the whole round.
    Returns the indices of the masked groups and whether the total is masked."""
    masked = {i for i, (n, size) in enumerate(cells) if not passes(n, size)}
    if masked:
        spare = sorted((i for i in range(len(cells)) if i not in masked), key=lambda i: (cells[i][1], i))
        while not _masked_sum_passes(cells, masked) and spare:
            masked.add(spare.pop(0))
    total_masked = not passes(*total) or (bool(masked) and not _masked_sum_passes(cells, masked))
    return masked, total_masked


def _masked_sum_passes(cells: list[tuple[int, int]], masked: set[int]) -> bool:
    """The masked groups together: at least two of them, and their sum passes rule 2."""
    if len(masked) < 2 and len(masked) != len(cells):
        return False
    return passes(sum(cells[i][0] for i in masked), sum(cells[i][1] for i in masked))


def _atoms(lus_round: Round, today: date) -> dict[str, LusGroup]:
    """The round's LUS counted by the branch directly under its scope: one query."""
    rows = (
        Conversation.objects.filter(round=lus_round)
        .annotate(branch=branch_path("leader__unit__path", depth=lus_round.scope.depth))
        .values("branch")
        .annotate(
            total=Count("pk"),
            prepared=Count("pk", filter=Q(state__in=_PREPARED)),
            held=Count("pk", filter=Q(state__in=_HELD)),
            confirmed=Count("pk", filter=Q(state=Conversation.State.CONFIRMED)),
            overdue=Count("pk", filter=conversation_overdue_q(today=today)),
        )
        .order_by()
    )
    return {r["branch"]: LusGroup(label="", unit=None, total=r["total"], raw={m: r[m] for m in MEASURES}) for r in rows}


def _groups(lus_round: Round, atoms: dict[str, LusGroup]) -> list[LusGroup]:
    """Rule 1: the branches big enough on their own, and the others together. One query."""
    scope = lus_round.scope
    heads = {
        u.path: u
        for u in Unit.objects.filter(path__in=atoms.keys(), path__startswith=scope.path, depth=scope.depth + 1)
    }
    named: list[LusGroup] = []
    other = LusGroup(label=_("Other leaders in %(unit)s") % {"unit": scope.name}, unit=None)
    for path, atom in sorted(atoms.items()):
        head = heads.get(path)
        if head is not None and atom.total >= MIN_GROUP:
            atom.label, atom.unit = head.name, head
            named.append(atom)
        else:
            other.add(atom)
    named.sort(key=lambda g: (g.total, g.label))
    while other.total and other.total < MIN_GROUP and named:
        other.add(named.pop(0))
    groups = sorted(named, key=lambda g: g.label)
    if other.total:
        groups.append(other)
    return groups


def _mask(groups: list[LusGroup], total: LusGroup) -> None:
    for m in MEASURES:
        masked, total_masked = suppress([(g.raw[m], g.total) for g in groups], (total.raw[m], total.total))
        for i, g in enumerate(groups):
            g.shown[m] = None if i in masked else g.raw[m]
        total.shown[m] = None if total_masked else total.raw[m]


def _themes(lus_round: Round, size: int) -> list[LusTheme]:
    """Rule 4: leaders with an agreement on each theme (itself or a principle) and each
    principle. Two queries (the version's themes, the grouped agreements)."""
    pairs = set(
        Agreement.objects.filter(conversation__round=lus_round, principle__isnull=False)
        .values_list("principle_id", "conversation_id")
        .distinct()
    )
    by_item: dict[int, set[int]] = {}
    for item_id, conversation_id in pairs:
        by_item.setdefault(item_id, set()).add(conversation_id)
    result: list[LusTheme] = []
    for theme in version_themes(version_id=lus_round.framework_version_id):
        leaders = set(by_item.get(theme.theme.pk, set()))
        for p in theme.principles:
            leaders |= by_item.get(p.pk, set())
        result.append(LusTheme(theme.theme.heading, True, _shown(len(leaders), size)))
        result.extend(LusTheme(p.title, False, _shown(len(by_item.get(p.pk, ())), size)) for p in theme.principles)
    return result


def _shown(n: int, size: int) -> int | None:
    return n if passes(n, size) else None


def lus_report(*, lus_round: Round, today: date) -> LusReport:
    """The round's LUS figures as every view shows them (see the module's rule)."""
    groups = _groups(lus_round, _atoms(lus_round, today))
    total = LusGroup(label=_("All LUS in the round"), unit=lus_round.scope)
    for g in groups:
        total.add(g)
    _mask(groups, total)
    return LusReport(round=lus_round, groups=groups, total=total, themes=_themes(lus_round, total.total))
