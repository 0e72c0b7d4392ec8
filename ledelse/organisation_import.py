"""The organisation import: units and people from a CSV file (columns: see the README).

Three steps. `_parse` reads the rows and checks each on its own. `_check_references` checks
them against each other and against a snapshot of the database read once (`_Snapshot`), so
that checking thousands of rows costs no query per row. Only when every row is right do
`_import_units` and `_import_people` write, in one transaction, in bulk.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from enum import StrEnum
from graphlib import CycleError, TopologicalSorter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.module_loading import import_string

from ledelse.audit.services import audit_record_many
from ledelse.models import MedCommittee, MedMembership, Person, Region, RoleAssignment, Unit, User
from ledelse.services import (
    MED_NAME_MAX_LENGTH,
    PLACEHOLDER_PREFIX,
    med_committee_default_name,
    med_committees_set_for_units,
    med_seats_set_for_people,
    model_update,
    people_sync_admin_access,
    region_create,
    role_change_entries,
)
from ledelse.text import CONTROL_CHARACTERS

IMPORT_COLUMNS = (
    "kind",
    "code",
    "name",
    "parent",
    "unit_kind",
    "email",
    "username",
    "title",
    "unit",
    "leader",
    "own_leader",
    "roles",
)
# Columns a file may leave out. `sso_id`: the identity provider's immutable id for the person
# (Entra ID's object id), which the first SSO sign-in matches before the e-mail address.
# Without the column, the people's sso_ids stay as they are.
# `leads_people` (ja/nej): leads people without heading the unit (an afsnitsleder); they get a
# LUS with their unit's leader. Without the column, it stays as it is.
# `med` on a unit row: the kind of MED committee the unit has (hovedudvalg, omraade, lokal,
# or the Danish names: HovedMED, område-MED, lokal-MED; empty: none), `med_name` its name;
# `med` on a person row: their seats, `role:UNITCODE;...` (formand, næstformand, medlem).
# Without the `med` column, committees and seats stay as they are.
OPTIONAL_COLUMNS = ("sso_id", "leads_people", "med", "med_name")
_YES = {"yes", "ja", "1", "true", "x"}
_NO = {"no", "nej", "0", "false", ""}

Errors = list[tuple[int, str]]  # (line number, reason)


class OrganisationImportError(Exception):
    """The file has errors; nothing was written. `errors` holds (line number, reason)."""

    def __init__(self, errors: Errors):
        self.errors = errors
        super().__init__("\n".join(f"linje {line}: {reason}" for line, reason in errors))


class Status(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"unit": 0, "person": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"unit": 0, "person": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"unit": 0, "person": 0})

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def count(self, kind: str, status: Status) -> None:
        getattr(self, status.value)[kind] += 1


def organisation_import(*, text: str) -> ImportReport:
    """Import units and people from CSV text (columns in IMPORT_COLUMNS; see the README).

    All rows are checked first; any error raises OrganisationImportError with every bad
    line and reason, and nothing is written. The writes run in one transaction, and a row
    that matches the database writes nothing, so importing the same file twice is a no-op.
    """
    units, people, errors = _parse(text)
    with_med = any(u.med_kind is not None for u in units) or any(p.med is not None for p in people)
    db = _Snapshot.load(with_med=with_med)
    if not errors:
        errors = _check_references(units, people, db)
    if errors:
        raise OrganisationImportError(sorted(errors))
    report = ImportReport()
    with transaction.atomic():
        for status in _import_units(units, db, with_med=with_med):
            report.count("unit", status)
        for status in _import_people(people, db, with_med=with_med):
            report.count("person", status)
        # What the apps keep in step with the organisation (a plan's owner is its unit's
        # leader), in the same transaction: the core names no app, settings list them.
        for hook in settings.ORGANISATION_IMPORT_HOOKS:
            import_string(hook)()
    return report


# --- Reading the file -------------------------------------------------------------------------


@dataclass(frozen=True)
class _UnitRow:
    line: int
    code: str
    name: str
    parent: str
    kind: str
    med_kind: str | None = None  # None: the file has no med column; "": no committee
    med_name: str = ""


@dataclass(frozen=True)
class _PersonRow:
    line: int
    code: str
    name: str
    email: str
    username: str
    title: str
    unit: str
    leader: bool
    own_leader: str
    roles: tuple[tuple[str, str], ...]  # (role, scope unit code or "")
    sso_id: str | None = None  # None: the file has no sso_id column
    leads_people: bool | None = None  # None: the file has no leads_people column
    med: tuple[tuple[str, str], ...] | None = None  # (role, committee's unit code); None: no med column


def _read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    rows = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        rows.append(
            (
                reader.line_num,
                {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()},
            )
        )
    return header, rows


def _parse(text: str) -> tuple[list[_UnitRow], list[_PersonRow], Errors]:
    """The file's rows, each checked on its own (references between rows come later)."""
    header, rows = _read_rows(text)
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        return [], [], [(1, "mangler kolonnerne: " + ", ".join(missing))]
    errors: Errors = []
    units: list[_UnitRow] = []
    people: list[_PersonRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        kind, code = row["kind"].lower(), row["code"]
        if kind not in ("unit", "person"):
            errors.append((line, f"ukendt kind {row['kind']!r} (brug unit eller person)"))
            continue
        if not code:
            errors.append((line, "code mangler"))
            continue
        if not row["name"]:
            errors.append((line, "name mangler"))
            continue
        if (kind, code) in seen:
            errors.append((line, f"code {code!r} står også på linje {seen[(kind, code)]}"))
            continue
        seen[(kind, code)] = line
        parsed = _parse_unit(line, row) if kind == "unit" else _parse_person(line, row)
        if isinstance(parsed, str):
            errors.append((line, parsed))
        elif isinstance(parsed, _UnitRow):
            units.append(parsed)
        else:
            people.append(parsed)
    return units, people, errors


def _parse_unit(line: int, row: dict[str, str]) -> _UnitRow | str:
    """The unit row, or the reason it is wrong."""
    unit_kind = row["unit_kind"] or Unit.Kind.OTHER
    if unit_kind not in Unit.Kind.values:
        return f"ukendt unit_kind {unit_kind!r} (brug {', '.join(Unit.Kind.values)})"
    if not row["parent"] and unit_kind != Unit.Kind.REGION:
        return "en enhed uden parent skal have unit_kind region"
    if row["parent"] and unit_kind == Unit.Kind.REGION:
        return "en region kan ikke have en parent"
    med = _parse_unit_med(row)
    if isinstance(med, str):
        return med
    med_kind, med_name = med if med is not None else (None, "")
    return _UnitRow(line, row["code"], row["name"], row["parent"], unit_kind, med_kind, med_name)


def _parse_person(line: int, row: dict[str, str]) -> _PersonRow | str:
    """The person row, or the reason it is wrong."""
    leader = row["leader"].lower()
    if leader not in _YES | _NO:
        return f"leader skal være ja eller nej, ikke {row['leader']!r}"
    leads_people = _parse_leads_people(row, leader in _YES)
    if isinstance(leads_people, str):
        return leads_people
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            return f"ugyldig e-mailadresse {row['email']!r}"
    if not row["unit"]:
        return "unit mangler"
    roles = _parse_roles(row)
    if isinstance(roles, str):
        return roles
    med = _parse_person_med(row)
    if isinstance(med, str):
        return med
    return _PersonRow(
        line,
        row["code"],
        row["name"],
        row["email"],
        row["username"],
        row["title"],
        row["unit"],
        leader in _YES,
        row["own_leader"],
        roles,
        row.get("sso_id"),
        leads_people,
        med,
    )


def _parse_roles(row: dict[str, str]) -> tuple[tuple[str, str], ...] | str:
    """The person row's roles as (role, scope unit code), or the reason they are wrong."""
    roles: list[tuple[str, str]] = []
    role_error = None
    for part in filter(None, (p.strip() for p in row["roles"].replace("|", ";").split(";"))):
        name, _sep, scope = part.partition(":")
        name, scope = name.strip().lower(), scope.strip()
        if name not in RoleAssignment.Role.values:
            role_error = f"ukendt rolle {name!r}"
        elif name != RoleAssignment.Role.ADMINISTRATOR and not scope:
            role_error = f"rollen {name} skal have en enhed, fx {name}:KODE"
        roles.append((name, scope))
    if role_error:  # the last bad role is the one reported
        return role_error
    return tuple(roles)


def _parse_leads_people(row: dict[str, str], leader: bool) -> bool | str | None:
    """The optional `leads_people` column: None without the column, else the flag, or the
    reason it is wrong."""
    value = row.get("leads_people")
    if value is None:
        return None
    value = value.lower()
    if value not in _YES | _NO:
        return f"leads_people skal være ja eller nej, ikke {row['leads_people']!r}"
    if value in _YES and leader:
        return "leads_people er for ledere, der ikke er leder af enheden: leader og leads_people er begge ja"
    return value in _YES


# The `med` column's words, compared without case, hyphens, spaces and with æ, ø, å spelled out.
_MED_KINDS = {
    "hovedudvalg": MedCommittee.Kind.HOVEDUDVALG,
    "hovedmed": MedCommittee.Kind.HOVEDUDVALG,
    "hovedmedudvalg": MedCommittee.Kind.HOVEDUDVALG,
    "omraade": MedCommittee.Kind.OMRAADE,
    "omraademed": MedCommittee.Kind.OMRAADE,
    "omraademedudvalg": MedCommittee.Kind.OMRAADE,
    "omraadeudvalg": MedCommittee.Kind.OMRAADE,
    "lokal": MedCommittee.Kind.LOKAL,
    "lokalmed": MedCommittee.Kind.LOKAL,
    "lokalmedudvalg": MedCommittee.Kind.LOKAL,
    "lokaludvalg": MedCommittee.Kind.LOKAL,
}
_MED_ROLES: dict[str, str] = {
    "formand": MedMembership.Role.FORMAND,
    "naestformand": MedMembership.Role.NAESTFORMAND,
    "medlem": MedMembership.Role.MEDLEM,
}
_MED_ROLE_LABELS: dict[str, str] = {
    MedMembership.Role.FORMAND: "formand",
    MedMembership.Role.NAESTFORMAND: "næstformand",
    MedMembership.Role.MEDLEM: "medlem",
}


def _med_word(value: str) -> str:
    value = value.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return "".join(ch for ch in value if ch.isalnum())


def _parse_unit_med(row: dict[str, str]) -> tuple[str, str] | str | None:
    """The unit row's committee (kind or "" for none, name), None without the med column,
    or the reason it is wrong."""
    value = row.get("med")
    name = row.get("med_name") or ""
    if value is None:
        return "kolonnen med_name kræver kolonnen med" if name else None
    if not value:
        return "med_name er udfyldt, men med er tom (angiv udvalgets type)" if name else ("", "")
    kind = _MED_KINDS.get(_med_word(value))
    if kind is None:
        return f"ukendt MED-udvalg {value!r} (brug hovedudvalg, omraade eller lokal)"
    if len(name) > MED_NAME_MAX_LENGTH:
        return f"med_name må højst være {MED_NAME_MAX_LENGTH} tegn"
    if CONTROL_CHARACTERS.search(name):
        return "med_name indeholder et usynligt kontroltegn"
    return kind, name


def _parse_person_med(row: dict[str, str]) -> tuple[tuple[str, str], ...] | str | None:
    """The person row's seats as (role, unit code), None without the med column, or the
    reason it is wrong."""
    value = row.get("med")
    if value is None:
        return None
    seats: list[tuple[str, str]] = []
    for part in filter(None, (p.strip() for p in value.replace("|", ";").split(";"))):
        name, _sep, unit = part.partition(":")
        role, unit = _MED_ROLES.get(_med_word(name)), unit.strip()
        if role is None:
            return f"med: ukendt rolle {name.strip()!r} (brug formand, næstformand eller medlem)"
        if not unit:
            return f"med: {_MED_ROLE_LABELS[role]} skal have en enhed, fx {_MED_ROLE_LABELS[role]}:KODE"
        if any(u == unit for _r, u in seats):
            return f"med: MED-udvalget ved {unit!r} står to gange"
        seats.append((role, unit))
    return tuple(seats)


# --- What the database holds ------------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    """An existing account, as far as the import cares."""

    person: str | None  # employee id of the person linked to it; None: no person
    privileged: bool  # a staff or superuser account


@dataclass(frozen=True)
class _Snapshot:
    """What the database holds before the import, read once (a few queries)."""

    units: dict[str, Unit]  # code -> unit
    parent_code: dict[str, str]  # unit code -> its parent's code ("" for a region's top unit)
    people: dict[str, Person]  # employee id -> person (with user and unit)
    roles: dict[int, set[tuple[str, int | None]]]  # person pk -> (role, scope unit pk)
    accounts: dict[str, _Account]  # username -> account
    leader_of_unit: dict[str, str]  # unit code -> employee id of its leader
    # Read only when the file has the med column:
    committees: dict[str, MedCommittee] = field(default_factory=dict)  # unit code -> its committee
    seats: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # employee id -> (role, unit code)

    @classmethod
    def load(cls, *, with_med: bool = False) -> _Snapshot:
        units = {u.code: u for u in Unit.objects.all()}
        code_at = {u.path: u.code for u in units.values()}
        parent_code = {u.code: code_at.get(u.path[: -Unit.steplen], "") for u in units.values()}
        people = {p.employee_id: p for p in Person.objects.select_related("user", "unit")}
        roles: dict[int, set[tuple[str, int | None]]] = {}
        for person_id, role, unit_id in RoleAssignment.objects.values_list("person_id", "role", "unit_id"):
            roles.setdefault(person_id, set()).add((role, unit_id))
        person_of_user = {p.user_id: p.employee_id for p in people.values() if p.user_id}
        accounts = {
            username: _Account(person=person_of_user.get(pk), privileged=is_staff or is_superuser)
            for pk, username, is_staff, is_superuser in User.objects.values_list(
                "pk", "username", "is_staff", "is_superuser"
            )
        }
        leader_of_unit = {p.unit.code: p.employee_id for p in people.values() if p.is_leader}
        committees: dict[str, MedCommittee] = {}
        seats: dict[str, set[tuple[str, str]]] = {}
        if with_med:
            committees = {c.unit.code: c for c in MedCommittee.objects.select_related("unit")}
            for employee_id, role, code in MedMembership.objects.values_list(
                "person__employee_id", "role", "committee__unit__code"
            ):
                seats.setdefault(employee_id, set()).add((role, code))
        return cls(units, parent_code, people, roles, accounts, leader_of_unit, committees, seats)


# --- Checking the rows against each other and the database -----------------------------------


def _check_references(units: list[_UnitRow], people: list[_PersonRow], db: _Snapshot) -> Errors:
    known_units = {u.code for u in units} | set(db.units)
    return (
        _check_unit_parents(units, known_units, db)
        + _check_rings(units, db)
        + _check_region_names(units, db)
        + _check_people(people, known_units, db)
        + _check_usernames(people, db)
        + _check_sso_ids(people, db)
        + _check_roles(people, units, known_units, db)
        + _check_leaders(people, db)
        + _check_med(units, people, known_units, db)
    )


def _check_unit_parents(units: list[_UnitRow], known_units: set[str], db: _Snapshot) -> Errors:
    errors: Errors = []
    for u in units:
        if u.parent and u.parent not in known_units:
            errors.append((u.line, f"parent {u.parent!r} findes ikke"))
        elif u.parent == u.code:
            errors.append((u.line, "en enhed kan ikke være sin egen parent"))
        elif u.code in db.units and not u.parent and db.parent_code[u.code]:
            errors.append((u.line, "en eksisterende enhed kan ikke gøres til region"))
    return errors


def _check_rings(units: list[_UnitRow], db: _Snapshot) -> Errors:
    """A unit may not end up under itself, through the file's parents or the database's."""
    parents = {**db.parent_code, **{u.code: u.parent for u in units}}
    in_ring = _in_or_under_a_ring(parents)
    return [(u.line, "parent-kæden går i ring") for u in units if u.code in in_ring]


def _in_or_under_a_ring(parents: dict[str, str]) -> set[str]:
    """The codes whose chain of parents runs into a ring (the ring's own units included)."""
    graph = {code: {parent} if parent else set() for code, parent in parents.items()}
    in_ring: set[str] = set()
    while True:
        try:
            order = list(TopologicalSorter(graph).static_order())
            break
        except CycleError as exc:
            ring = exc.args[1]
            in_ring.update(ring)
            for code in ring:  # cut this ring to look for the next one
                graph[code] = set()
    for code in order:  # parents first, so whatever hangs below a ring is marked too
        if parents.get(code) in in_ring:
            in_ring.add(code)
    return in_ring


def _check_region_names(units: list[_UnitRow], db: _Snapshot) -> Errors:
    """A region is known by its top unit's code: its name may not be another region's.
    A region made as a placeholder (before the import) is adopted by name."""
    errors: Errors = []
    region_by_name = {r.name: r.pk for r in Region.objects.all()}
    region_of_top = {code: unit.region_id for code, unit in db.units.items() if not db.parent_code[code]}
    for u in units:
        if u.kind != Unit.Kind.REGION:
            continue
        named = region_by_name.get(u.name)
        own = region_of_top.get(u.code)
        if named is None:
            continue
        if own is not None and named != own:
            errors.append((u.line, f"der findes allerede en anden region med navnet {u.name!r}"))
        elif own is None:
            top = next((c for c, r in region_of_top.items() if r == named), None)
            if top is not None and not top.startswith(PLACEHOLDER_PREFIX):
                errors.append((u.line, f"regionen {u.name!r} findes allerede med koden {top!r}"))
    return errors


def _check_people(people: list[_PersonRow], known_units: set[str], db: _Snapshot) -> Errors:
    errors: Errors = []
    known_people = {p.code for p in people} | set(db.people)
    leader_line: dict[str, int] = {}
    for p in people:
        if p.unit not in known_units:
            errors.append((p.line, f"unit {p.unit!r} findes ikke"))
        if p.own_leader and p.own_leader not in known_people:
            errors.append((p.line, f"own_leader {p.own_leader!r} findes ikke"))
        if p.own_leader == p.code:
            errors.append((p.line, "en person kan ikke være sin egen leder"))
        if p.leader:
            if p.unit in leader_line:
                errors.append((p.line, f"enheden {p.unit!r} har allerede en leder på linje {leader_line[p.unit]}"))
            leader_line[p.unit] = p.line
    return errors


def _check_usernames(people: list[_PersonRow], db: _Snapshot) -> Errors:
    errors: Errors = []
    line_of: dict[str, int] = {}
    for p in people:
        if not p.username:
            continue
        if p.username in line_of:
            errors.append((p.line, f"username {p.username!r} står også på linje {line_of[p.username]}"))
        line_of[p.username] = p.line
        account = db.accounts.get(p.username)
        if account is None or account.person == p.code:
            continue  # a new account, or the person's own
        if account.person is not None:
            errors.append((p.line, f"username {p.username!r} tilhører allerede {account.person}"))
        elif p.code in db.people and db.people[p.code].user_id:
            # The person has an account already; renaming it onto another account's name
            # is not possible.
            errors.append((p.line, f"username {p.username!r} er en anden konto end personens egen"))
        elif account.privileged:
            # A staff or superuser account made by hand is not taken over silently.
            errors.append((p.line, f"username {p.username!r} er en administratorkonto uden person; knyt den i admin"))
    return errors


def _check_sso_ids(people: list[_PersonRow], db: _Snapshot) -> Errors:
    """An sso_id names one person: not twice in the file, not another person's in the
    database (to move one, clear it from its person in an import first)."""
    errors: Errors = []
    owner = {p.sso_id: code for code, p in db.people.items() if p.sso_id}
    line_of: dict[str, int] = {}
    for p in people:
        if not p.sso_id:
            continue
        if p.sso_id in line_of:
            errors.append((p.line, f"sso_id {p.sso_id!r} står også på linje {line_of[p.sso_id]}"))
        line_of[p.sso_id] = p.line
        if owner.get(p.sso_id, p.code) != p.code:
            errors.append((p.line, f"sso_id {p.sso_id!r} tilhører allerede {owner[p.sso_id]}"))
    return errors


def _check_roles(people: list[_PersonRow], units: list[_UnitRow], known_units: set[str], db: _Snapshot) -> Errors:
    errors: Errors = []
    kind_in_file = {u.code: u.kind for u in units}
    for p in people:
        for role, scope in p.roles:
            if role == RoleAssignment.Role.ADMINISTRATOR:
                continue
            if scope not in known_units:
                errors.append((p.line, f"rollen {role}: enheden {scope!r} findes ikke"))
                continue
            kind = kind_in_file[scope] if scope in kind_in_file else db.units[scope].kind
            if role == RoleAssignment.Role.KONCERNLEDELSE and kind != Unit.Kind.REGION:
                errors.append((p.line, "koncernledelse skal knyttes til en region"))
    return errors


def _check_leaders(people: list[_PersonRow], db: _Snapshot) -> Errors:
    """A leader outside the file stays, so a new leader from the file would be a second."""
    in_file = {p.code for p in people}
    leader_line = {p.unit: p.line for p in people if p.leader}
    errors: Errors = []
    for unit, line in leader_line.items():
        current = db.leader_of_unit.get(unit)
        if current and current not in in_file:
            errors.append((line, f"enheden {unit!r} har allerede lederen {current}"))
    return errors


def _check_med(units: list[_UnitRow], people: list[_PersonRow], known_units: set[str], db: _Snapshot) -> Errors:
    """Seats name a unit with a committee (after the import), and a committee has one
    formand and one næstformand, counting the seats of people outside the file."""
    with_committee = {code for code in db.committees} | {u.code for u in units if u.med_kind}
    with_committee -= {u.code for u in units if u.med_kind == ""}
    errors: Errors = []
    # (unit code, role) -> where its one holder is: a line of the file, or an employee id.
    holder: dict[tuple[str, str], int | str] = {
        (code, role): employee_id
        for employee_id, seats in db.seats.items()
        if employee_id not in {p.code for p in people}
        for role, code in seats
        if role != MedMembership.Role.MEDLEM and code in with_committee
    }
    for p in people:
        for role, code in p.med or ():
            if code not in known_units:
                errors.append((p.line, f"med: enheden {code!r} findes ikke"))
            elif code not in with_committee:
                errors.append((p.line, f"med: enheden {code!r} har intet MED-udvalg (angiv med på enhedens linje)"))
            elif role != MedMembership.Role.MEDLEM:
                other = holder.setdefault((code, role), p.line)
                if other != p.line:
                    where = f"på linje {other}" if isinstance(other, int) else f"({other})"
                    errors.append(
                        (p.line, f"med: MED-udvalget ved {code!r} har allerede en {_MED_ROLE_LABELS[role]} {where}")
                    )
    return errors


# --- Writing units ----------------------------------------------------------------------------


def _import_units(rows: list[_UnitRow], db: _Snapshot, *, with_med: bool = False) -> list[Status]:
    statuses = {row.code: _import_unit(row, db) for row in _parents_first(rows)}
    if with_med:
        for code in _med_committees_write(rows, db):
            if statuses[code] == Status.UNCHANGED:
                statuses[code] = Status.UPDATED
    return list(statuses.values())


def _med_committees_write(rows: list[_UnitRow], db: _Snapshot) -> set[str]:
    """The file's units get the committees the file names (and lose those it leaves out);
    returns the codes of the units whose committee changed. Nothing is read when none did."""
    wanted_by_code: dict[str, tuple[str, str] | None] = {
        r.code: (r.med_kind, r.med_name or med_committee_default_name(unit_name=r.name)) if r.med_kind else None
        for r in rows
    }
    now = {code: (c.kind, c.name) for code, c in db.committees.items()}
    if all(now.get(code) == wanted for code, wanted in wanted_by_code.items()):
        return set()
    unit_pk = dict(Unit.objects.filter(code__in=[r.code for r in rows]).values_list("code", "pk"))
    wanted = {unit_pk[code]: value for code, value in wanted_by_code.items()}
    current = {c.unit_id: c for c in db.committees.values()}
    changed = med_committees_set_for_units(committees=wanted, current=current)
    code_of = {pk: code for code, pk in unit_pk.items()}
    return {code_of[pk] for pk in changed}


def _parents_first(rows: list[_UnitRow]) -> list[_UnitRow]:
    """The rows ordered so a unit comes after its parent (siblings keep the file's order).
    The checks have ruled rings out."""
    by_code = {u.code: u for u in rows}
    graph = {u.code: {u.parent} if u.parent in by_code else set() for u in rows}
    return [by_code[code] for code in TopologicalSorter(graph).static_order()]


def _import_unit(row: _UnitRow, db: _Snapshot) -> Status:
    unit = db.units.get(row.code)
    parent_code = db.parent_code.get(row.code)
    if unit is not None and (parent_code, unit.name, unit.kind) == (row.parent, row.name, row.kind):
        return Status.UNCHANGED
    # Re-read the parent: units added or moved earlier in this import may have changed its path.
    parent = Unit.objects.select_related("region").get(code=row.parent) if row.parent else None
    region = parent.region if parent is not None else _region_of_top_unit(row, unit)
    if unit is None:
        unit = _placeholder_for(row, region)
        if unit is None:
            fields = {"code": row.code, "name": row.name, "kind": row.kind, "region": region}
            if parent is None:
                Unit.objects.add_root(create_kwargs=fields)
            else:
                Unit.objects.add_child(parent, create_kwargs=fields)
            return Status.CREATED
        parent_code = db.parent_code.get(unit.code)  # adopted: it sits where it was made
    if parent is not None and parent_code != row.parent:
        Unit.objects.move(Unit.objects.get(pk=unit.pk), parent, pos="last-child")
    moved = Unit.objects.get(pk=unit.pk)
    Unit.objects.get_descendants(moved, include_self=True).exclude(region=region).update(region=region)
    Unit.objects.filter(pk=unit.pk).update(code=row.code, name=row.name, kind=row.kind)
    return Status.UPDATED


def _region_of_top_unit(row: _UnitRow, unit: Unit | None) -> Region:
    """The region of a region's top unit: the unit's own, renamed when the name changed (a
    region is known by its top unit's code), a placeholder region of that name, or a new one."""
    region = unit.region if unit is not None else Region.objects.filter(name=row.name).first()
    if region is None:
        return region_create(name=row.name)
    if region.name != row.name:
        Region.objects.filter(pk=region.pk).update(name=row.name)
        region.name = row.name
    return region


def _placeholder_for(row: _UnitRow, region: Region) -> Unit | None:
    """A placeholder unit (made before the organisation was imported) that the row adopts:
    the region's top unit, or a unit of the same name in the region."""
    qs = Unit.objects.filter(region=region, code__startswith=PLACEHOLDER_PREFIX)
    if row.kind == Unit.Kind.REGION:
        return qs.filter(depth=1).first()
    return qs.filter(name=row.name).first()


# --- Writing people ---------------------------------------------------------------------------


def _import_people(rows: list[_PersonRow], db: _Snapshot, *, with_med: bool = False) -> list[Status]:
    """Create and update people, their accounts and roles in bulk: a re-import of an
    unchanged file of thousands of people runs a handful of queries.

    Each phase writes in bulk, keeps the Person objects in step with their rows, and returns
    the employee ids it changed; a person is then created, updated or unchanged.
    """
    unit_pk = dict(Unit.objects.values_list("code", "pk"))
    existing = {r.code: db.people[r.code] for r in rows if r.code in db.people}

    stepped_down = _leaders_step_down(rows, existing, unit_pk)
    people, created, updated = _people_write(rows, existing, unit_pk)
    accounts = _accounts_write(rows, people)
    roles = _roles_write(rows, people, unit_pk, db.roles)
    # Everyone in the file with an account, so a role or username dropped from the file
    # takes the admin access away too.
    people_sync_admin_access(people=[p for p in people.values() if p.user_id])
    own_leaders = _own_leaders_write(rows, people, db.people)
    seats = _med_seats_write(rows, people, db) if with_med else set()

    changed = stepped_down | updated | accounts | roles | own_leaders | seats
    return [
        Status.CREATED if r.code in created else Status.UPDATED if r.code in changed else Status.UNCHANGED for r in rows
    ]


def _leaders_step_down(rows: list[_PersonRow], existing: dict[str, Person], unit_pk: dict[str, int]) -> set[str]:
    """Leaders stepping down or moving to another unit go first, so a new leader of their
    old unit (two leaders swapping units, too) passes the one-leader-per-unit constraint."""
    leaving = [
        existing[r.code]
        for r in rows
        if r.code in existing
        and existing[r.code].is_leader
        and (not r.leader or existing[r.code].unit_id != unit_pk[r.unit])
    ]
    if leaving:
        Person.objects.filter(pk__in=[p.pk for p in leaving]).update(is_leader=False)
    for person in leaving:
        person.is_leader = False
    return {p.employee_id for p in leaving}


def _people_write(
    rows: list[_PersonRow], existing: dict[str, Person], unit_pk: dict[str, int]
) -> tuple[dict[str, Person], set[str], set[str]]:
    """The file's people (employee id -> person, saved), and which were created and updated."""
    fields = ("name", "email", "title", "unit_id", "is_leader", "sso_id", "leads_people")
    people: dict[str, Person] = {}
    new, changed = [], []
    for r in rows:
        wanted = {"name": r.name, "email": r.email, "title": r.title, "unit_id": unit_pk[r.unit], "is_leader": r.leader}
        if r.sso_id is not None:
            wanted["sso_id"] = r.sso_id
        if r.leads_people is not None:
            wanted["leads_people"] = r.leads_people
        person = existing.get(r.code)
        if person is None:
            person = Person(employee_id=r.code, **wanted)
            new.append(person)
        elif _assign(person, wanted):
            changed.append(person)
        people[r.code] = person
    Person.objects.bulk_update(changed, fields, batch_size=1000)
    Person.objects.bulk_create(new, batch_size=1000)
    return people, {p.employee_id for p in new}, {p.employee_id for p in changed}


def _accounts_write(rows: list[_PersonRow], people: dict[str, Person]) -> set[str]:
    """Accounts for people with a username, made or updated and linked. Passwords are never
    set here (imported accounts sign in through SSO, or get a password from an administrator)."""
    rows = [r for r in rows if r.username]
    by_name = {u.username: u for u in User.objects.filter(username__in=[r.username for r in rows])}
    new, changed, linked = [], [], []
    touched: set[str] = set()
    for r in rows:
        person = people[r.code]
        first, last = _split_name(r.name)
        wanted = {"username": r.username, "email": r.email, "first_name": first, "last_name": last}
        user = person.user if person.user_id else by_name.get(r.username)
        if user is None:
            user = User(**wanted)
            user.set_unusable_password()
            new.append(user)
        elif _assign(user, wanted):
            changed.append(user)
            touched.add(r.code)
        if person.user_id is None or person.user_id != user.pk:
            person.user = user
            linked.append(person)
            touched.add(r.code)
    User.objects.bulk_create(new, batch_size=1000)
    User.objects.bulk_update(changed, ["username", "email", "first_name", "last_name"], batch_size=1000)
    for person in linked:
        person.user_id = person.user.pk  # the new users have their pk only now
    Person.objects.bulk_update(linked, ["user"], batch_size=1000)
    return touched


def _roles_write(
    rows: list[_PersonRow],
    people: dict[str, Person],
    unit_pk: dict[str, int],
    current_roles: dict[int, set[tuple[str, int | None]]],
) -> set[str]:
    """The file is the whole truth about the roles of the people in it."""
    stale: list[tuple[int, str, int | None]] = []
    new: list[RoleAssignment] = []
    touched: set[str] = set()
    for r in rows:
        person = people[r.code]
        wanted = {(role, unit_pk[scope] if scope else None) for role, scope in r.roles}
        current = current_roles.get(person.pk, set())
        if wanted == current:
            continue
        stale += [(person.pk, role, unit_id) for role, unit_id in current - wanted]
        new += [RoleAssignment(person=person, role=role, unit_id=unit_id) for role, unit_id in wanted - current]
        touched.add(r.code)
    for person_id, role, unit_id in stale:
        RoleAssignment.objects.filter(person_id=person_id, role=role, unit_id=unit_id).delete()
    RoleAssignment.objects.bulk_create(new, batch_size=1000)
    entries = []
    unit_codes = {pk: code for code, pk in unit_pk.items()}
    for person_id in {p for p, _r, _u in stale} | {a.person.pk for a in new}:
        entries += role_change_entries(
            person_id=person_id,
            added=[(a.role, a.unit_id) for a in new if a.person.pk == person_id],
            removed=[(r, u) for p, r, u in stale if p == person_id],
            actor=None,
            unit_codes=unit_codes,
        )
    audit_record_many(entries=entries)
    return touched


def _own_leaders_write(rows: list[_PersonRow], people: dict[str, Person], everyone: dict[str, Person]) -> set[str]:
    """Own leaders last: they may point at people further down the file, or outside it."""
    changed = []
    for r in rows:
        person = people[r.code]
        wanted = None
        if r.own_leader:
            wanted = (people[r.own_leader] if r.own_leader in people else everyone[r.own_leader]).pk
        if person.own_leader_id != wanted:
            person.own_leader_id = wanted
            changed.append(person)
    Person.objects.bulk_update(changed, ["own_leader"], batch_size=1000)
    return {p.employee_id for p in changed}


def _med_seats_write(rows: list[_PersonRow], people: dict[str, Person], db: _Snapshot) -> set[str]:
    """The file is the whole truth about the MED seats of the people in it; returns the
    employee ids whose seats changed. Only the people whose seats differ from the snapshot
    are read again and written (two queries to read, a few to write; none when none differ)."""
    rows = [r for r in rows if set(r.med or ()) != db.seats.get(r.code, set())]
    if not rows:
        return set()
    committee_pk = dict(MedCommittee.objects.values_list("unit__code", "pk"))
    unit_codes = {pk: code for code, pk in committee_pk.items()}
    current: dict[int, dict[tuple[int, str], int]] = {}
    for pk, person_id, committee_id, role in MedMembership.objects.filter(
        person__in=[people[r.code] for r in rows]
    ).values_list("pk", "person_id", "committee_id", "role"):
        current.setdefault(person_id, {})[(committee_id, role)] = pk
    wanted = {people[r.code].pk: {(committee_pk[code], role) for role, code in r.med or ()} for r in rows}
    changed = med_seats_set_for_people(seats=wanted, current=current, unit_codes=unit_codes)
    return {p.employee_id for p in people.values() if p.pk in changed}


def _assign(obj: Person | User, wanted: dict[str, object]) -> bool:
    """Set the wanted field values on `obj`; True when any differed."""
    return bool(model_update(instance=obj, data=wanted))


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = name.rpartition(" ")
    return (first, last) if first else (last, "")
