"""Writes to the organisation."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from ledelse.models import Person, Region, RoleAssignment, Unit, User

IMPORT_COLUMNS = ("kind", "code", "name", "parent", "unit_kind", "email", "username", "title", "unit", "leader", "own_leader", "roles")
_YES = {"yes", "ja", "1", "true", "x"}
_NO = {"no", "nej", "0", "false", ""}
HR_GROUP = "HR"


class OrganisationImportError(Exception):
    """The file has errors; nothing was written. `errors` holds (line number, reason)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("\n".join(f"linje {line}: {reason}" for line, reason in errors))


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"unit": 0, "person": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"unit": 0, "person": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"unit": 0, "person": 0})

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


@dataclass
class _UnitRow:
    line: int
    code: str
    name: str
    parent: str
    kind: str


@dataclass
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
    roles: list[tuple[str, str]]


def _read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    rows = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        rows.append((reader.line_num, {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}))
    return header, rows


def _parse(text: str) -> tuple[list[_UnitRow], list[_PersonRow], list[tuple[int, str]]]:
    errors: list[tuple[int, str]] = []
    header, rows = _read_rows(text)
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        return [], [], [(1, "mangler kolonnerne: " + ", ".join(missing))]
    units: list[_UnitRow] = []
    people: list[_PersonRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        kind = row["kind"].lower()
        code = row["code"]
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
        if kind == "unit":
            unit_kind = row["unit_kind"] or Unit.Kind.OTHER
            if unit_kind not in Unit.Kind.values:
                errors.append((line, f"ukendt unit_kind {unit_kind!r} (brug {', '.join(Unit.Kind.values)})"))
                continue
            if not row["parent"] and unit_kind != Unit.Kind.REGION:
                errors.append((line, "en enhed uden parent skal have unit_kind region"))
                continue
            if row["parent"] and unit_kind == Unit.Kind.REGION:
                errors.append((line, "en region kan ikke have en parent"))
                continue
            units.append(_UnitRow(line, code, row["name"], row["parent"], unit_kind))
        else:
            leader = row["leader"].lower()
            if leader not in _YES | _NO:
                errors.append((line, f"leader skal være ja eller nej, ikke {row['leader']!r}"))
                continue
            if row["email"]:
                try:
                    validate_email(row["email"])
                except ValidationError:
                    errors.append((line, f"ugyldig e-mailadresse {row['email']!r}"))
                    continue
            if not row["unit"]:
                errors.append((line, "unit mangler"))
                continue
            roles: list[tuple[str, str]] = []
            role_error = None
            for part in filter(None, (p.strip() for p in row["roles"].replace("|", ";").split(";"))):
                name, _sep, scope = part.partition(":")
                name = name.strip().lower()
                if name not in RoleAssignment.Role.values:
                    role_error = f"ukendt rolle {name!r}"
                elif name != RoleAssignment.Role.ADMINISTRATOR and not scope.strip():
                    role_error = f"rollen {name} skal have en enhed, fx {name}:KODE"
                roles.append((name, scope.strip()))
            if role_error:
                errors.append((line, role_error))
                continue
            people.append(
                _PersonRow(line, code, row["name"], row["email"], row["username"], row["title"], row["unit"], leader in _YES, row["own_leader"], roles)
            )
    return units, people, errors


def _validate_references(units: list[_UnitRow], people: list[_PersonRow]) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []
    file_units = {u.code: u for u in units}
    db_units = {u.code: u for u in Unit.objects.all()}
    known_units = set(file_units) | set(db_units)

    def unit_kind(code: str) -> str | None:
        if code in file_units:
            return file_units[code].kind
        return db_units[code].kind if code in db_units else None

    for u in units:
        if u.parent and u.parent not in known_units:
            errors.append((u.line, f"parent {u.parent!r} findes ikke"))
        elif u.parent == u.code:
            errors.append((u.line, "en enhed kan ikke være sin egen parent"))
    # A parent cycle inside the file would never resolve.
    for u in units:
        seen, cursor = set(), u
        while cursor.parent in file_units and cursor.code not in seen:
            seen.add(cursor.code)
            cursor = file_units[cursor.parent]
        if cursor.code in seen:
            errors.append((u.line, "parent-kæden går i ring"))

    file_people = {p.code: p for p in people}
    known_people = set(file_people) | set(Person.objects.values_list("employee_id", flat=True))
    leaders_in_file: dict[str, int] = {}
    usernames: dict[str, int] = {}
    for p in people:
        if p.unit not in known_units:
            errors.append((p.line, f"unit {p.unit!r} findes ikke"))
        if p.own_leader and p.own_leader not in known_people:
            errors.append((p.line, f"own_leader {p.own_leader!r} findes ikke"))
        if p.own_leader == p.code:
            errors.append((p.line, "en person kan ikke være sin egen leder"))
        if p.leader:
            if p.unit in leaders_in_file:
                errors.append((p.line, f"enheden {p.unit!r} har allerede en leder på linje {leaders_in_file[p.unit]}"))
            leaders_in_file[p.unit] = p.line
        if p.username:
            if p.username in usernames:
                errors.append((p.line, f"username {p.username!r} står også på linje {usernames[p.username]}"))
            usernames[p.username] = p.line
            other = Person.objects.filter(user__username=p.username).exclude(employee_id=p.code).first()
            if other:
                errors.append((p.line, f"username {p.username!r} tilhører allerede {other.employee_id}"))
        for role, scope in p.roles:
            if role == RoleAssignment.Role.ADMINISTRATOR:
                continue
            if scope not in known_units:
                errors.append((p.line, f"rollen {role}: enheden {scope!r} findes ikke"))
            elif role == RoleAssignment.Role.KONCERNLEDELSE and unit_kind(scope) != Unit.Kind.REGION:
                errors.append((p.line, "koncernledelse skal knyttes til en region"))
    # Leaders outside the file who would collide with a new leader from the file.
    for code, line in leaders_in_file.items():
        clash = Person.objects.filter(unit__code=code, is_leader=True).exclude(employee_id__in=file_people).first()
        if clash:
            errors.append((line, f"enheden {code!r} har allerede lederen {clash.employee_id}"))
    return errors


def _sorted_parents_first(units: list[_UnitRow]) -> list[_UnitRow]:
    by_code = {u.code: u for u in units}
    ordered: list[_UnitRow] = []
    placed: set[str] = set()

    def place(u: _UnitRow) -> None:
        if u.code in placed:
            return
        if u.parent in by_code:
            place(by_code[u.parent])
        placed.add(u.code)
        ordered.append(u)

    for u in units:
        place(u)
    return ordered


def _import_unit(row: _UnitRow, report: ImportReport) -> None:
    existing = Unit.objects.filter(code=row.code).first()
    if row.kind == Unit.Kind.REGION:
        region, _ = Region.objects.get_or_create(name=row.name, defaults={"slug": slugify(row.name)})
        parent = None
    else:
        # Re-read the parent: moves earlier in this import may have changed its path.
        parent = Unit.objects.get(code=row.parent)
        region = parent.region
    if existing is None:
        fields = {"code": row.code, "name": row.name, "kind": row.kind, "region": region}
        if parent is None:
            Unit.objects.add_root(create_kwargs=fields)
        else:
            Unit.objects.add_child(parent, create_kwargs=fields)
        report.created["unit"] += 1
        return
    current_parent = Unit.objects.get_parent(existing)
    moved = (current_parent.code if current_parent else "") != row.parent
    changed = moved or existing.name != row.name or existing.kind != row.kind or existing.region_id != region.pk
    if not changed:
        report.unchanged["unit"] += 1
        return
    if moved:
        if parent is None:
            raise OrganisationImportError([(row.line, "en eksisterende enhed kan ikke gøres til region")])
        Unit.objects.move(existing, parent, pos="last-child")
        existing = Unit.objects.get(pk=existing.pk)
    Unit.objects.filter(path__startswith=existing.path).exclude(region=region).update(region=region)
    Unit.objects.filter(pk=existing.pk).update(name=row.name, kind=row.kind)
    report.updated["unit"] += 1


def _sync_user(person: Person, row: _PersonRow) -> bool:
    """Create or update the account for a person with a username. Passwords are never set
    here: imported accounts sign in through SSO (or get a password from an administrator)."""
    if not row.username:
        return False
    first, _sep, last = row.name.rpartition(" ")
    wanted = {"username": row.username, "email": row.email, "first_name": first or last, "last_name": last if first else ""}
    user = person.user
    if user is None:
        user = User.objects.filter(username=row.username).first()
        if user is None:
            user = User(**wanted)
            user.set_unusable_password()
            user.save()
        person.user = user
        person.save(update_fields=["user"])
        return True
    if any(getattr(user, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(user, k, v)
        user.save()
        return True
    return False


def _sync_roles(person: Person, row: _PersonRow, units_by_code: dict[str, Unit]) -> bool:
    wanted = {(role, units_by_code[scope].pk if scope else None) for role, scope in row.roles}
    current = {(a.role, a.unit_id): a for a in person.roles.all()}
    changed = False
    for key, assignment in current.items():
        if key not in wanted:
            assignment.delete()
            changed = True
    for role, unit_id in wanted - set(current):
        RoleAssignment.objects.create(person=person, role=role, unit_id=unit_id)
        changed = True
    if person.user_id:
        changed |= user_sync_staff_flags(user=person.user, roles={r for r, _ in wanted})
    return changed


# HR keeps the frameworks up to date in the Django admin: these are the models it edits.
HR_EDITS = {"values": ("framework", "frameworkversion", "item", "reflectionquestion", "itemlink")}


def hr_group_ensure() -> Group:
    """The HR group with its admin permissions (permissions exist only after migrate, so
    this runs when a role is synced rather than in a migration)."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=HR_EDITS.keys(),
        content_type__model__in=[m for models in HR_EDITS.values() for m in models],
    ).exclude(codename="delete_framework")
    if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in wanted}:
        group.permissions.set(wanted)
    return group


def user_sync_staff_flags(*, user: User, roles: set[str]) -> bool:
    """Administrators get the Django admin in full; HR gets it for the frameworks (through
    the HR group's permissions)."""
    is_admin = RoleAssignment.Role.ADMINISTRATOR in roles
    is_hr = RoleAssignment.Role.HR in roles
    staff = is_admin or is_hr
    changed = False
    if user.is_staff != staff or user.is_superuser != is_admin:
        user.is_staff, user.is_superuser = staff, is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
        changed = True
    group = hr_group_ensure()
    in_group = user.groups.filter(pk=group.pk).exists()
    if is_hr and not in_group:
        user.groups.add(group)
        changed = True
    elif not is_hr and in_group:
        user.groups.remove(group)
        changed = True
    return changed


def _import_person(row: _PersonRow, units_by_code: dict[str, Unit]) -> tuple[Person, str]:
    """Create or update one person; returns the person and "created", "updated" or "unchanged"."""
    unit = units_by_code[row.unit]
    person = Person.objects.filter(employee_id=row.code).select_related("user").first()
    fields = {"name": row.name, "email": row.email, "title": row.title, "unit": unit, "is_leader": row.leader}
    if person is None:
        person = Person.objects.create(employee_id=row.code, **fields)
        _sync_user(person, row)
        _sync_roles(person, row, units_by_code)
        return person, "created"
    changed = any(getattr(person, k) != v for k, v in fields.items())
    if changed:
        for k, v in fields.items():
            setattr(person, k, v)
        person.save()
    changed |= _sync_user(person, row)
    changed |= _sync_roles(person, row, units_by_code)
    return person, "updated" if changed else "unchanged"


def organisation_import(*, text: str) -> ImportReport:
    """Import units and people from CSV text (columns in IMPORT_COLUMNS; see the README).

    All rows are checked first; any error raises OrganisationImportError with every bad
    line and reason, and nothing is written. The writes run in one transaction, and a row
    that matches the database writes nothing, so importing the same file twice is a no-op.
    """
    units, people, errors = _parse(text)
    if not errors:
        errors = _validate_references(units, people)
    if errors:
        raise OrganisationImportError(sorted(errors))
    report = ImportReport()
    with transaction.atomic():
        for row in _sorted_parents_first(units):
            _import_unit(row, report)
        units_by_code = {u.code: u for u in Unit.objects.all()}
        # Leaders stepping down first, so a new leader of the same unit passes the
        # one-leader-per-unit constraint.
        stepping_down = set(
            Person.objects.filter(employee_id__in=[p.code for p in people if not p.leader], is_leader=True).values_list(
                "employee_id", flat=True
            )
        )
        Person.objects.filter(employee_id__in=stepping_down).update(is_leader=False)
        status: dict[str, str] = {}
        by_code: dict[str, Person] = {}
        for row in people:
            by_code[row.code], status[row.code] = _import_person(row, units_by_code)
            if row.code in stepping_down and status[row.code] == "unchanged":
                status[row.code] = "updated"
        # Own leaders last: they may point at people further down the file.
        for row in people:
            person = by_code[row.code]
            wanted = by_code[row.own_leader].pk if row.own_leader in by_code else (
                Person.objects.get(employee_id=row.own_leader).pk if row.own_leader else None
            )
            if person.own_leader_id != wanted:
                person.own_leader_id = wanted
                person.save(update_fields=["own_leader"])
                if status[row.code] == "unchanged":
                    status[row.code] = "updated"
        for value in status.values():
            getattr(report, value)["person"] += 1
    return report


DEMO_PASSWORD = "ledelse-demo"
DEMO_ACCOUNTS = ("leder", "leder2", "leder3", "hr", "koncern", "medarbejder", "admin")


def demo_seed() -> list[str]:
    """Give the demo accounts (made by the demo organisation file) their known password.
    Only the seed_demo command calls this, and it refuses to run in production."""
    users = list(User.objects.filter(username__in=DEMO_ACCOUNTS))
    for user in users:
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return sorted(u.username for u in users)


def region_ensure(*, name: str) -> Region:
    """The region with this name, created with its top unit if the organisation lacks it
    (the frameworks may be loaded before the organisation import)."""
    region = Region.objects.filter(name=name).first()
    if region is None:
        region = Region.objects.create(name=name, slug=slugify(name))
    if not Unit.objects.filter(region=region, depth=1).exists():
        Unit.objects.add_root(
            create_kwargs={"code": f"region-{region.slug}", "name": name, "kind": Unit.Kind.REGION, "region": region}
        )
    return region


def unit_ensure(*, region: Region, name: str) -> Unit:
    """The unit with this name in the region, created under the region's top unit if missing."""
    unit = Unit.objects.filter(region=region, name=name).order_by("depth").first()
    if unit is None:
        top = Unit.objects.filter(region=region, depth=1).order_by("path").first()
        unit = Unit.objects.add_child(
            top, create_kwargs={"code": f"{region.slug}-{slugify(name)}", "name": name, "kind": Unit.Kind.OTHER, "region": region}
        )
    return unit
