"""Reads of the organisation: subtrees, management chains and own leaders.

The unit tree is treebeard's materialised path (`Unit.path`: `Unit.steplen` characters a
level). The one-unit reads use treebeard's own calls; the bulk helpers below (the paths
above a unit, a subtree as a filter, many people's own leaders at once) read the same
paths without a query per unit, and tests/ledelse/test_selectors.py checks that they agree
with treebeard. Every app uses these rather than slicing paths itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr

from ledelse.models import MedCommittee, MedMembership, Person, Unit


def unit_subtree(*, unit: Unit, include_self: bool = True) -> QuerySet[Unit]:
    """Every unit under `unit`, in tree order (one query)."""
    return Unit.objects.get_descendants(unit, include_self=include_self)


def unit_chain_above(*, unit: Unit, include_self: bool = False) -> QuerySet[Unit]:
    """The units above `unit`, top first (one query; none for a region's top unit)."""
    above = Unit.objects.get_ancestors(unit)
    return (above | Unit.objects.filter(pk=unit.pk)).order_by("depth") if include_self else above


def ancestor_paths(path: str, *, include_self: bool = False) -> list[str]:
    """The paths of the units above the unit at `path`, top first (and its own last with
    `include_self`); no query. As treebeard's get_ancestors, without reading the rows."""
    step = Unit.steplen
    end = len(path) if include_self else len(path) - step
    return [path[:n] for n in range(step, end + 1, step)]


def branch_path(path_field: str, *, depth: int) -> Substr:
    """A database expression for grouping rows by branch in one query: the path of the unit
    at depth `depth + 1` on the way down to the row's unit at `path_field` (`"path"`,
    `"unit__path"`, ...), i.e. which branch directly under a unit at `depth` the row lies
    in (a shallower unit gives its own path)."""
    return Substr(path_field, 1, Unit.steplen * (depth + 1))


def subtree_q(unit: Unit, *, prefix: str = "", include_self: bool = True) -> Q:
    """A filter for the rows in `unit`'s subtree: `prefix` leads from the filtered model to
    a Unit (`"unit__"`, `"plan__unit__"`; empty for Unit itself). As treebeard's
    get_descendants."""
    q = Q(**{f"{prefix}path__startswith": unit.path})
    return q if include_self else q & ~Q(**{f"{prefix}path": unit.path})


def leading_unit_paths(person: Person) -> list[str]:
    """The paths of the units whose leader leads `person`, top first; no query (reads
    `person.unit`). A leader heads their unit, so for them the chain starts above it;
    anyone else (also someone who leads people without heading a unit) is led from their
    own unit up."""
    return ancestor_paths(person.unit.path, include_self=not person.is_leader)


def people_own_leaders(people: Iterable[Person]) -> dict[int, Person | None]:
    """Each person's own leader by pk (None: none in the app), in one query whatever the
    number of people. The rule: the explicit own leader when set; otherwise, for a leader,
    the leader of the nearest unit above that has one, and for anyone else the leader of
    their own unit or of the nearest unit above that has one (a unit has at most one
    leader); a person is never their own leader."""
    people = list(people)
    explicit = {p.own_leader_id for p in people if p.own_leader_id}
    paths = {path for p in people if not p.own_leader_id for path in leading_unit_paths(p)}
    if not explicit and not paths:
        return {p.pk: None for p in people}
    found = (
        Person.objects.filter(Q(pk__in=explicit) | Q(is_leader=True, unit__path__in=paths))
        .select_related("unit", "user")
        .order_by("pk")
    )
    by_pk: dict[int, Person] = {}
    leaders_by_path: dict[str, list[Person]] = {}
    for candidate in found:
        by_pk[candidate.pk] = candidate
        if candidate.is_leader:
            leaders_by_path.setdefault(candidate.unit.path, []).append(candidate)
    result: dict[int, Person | None] = {}
    for person in people:
        if person.own_leader_id:
            result[person.pk] = by_pk.get(person.own_leader_id)
            continue
        result[person.pk] = next(
            (
                leader
                for path in reversed(leading_unit_paths(person))
                for leader in leaders_by_path.get(path, ())
                if leader.pk != person.pk
            ),
            None,
        )
    return result


def person_own_leader(*, person: Person) -> Person | None:
    """The person's own leader (the rule: `people_own_leaders`). One query."""
    return people_own_leaders([person])[person.pk]


@dataclass(frozen=True)
class ChainUnit:
    """A unit of a person's chain as a page lists it."""

    pk: int
    name: str
    path: str


@dataclass(frozen=True)
class LeaderRow:
    """A person's own leader as a page names them: name and unit."""

    pk: int
    name: str
    unit_name: str


def own_leader_and_chain(*, person: Person) -> tuple[LeaderRow | None, list[ChainUnit]]:
    """The person's own leader (the rule of `people_own_leaders`) and the units from the
    region's top down to their own (`unit_chain_above` with include_self), as plain rows in
    ONE query: the chain's units and the candidate leaders (the explicit own leader, the
    leaders of the chain's units) read together. Plain SQL: it runs on every front page and
    the ORM's two querysets cost more to build than to run. tests/ledelse/test_selectors.py
    holds it to the two."""
    chain_paths = ancestor_paths(person.unit.path, include_self=True)
    unit, people = connection.ops.quote_name(Unit._meta.db_table), connection.ops.quote_name(Person._meta.db_table)
    marks = ", ".join(["%s"] * len(chain_paths))
    sql = (
        f"SELECT 0, u.id, u.name, u.path, NULL, NULL FROM {unit} u WHERE u.path IN ({marks})"
        f" UNION ALL SELECT 1, pu.id, pu.name, pu.path, p.id, p.name FROM {people} p"
        f" JOIN {unit} pu ON pu.id = p.unit_id"
        f" WHERE p.id = %s OR (p.is_leader = %s AND pu.path IN ({marks}))"
    )
    params: list[str | int | bool] = [*chain_paths, person.own_leader_id or 0, True, *chain_paths]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    chain = sorted((ChainUnit(pk=r[1], name=r[2], path=r[3]) for r in rows if r[0] == 0), key=lambda u: len(u.path))
    candidates = [(r[4], LeaderRow(pk=r[4], name=r[5], unit_name=r[2]), r[3]) for r in rows if r[0] == 1]
    if person.own_leader_id:
        return next((row for pk, row, _ in candidates if pk == person.own_leader_id), None), chain
    by_path: dict[str, list[tuple[int, LeaderRow]]] = {}
    for pk, row, path in sorted(candidates, key=lambda c: c[0]):
        by_path.setdefault(path, []).append((pk, row))
    leader = next(
        (row for path in reversed(leading_unit_paths(person)) for pk, row in by_path.get(path, ()) if pk != person.pk),
        None,
    )
    return leader, chain


# --- MED committees ----------------------------------------------------------------------------


def med_committee_for_unit(*, unit: Unit) -> MedCommittee | None:
    """The MED committee that covers `unit`: the one at the unit itself or, failing that,
    at the nearest unit above that has one (None: no committee covers it). One query."""
    return (
        MedCommittee.objects.filter(unit__path__in=ancestor_paths(unit.path, include_self=True))
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )


def med_committees_for_units(units: Iterable[Unit]) -> dict[int, MedCommittee | None]:
    """`med_committee_for_unit` for many units at once (by unit pk), in one query."""
    units = list(units)
    paths = {path for u in units for path in ancestor_paths(u.path, include_self=True)}
    by_path = {c.unit.path: c for c in MedCommittee.objects.filter(unit__path__in=paths).select_related("unit")}
    return {
        u.pk: next(
            (by_path[p] for p in reversed(ancestor_paths(u.path, include_self=True)) if p in by_path),
            None,
        )
        for u in units
    }


def med_committee_units_q(committee: MedCommittee, *, prefix: str = "") -> Q:
    """A filter for the units the committee covers: its unit's subtree without the subtrees
    of the committees below it. `prefix` as in `subtree_q`. One query (the committees below)."""
    below = MedCommittee.objects.filter(subtree_q(committee.unit, prefix="unit__", include_self=False)).values_list(
        "unit__path", flat=True
    )
    q = subtree_q(committee.unit, prefix=prefix)
    for path in below:
        q &= ~Q(**{f"{prefix}path__startswith": path})
    return q


def med_memberships_of(*, person: Person) -> QuerySet[MedMembership]:
    """The person's seats in MED committees, with the committee and its unit."""
    return MedMembership.objects.filter(person=person).select_related("committee__unit")


def med_seat_covering(*, person: Person, roles: Iterable[str], unit_path: str = "unit__path") -> Exists:
    """A filter for rows (plans, say) whose unit, its path at `unit_path`, is covered by a
    committee in which `person` holds one of `roles`: `med_committee_for_unit` as a
    condition in the rows' own query (no query of its own, however many rows). The
    committee covering a unit is the nearest one at or above it, so a seat counts only when
    no committee lies between the seat's committee and the unit."""
    row_path = OuterRef(unit_path)
    nearer = MedCommittee.objects.filter(
        unit__path__startswith=OuterRef("committee__unit__path"),
        unit__path=Substr(OuterRef(row_path), 1, Length("unit__path")),
    ).exclude(pk=OuterRef("committee_id"))
    return Exists(
        MedMembership.objects.filter(
            person_id=person.pk,
            role__in=list(roles),
            committee__unit__path=Substr(row_path, 1, Length("committee__unit__path")),
        ).exclude(Exists(nearer))
    )
