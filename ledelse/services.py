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
        rows.append(
            (
                reader.line_num,
                {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()},
            )
        )
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
                _PersonRow(
                    line,
                    code,
                    row["name"],
                    row["email"],
                    row["username"],
                    row["title"],
                    row["unit"],
                    leader in _YES,
                    row["own_leader"],
                    roles,
                )
            )
    return units, people, errors


@dataclass
class _Existing:
    """What the database holds, read once (a few queries) so that checking and comparing
    thousands of rows costs no query per row."""

    units: dict[str, Unit]
    parent_code: dict[str, str]
    people: dict[str, Person]
    roles: dict[int, set[tuple[str, int | None]]]
    usernames: dict[str, str]  # username -> employee id of the person who has it ("" if none)
    leader_of_unit: dict[str, str]  # unit code -> employee id of its leader
    privileged: set[str]  # usernames of staff and superuser accounts

    @classmethod
    def load(cls) -> _Existing:
        units = {u.code: u for u in Unit.objects.all()}
        by_path = {u.path: u.code for u in units.values()}
        parent_code = {u.code: by_path.get(u.path[: -Unit.steplen], "") for u in units.values()}
        people = {p.employee_id: p for p in Person.objects.select_related("user", "unit")}
        roles: dict[int, set[tuple[str, int | None]]] = {}
        for person_id, role, unit_id in RoleAssignment.objects.values_list("person_id", "role", "unit_id"):
            roles.setdefault(person_id, set()).add((role, unit_id))
        usernames = {}
        privileged = set()
        for username, is_staff, is_superuser in User.objects.values_list("username", "is_staff", "is_superuser"):
            usernames[username] = ""
            if is_staff or is_superuser:
                privileged.add(username)
        for p in people.values():
            if p.user_id:
                usernames[p.user.username] = p.employee_id
        leader_of_unit = {p.unit.code: p.employee_id for p in people.values() if p.is_leader}
        return cls(units, parent_code, people, roles, usernames, leader_of_unit, privileged)


def _validate_references(units: list[_UnitRow], people: list[_PersonRow], db: _Existing) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []
    file_units = {u.code: u for u in units}
    known_units = set(file_units) | set(db.units)

    def unit_kind(code: str) -> str | None:
        if code in file_units:
            return file_units[code].kind
        return db.units[code].kind if code in db.units else None

    for u in units:
        if u.parent and u.parent not in known_units:
            errors.append((u.line, f"parent {u.parent!r} findes ikke"))
        elif u.parent == u.code:
            errors.append((u.line, "en enhed kan ikke være sin egen parent"))
        elif u.code in db.units and not u.parent and db.parent_code[u.code]:
            errors.append((u.line, "en eksisterende enhed kan ikke gøres til region"))
    # A unit may not end up under itself, through the file's parents or the database's.
    parents = {**db.parent_code, **{u.code: u.parent for u in units}}
    for u in units:
        seen, cursor = set(), u.code
        while cursor and cursor not in seen:
            seen.add(cursor)
            cursor = parents.get(cursor, "")
        if cursor:
            errors.append((u.line, "parent-kæden går i ring"))
    region_names = {r.name: r.pk for r in Region.objects.all()}
    region_of_top = {code: unit.region_id for code, unit in db.units.items() if not db.parent_code[code]}
    for u in units:
        if u.kind != Unit.Kind.REGION:
            continue
        clash = region_names.get(u.name)
        own = region_of_top.get(u.code)
        if clash is not None and own is not None and clash != own:
            errors.append((u.line, f"der findes allerede en anden region med navnet {u.name!r}"))
        elif clash is not None and own is None:
            top = next((c for c, r in region_of_top.items() if r == clash), None)
            if top is not None and not top.startswith(PLACEHOLDER_PREFIX):
                errors.append((u.line, f"regionen {u.name!r} findes allerede med koden {top!r}"))

    file_people = {p.code: p for p in people}
    known_people = set(file_people) | set(db.people)
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
            owner = db.usernames.get(p.username)
            existing = db.people.get(p.code)
            if owner and owner != p.code:
                errors.append((p.line, f"username {p.username!r} tilhører allerede {owner}"))
            elif owner == "" and existing is not None and existing.user_id:
                # The person has an account already; renaming it onto another account's
                # name is not possible.
                errors.append((p.line, f"username {p.username!r} er en anden konto end personens egen"))
            elif owner == "" and p.username in db.privileged:
                # A staff or superuser account made by hand is not taken over silently.
                errors.append(
                    (p.line, f"username {p.username!r} er en administratorkonto uden person; knyt den i admin")
                )
        for role, scope in p.roles:
            if role == RoleAssignment.Role.ADMINISTRATOR:
                continue
            if scope not in known_units:
                errors.append((p.line, f"rollen {role}: enheden {scope!r} findes ikke"))
            elif role == RoleAssignment.Role.KONCERNLEDELSE and unit_kind(scope) != Unit.Kind.REGION:
                errors.append((p.line, "koncernledelse skal knyttes til en region"))
    # Leaders outside the file who would collide with a new leader from the file.
    for code, line in leaders_in_file.items():
        current = db.leader_of_unit.get(code)
        if current and current not in file_people:
            errors.append((line, f"enheden {code!r} har allerede lederen {current}"))
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


def _region_slug(name: str) -> str:
    base = slugify(name)[:90] or "region"
    slug, n = base, 1
    while Region.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _placeholder_for(row: _UnitRow, region: Region | None) -> Unit | None:
    """A unit made by load_frameworks before the organisation was imported (code
    "auto:..."), which the import adopts instead of making a second one."""
    if region is None:
        return None
    qs = Unit.objects.filter(region=region, code__startswith=PLACEHOLDER_PREFIX)
    if row.kind == Unit.Kind.REGION:
        return qs.filter(depth=1).first()
    return qs.filter(name=row.name).first()


def _import_units(rows: list[_UnitRow], db: _Existing, report: ImportReport) -> None:
    for row in _sorted_parents_first(rows):
        existing = db.units.get(row.code)
        if (
            existing is not None
            and db.parent_code[row.code] == row.parent
            and existing.name == row.name
            and existing.kind == row.kind
        ):
            report.unchanged["unit"] += 1
            continue
        if row.kind == Unit.Kind.REGION:
            # A region is known by its top unit's code: a new name renames it in place.
            region = existing.region if existing is not None else Region.objects.filter(name=row.name).first()
            if region is None:
                region = Region.objects.create(name=row.name, slug=_region_slug(row.name))
            elif region.name != row.name:
                Region.objects.filter(pk=region.pk).update(name=row.name)
            parent = None
        else:
            # Re-read the parent: adding or moving units earlier in this import may have
            # changed its path.
            parent = Unit.objects.get(code=row.parent)
            region = parent.region
        if existing is None:
            existing = _placeholder_for(row, region)
            if existing is None:
                fields = {"code": row.code, "name": row.name, "kind": row.kind, "region": region}
                if parent is None:
                    Unit.objects.add_root(create_kwargs=fields)
                else:
                    Unit.objects.add_child(parent, create_kwargs=fields)
                report.created["unit"] += 1
                continue
            Unit.objects.filter(pk=existing.pk).update(code=row.code)
            db.parent_code[row.code] = db.parent_code.pop(existing.code, "")
            db.units[row.code] = existing
        if parent is not None and db.parent_code[row.code] != row.parent:
            Unit.objects.move(Unit.objects.get(pk=existing.pk), parent, pos="last-child")
            db.parent_code[row.code] = row.parent
        moved = Unit.objects.get(pk=existing.pk)
        Unit.objects.filter(path__startswith=moved.path).exclude(region=region).update(region=region)
        Unit.objects.filter(pk=existing.pk).update(name=row.name, kind=row.kind)
        report.updated["unit"] += 1


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = name.rpartition(" ")
    return (first, last) if first else (last, "")


# HR keeps the frameworks up to date in the Django admin: these are the models it edits.
HR_EDITS = {"values": ("framework", "frameworkversion", "item", "reflectionquestion", "itemlink")}


def hr_group_ensure() -> Group:
    """The HR group with its admin permissions (permissions exist only after migrate, so
    this runs when roles are synced rather than in a migration)."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=HR_EDITS.keys(),
        content_type__model__in=[m for models in HR_EDITS.values() for m in models],
    ).exclude(codename__in=["add_framework", "delete_framework", "add_frameworkversion"])
    if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in wanted}:
        group.permissions.set(wanted)
    return group


def _import_people(rows: list[_PersonRow], db: _Existing, report: ImportReport) -> None:
    """Create and update people, their accounts and roles in bulk: a re-import of an
    unchanged file of thousands of people runs a handful of queries."""
    units = {u.code: u for u in Unit.objects.all()}
    status: dict[str, str] = {}

    # Leaders stepping down or moving to another unit first, so a new leader of their old
    # unit (two leaders swapping units, too) passes the one-leader-per-unit constraint.
    stepping_down = [
        db.people[r.code].pk
        for r in rows
        if r.code in db.people
        and db.people[r.code].is_leader
        and (not r.leader or db.people[r.code].unit_id != units[r.unit].pk)
    ]
    if stepping_down:
        Person.objects.filter(pk__in=stepping_down).update(is_leader=False)
        for r in rows:
            if r.code in db.people and db.people[r.code].pk in stepping_down:
                db.people[r.code].is_leader = False
                status[r.code] = "updated"

    # People.
    fields = ("name", "email", "title", "unit_id", "is_leader")
    new_people, changed_people = [], []
    for r in rows:
        wanted = {
            "name": r.name,
            "email": r.email,
            "title": r.title,
            "unit_id": units[r.unit].pk,
            "is_leader": r.leader,
        }
        person = db.people.get(r.code)
        if person is None:
            person = Person(employee_id=r.code, **wanted)
            new_people.append(person)
            db.people[r.code] = person
            status[r.code] = "created"
        elif any(getattr(person, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(person, k, v)
            changed_people.append(person)
            status[r.code] = "updated"
    Person.objects.bulk_update(changed_people, fields, batch_size=1000)
    Person.objects.bulk_create(new_people, batch_size=1000)

    # Accounts: made for people with a username; passwords are never set here (imported
    # accounts sign in through SSO, or get a password from an administrator).
    users_by_name = {u.username: u for u in User.objects.filter(username__in=[r.username for r in rows if r.username])}
    new_users, changed_users, linked = [], [], []
    for r in rows:
        if not r.username:
            continue
        person = db.people[r.code]
        first, last = _split_name(r.name)
        wanted = {"username": r.username, "email": r.email, "first_name": first, "last_name": last}
        user = person.user if person.user_id else users_by_name.get(r.username)
        if user is None:
            user = User(**wanted)
            user.set_unusable_password()
            new_users.append(user)
        elif any(getattr(user, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(user, k, v)
            changed_users.append(user)
            status.setdefault(r.code, "updated")
        if person.user_id is None or person.user_id != user.pk:
            person.user = user
            linked.append(person)
            status.setdefault(r.code, "updated")
    User.objects.bulk_create(new_users, batch_size=1000)
    User.objects.bulk_update(changed_users, ["username", "email", "first_name", "last_name"], batch_size=1000)
    for person in linked:
        person.user_id = person.user.pk
    Person.objects.bulk_update(linked, ["user"], batch_size=1000)

    # Roles: the file is the whole truth for the people in it.
    stale, new_roles = [], []
    for r in rows:
        person = db.people[r.code]
        wanted = {(role, units[scope].pk if scope else None) for role, scope in r.roles}
        current = db.roles.get(person.pk, set())
        if wanted != current:
            stale += [(person.pk, role, unit_id) for role, unit_id in current - wanted]
            new_roles += [
                RoleAssignment(person=person, role=role, unit_id=unit_id) for role, unit_id in wanted - current
            ]
            status.setdefault(r.code, "updated")
            db.roles[person.pk] = wanted
    for person_id, role, unit_id in stale:
        RoleAssignment.objects.filter(person_id=person_id, role=role, unit_id=unit_id).delete()
    RoleAssignment.objects.bulk_create(new_roles, batch_size=1000)
    # Everyone in the file with an account, so a role or username dropped from the file
    # takes the admin access away too.
    people_sync_admin_access(people=[db.people[r.code] for r in rows if db.people[r.code].user_id])

    # Own leaders last: they may point at people further down the file.
    with_leader = []
    for r in rows:
        person = db.people[r.code]
        wanted = db.people[r.own_leader].pk if r.own_leader else None
        if person.own_leader_id != wanted:
            person.own_leader_id = wanted
            with_leader.append(person)
            status.setdefault(r.code, "updated")
    Person.objects.bulk_update(with_leader, ["own_leader"], batch_size=1000)

    for r in rows:
        getattr(report, status.get(r.code, "unchanged"))["person"] += 1


def user_revoke_admin_access(*, user: User) -> None:
    """An account no longer linked to a person with roles: no admin access."""
    group = Group.objects.filter(name=HR_GROUP).first()
    if user.is_staff or user.is_superuser:
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    if group is not None:
        user.groups.remove(group)


def people_sync_admin_access(*, people: list[Person]) -> None:
    """Give people's accounts the admin access their roles call for: administrators the
    whole Django admin, HR the frameworks (through the HR group's permissions), everyone
    else none. Called by the import and when roles are edited in the admin."""
    people = [p for p in people if p.user_id]
    roles: dict[int, set[str]] = {}
    for person_id, role in RoleAssignment.objects.filter(person__in=people).values_list("person_id", "role"):
        roles.setdefault(person_id, set()).add(role)
    group = hr_group_ensure()
    in_group = set(User.groups.through.objects.filter(group=group).values_list("user_id", flat=True))
    changed, join, leave = [], [], []
    for person in people:
        user = person.user
        is_admin = RoleAssignment.Role.ADMINISTRATOR in roles.get(person.pk, set())
        is_hr = RoleAssignment.Role.HR in roles.get(person.pk, set())
        if user.is_staff != (is_admin or is_hr) or user.is_superuser != is_admin:
            user.is_staff, user.is_superuser = is_admin or is_hr, is_admin
            changed.append(user)
        if is_hr and user.pk not in in_group:
            join.append(User.groups.through(user_id=user.pk, group_id=group.pk))
        elif not is_hr and user.pk in in_group:
            leave.append(user.pk)
    User.objects.bulk_update(changed, ["is_staff", "is_superuser"], batch_size=1000)
    User.groups.through.objects.bulk_create(join)
    User.groups.through.objects.filter(group=group, user_id__in=leave).delete()


def organisation_import(*, text: str) -> ImportReport:
    """Import units and people from CSV text (columns in IMPORT_COLUMNS; see the README).

    All rows are checked first; any error raises OrganisationImportError with every bad
    line and reason, and nothing is written. The writes run in one transaction, and a row
    that matches the database writes nothing, so importing the same file twice is a no-op.
    """
    units, people, errors = _parse(text)
    db = _Existing.load()
    if not errors:
        errors = _validate_references(units, people, db)
    if errors:
        raise OrganisationImportError(sorted(errors))
    report = ImportReport()
    with transaction.atomic():
        _import_units(units, db, report)
        _import_people(people, db, report)
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


# Units made by load_frameworks before the organisation import; the import adopts them.
PLACEHOLDER_PREFIX = "auto:"


def region_ensure(*, name: str) -> Region:
    """The region with this name, created with its top unit if the organisation lacks it
    (the frameworks may be loaded before the organisation import)."""
    region = Region.objects.filter(name=name).first()
    if region is None:
        region = Region.objects.create(name=name, slug=_region_slug(name))
    if not Unit.objects.filter(region=region, depth=1).exists():
        Unit.objects.add_root(
            create_kwargs={
                "code": f"{PLACEHOLDER_PREFIX}{region.slug}"[:50],
                "name": name,
                "kind": Unit.Kind.REGION,
                "region": region,
            }
        )
    return region


def unit_ensure(*, region: Region, name: str) -> Unit:
    """The unit with this name in the region, created under the region's top unit if missing."""
    unit = Unit.objects.filter(region=region, name=name).order_by("depth").first()
    if unit is None:
        top = Unit.objects.filter(region=region, depth=1).order_by("path").first()
        unit = Unit.objects.add_child(
            top,
            create_kwargs={
                "code": f"{PLACEHOLDER_PREFIX}{region.slug}:{slugify(name)}"[:50],
                "name": name,
                "kind": Unit.Kind.OTHER,
                "region": region,
            },
        )
    return unit
