"""A region at full size for the load benchmark (`manage.py seed_scale`, `make bench`).

Deterministic from the seed: the same seed and sizes give the same rows. Everything is
written with `bulk_create` in batches; the unit tree's materialised paths are computed
here (treebeard's own encoding) rather than one `add_child` per unit, and every account
gets the same unusable password hash (a constant), not 30,000 runs of the hasher.

This module makes the organisation (units, people, accounts, roles); each app adds its own
rows through a function listed in settings.SCALE_GENERATORS (plans: dialogues.scale), so the
organisation core names no other app. The names and texts are made up."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ledelse.models import MedCommittee, MedMembership, Person, Region, RoleAssignment, Unit, User
from ledelse.services import med_committee_default_name, region_ensure

# An unusable password (Django's marker "!" and no hash after it): imported accounts have
# none and sign in through SSO; one constant rather than 30,000 runs of the hasher.
UNUSABLE_PASSWORD = "!scale-generated-account"
BATCH = 2000
REGION_NAME = "Region Midtjylland"
CODE_PREFIX = "scale-"

FIRST = ["Anne", "Mette", "Lars", "Søren", "Hanne", "Jens", "Karen", "Peter", "Louise", "Mads", "Sofie", "Ole"]
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen"]
KIND_BY_DEPTH = {2: Unit.Kind.HOSPITAL, 3: Unit.Kind.CENTRE, 4: Unit.Kind.DEPARTMENT, 5: Unit.Kind.SECTION}
# MED: a hovedudvalg at the region's top, an område-MED at each hospital and centre, a
# lokal-MED at this share of the departments (the rest are covered by the committee above).
MED_KIND_BY_DEPTH = {1: MedCommittee.Kind.HOVEDUDVALG, 2: MedCommittee.Kind.OMRAADE, 3: MedCommittee.Kind.OMRAADE}
MED_LOCAL_SHARE = 0.8
MED_MEMBERS = (4, 8)  # members besides the formand and næstformand
# Share of the units on levels 2..5 below the region's own top unit (800 units: 8, 56, 224, 511).
LEVEL_WEIGHTS = (0.01, 0.07, 0.28, 0.64)


@dataclass(frozen=True)
class Sizes:
    units: int = 800
    levels: int = 5
    leaders: int = 2500
    people: int = 30000
    activities_per_plan: int = 10
    notifications: int = 50000

    def scaled(self, factor: float) -> Sizes:
        return Sizes(
            units=max(int(self.units * factor), self.levels),
            levels=self.levels,
            leaders=max(int(self.leaders * factor), 1),
            people=max(int(self.people * factor), 1),
            activities_per_plan=self.activities_per_plan,
            notifications=int(self.notifications * factor),
        )


@dataclass
class Made:
    counts: Counter = field(default_factory=Counter)
    # Handy for the benchmark: a path into each kind of page.
    root_unit_id: int = 0
    mid_unit_id: int = 0

    def lines(self) -> list[str]:
        return [f"{name}: {n:,}".replace(",", ".") for name, n in self.counts.items()]


# --- Treebeard's path encoding ------------------------------------------------------------


def _step(n: int) -> str:
    """Child number n (1-based) as one path step, as treebeard encodes it."""
    alphabet, steplen = Unit.alphabet, Unit.steplen
    digits = ""
    while n:
        n, r = divmod(n, len(alphabet))
        digits = alphabet[r] + digits
    return digits.rjust(steplen, alphabet[0])


def _step_value(step: str) -> int:
    return int(step, len(Unit.alphabet))


# --- The generator ------------------------------------------------------------------------


def people_exist() -> bool:
    return Person.objects.exists()


def bulk(model: type, rows: list, made: Made, label: str) -> list:
    """`rows` written in batches, counted under `label` in what was made."""
    out = []
    for i in range(0, len(rows), BATCH):
        out.extend(model.objects.bulk_create(rows[i : i + BATCH], batch_size=BATCH))
    made.counts[label] += len(rows)
    return out


def _root() -> tuple[Region, Unit]:
    # What the apps' parts need in place before the tree is made (the frameworks, whose
    # loader adds the region and its own units through treebeard): loading twice changes nothing.
    for command in settings.SCALE_COMMANDS_BEFORE:
        call_command(command, verbosity=0)
    region = region_ensure(name=REGION_NAME)  # with its top unit
    root = Unit.objects.filter(region=region, depth=1).order_by("path").first()
    return region, root


def _units(rng: random.Random, sizes: Sizes, region: Region, root: Unit, made: Made) -> list[list[Unit]]:
    """The tree below the region's top unit, level by level, appended after any children the
    top unit has (the frameworks' placeholder owners)."""
    below = sizes.units - 1
    counts = [max(1, int(below * w)) for w in LEVEL_WEIGHTS[: sizes.levels - 1]]
    counts[-1] += below - sum(counts)
    last_child = Unit.objects.get_last_child(root)
    first_child_number = _step_value(last_child.path[-Unit.steplen :]) + 1 if last_child else 1
    levels: list[list[Unit]] = [[root]]
    children_of: dict[str, int] = {root.path: first_child_number - 1}
    serial = 0
    for depth, count in enumerate(counts, start=2):
        parents = levels[-1]
        level = []
        for i in range(count):
            # Every parent gets at least one child, the rest are spread at random.
            parent = parents[i] if i < len(parents) else rng.choice(parents)
            children_of[parent.path] += 1
            serial += 1
            path = parent.path + _step(children_of[parent.path])
            children_of[path] = 0
            level.append(
                Unit(
                    path=path,
                    depth=depth,
                    numchild=0,
                    code=f"{CODE_PREFIX}{serial:05d}",
                    name=f"{KIND_BY_DEPTH.get(depth, Unit.Kind.OTHER).label} {serial}",
                    kind=KIND_BY_DEPTH.get(depth, Unit.Kind.OTHER),
                    region=region,
                )
            )
        levels.append(level)
    for level in levels[1:]:
        for unit in level:
            unit.numchild = children_of[unit.path]
    Unit.objects.filter(pk=root.pk).update(numchild=children_of[root.path])
    for i, level in enumerate(levels[1:], start=1):
        levels[i] = bulk(Unit, level, made, "enheder")
    return levels


def _people(rng: random.Random, sizes: Sizes, units: list[Unit], made: Made) -> dict[int, list[Person]]:
    """One leader per unit (the database allows one), the other leaders as section leaders
    under a unit's leader, then staff, spread over the units; everyone has an account."""
    total = max(sizes.people, len(units))
    users = [
        User(
            username=f"s{i:06d}",
            email=f"s{i:06d}@scale.example",
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[(i // len(FIRST)) % len(LAST)],
            password=UNUSABLE_PASSWORD,
        )
        for i in range(total)
    ]
    users = bulk(User, users, made, "konti")
    people: list[Person] = []
    for i, user in enumerate(users):
        unit_leader = i < len(units)
        leader = i < sizes.leaders
        unit = units[i] if unit_leader else rng.choice(units)
        people.append(
            Person(
                user=user,
                employee_id=f"{CODE_PREFIX}{i:06d}",
                name=f"{user.first_name} {user.last_name} {i}",
                email=user.email,
                title="Leder" if unit_leader else ("Afsnitsleder" if leader else "Medarbejder"),
                unit=unit,
                is_leader=unit_leader,
                leads_people=leader and not unit_leader,  # section leaders lead people inside a unit
            )
        )
    people = bulk(Person, people, made, "personer")
    made.counts["ledere (enhedsledere)"] = min(len(units), total)
    made.counts["ledere i alt"] = min(sizes.leaders, total)
    by_unit: dict[int, list[Person]] = {}
    for person in people:
        by_unit.setdefault(person.unit_id, []).append(person)
    # Section leaders report to their unit's leader.
    section_leaders = people[len(units) : sizes.leaders]
    leader_of = {p.unit_id: p for p in people[: len(units)]}
    for person in section_leaders:
        person.own_leader = leader_of[person.unit_id]
    Person.objects.bulk_update(section_leaders, ["own_leader"], batch_size=BATCH)
    return by_unit


def _roles(units: list[Unit], by_unit: dict[int, list[Person]], root: Unit, made: Made) -> None:
    staff = by_unit[root.pk][1:]  # the top unit's staff hold the central roles
    rows = [RoleAssignment(person=p, role="koncernledelse", unit=root) for p in staff[:20]]
    rows += [RoleAssignment(person=p, role="hr", unit=root) for p in staff[20:30]]
    bulk(RoleAssignment, rows, made, "roller")


def _med(rng: random.Random, units: list[Unit], by_unit: dict[int, list[Person]], made: Made) -> None:
    """MED committees: the unit's leader is formand, an employee of the unit næstformand,
    and 4-8 other employees members (fewer where the unit has fewer)."""
    committees, seats = [], []
    for unit in units:
        kind = MED_KIND_BY_DEPTH.get(unit.depth)
        if kind is None and unit.kind == Unit.Kind.DEPARTMENT and rng.random() < MED_LOCAL_SHARE:
            kind = MedCommittee.Kind.LOKAL
        if kind is None:
            continue
        committees.append(MedCommittee(unit=unit, kind=kind, name=med_committee_default_name(unit_name=unit.name)))
    committees = bulk(MedCommittee, committees, made, "MED-udvalg")
    for committee in committees:
        people = by_unit.get(committee.unit_id, [])
        leader = next((p for p in people if p.is_leader), None)
        # Staff without roles (the top unit's first staff are koncernledelse and HR).
        staff = [p for p in people if not p.is_leader and not p.leads_people and p.title == "Medarbejder"]
        if committee.unit.depth == 1:
            staff = staff[30:]
        chosen = rng.sample(staff, min(len(staff), 1 + rng.randint(*MED_MEMBERS)))
        if leader is not None:
            seats.append(MedMembership(committee=committee, person=leader, role=MedMembership.Role.FORMAND))
        for i, person in enumerate(chosen):
            role = MedMembership.Role.NAESTFORMAND if i == 0 else MedMembership.Role.MEDLEM
            seats.append(MedMembership(committee=committee, person=person, role=role))
    bulk(MedMembership, seats, made, "MED-pladser")


@transaction.atomic
def region_generate(*, seed: int, sizes: Sizes, today: date | None = None) -> Made:
    """Build one region at `sizes` below Region Midtjylland's top unit. The caller checks
    that the database is one for this (see the command)."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    made = Made()
    region, root = _root()
    levels = _units(rng, sizes, region, root, made)
    # The region's top unit too: its leader is the regional director, its staff koncernledelse.
    units = [u for level in levels for u in level]
    by_unit = _people(rng, sizes, units, made)
    _roles(units, by_unit, root, made)
    _med(rng, units, by_unit, made)
    for path in settings.SCALE_GENERATORS:
        import_string(path)(
            rng=rng, sizes=sizes, region=region, root=root, units=units, by_unit=by_unit, today=today, made=made
        )
    made.counts["enheder"] += 1  # the region's own top unit, which the tree hangs under
    made.root_unit_id = root.pk
    made.mid_unit_id = levels[min(2, len(levels) - 1)][0].pk
    return made


def analyze() -> None:
    """Fresh planner statistics after the bulk load (PostgreSQL), so EXPLAIN and the pages
    see the real sizes at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
