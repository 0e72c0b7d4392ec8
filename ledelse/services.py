"""Writes to the organisation: regions and units, people, their roles and the admin access
the roles call for, and the MED committees and their seats.

The CSV import is `ledelse.organisation_import`; the demo passwords `ledelse.demo`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ledelse.audit.models import AuditEntry
from ledelse.audit.services import IMPORT_ACTOR, audit_record_many
from ledelse.models import MedCommittee, MedMembership, Person, Region, RoleAssignment, Unit, User
from ledelse.text import validate_no_control_characters

HR_GROUP = "HR"


def model_update(
    *, instance: Model, data: Mapping[str, Any] | object, fields: Iterable[str] | None = None
) -> list[str]:
    """Set `fields` of `instance` from `data` (a mapping, or an object with those
    attributes such as a service's dataclass; without `fields`, every key of the mapping)
    and return the names whose value changed. It does not validate or save: the calling
    service does, with its own rules. The one home of the services' update loops."""
    if fields is None:
        if not isinstance(data, Mapping):
            raise TypeError("model_update needs `fields` when `data` is not a mapping.")
        fields = data.keys()
    changed = []
    for name in fields:
        value = data[name] if isinstance(data, Mapping) else getattr(data, name)
        if _field_value(instance, name) != _field_value_of(instance, name, value):
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _foreign_key(instance: Model, name: str) -> Any:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.many_to_one else None


def _field_value(instance: Model, name: str) -> Any:
    """The current value, a foreign key as its id (no query, none for an unset key)."""
    field = _foreign_key(instance, name)
    return getattr(instance, field.attname) if field else getattr(instance, name)


def _field_value_of(instance: Model, name: str, value: Any) -> Any:
    field = _foreign_key(instance, name)
    return (value.pk if isinstance(value, Model) else value) if field else value


# Units made before the organisation import (by any app that needs a region or a unit by
# name before the organisation is known); the import adopts them instead of making second
# ones. Their codes start with this prefix.
PLACEHOLDER_PREFIX = "auto:"


# --- Regions and units ------------------------------------------------------------------------


def region_create(*, name: str) -> Region:
    """A new region with a free slug made from its name (no top unit: the caller adds it)."""
    base = slugify(name)[:90] or "region"
    slug, n = base, 1
    while Region.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Region.objects.create(name=name, slug=slug)


def region_ensure(*, name: str) -> Region:
    """The region with this name; when the organisation lacks it, created with a placeholder
    top unit that the organisation import adopts later."""
    region = Region.objects.filter(name=name).first()
    if region is None:
        region = region_create(name=name)
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
    """The unit with this name in the region; when missing, a placeholder under the region's
    top unit that the organisation import adopts later."""
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


# --- Admin access -----------------------------------------------------------------------------


def hr_group_ensure() -> Group:
    """The HR group with the admin permissions HR needs.

    Each app declares on its AppConfig what HR edits: `hr_editable_models` (model names)
    and, optionally, `hr_withheld_permissions` (codenames HR does not get on them). The
    organisation knows no other app's models. Permissions exist only after migrate, so this
    runs when roles are synced rather than in a migration.
    """
    wanted = Q(pk__in=[])
    for config in apps.get_app_configs():
        models = tuple(getattr(config, "hr_editable_models", ()))
        if not models:
            continue
        withheld = tuple(getattr(config, "hr_withheld_permissions", ()))
        wanted |= Q(content_type__app_label=config.label, content_type__model__in=models) & ~Q(codename__in=withheld)
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    permissions = Permission.objects.filter(wanted)
    if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in permissions}:
        group.permissions.set(permissions)
    return group


def user_revoke_admin_access(*, user: User) -> None:
    """An account no longer linked to a person with roles: no admin access."""
    group = Group.objects.filter(name=HR_GROUP).first()
    if user.is_staff or user.is_superuser:
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    if group is not None:
        user.groups.remove(group)


def people_sync_admin_access(*, people: Iterable[Person]) -> None:
    """Give people's accounts the admin access their roles call for: administrators the
    whole Django admin, HR what the apps let HR edit (through the HR group's permissions),
    everyone else none. A handful of queries however many people."""
    people = [p for p in people if p.user_id]
    roles: dict[int, set[str]] = {}
    for person_id, role in RoleAssignment.objects.filter(person__in=people).values_list("person_id", "role"):
        roles.setdefault(person_id, set()).add(role)
    group = hr_group_ensure()
    in_group = set(User.groups.through.objects.filter(group=group).values_list("user_id", flat=True))
    changed, join, leave = [], [], []
    for person in people:
        user = person.user
        if user is None:  # only people with an account were kept above
            continue
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


# --- People -----------------------------------------------------------------------------------


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Save a person (new or changed). When the person's account changes, the account they
    leave loses its admin access and the new one gets what the person's roles call for."""
    previous_user_id = (
        Person.objects.filter(pk=person.pk).values_list("user_id", flat=True).first() if person.pk else None
    )
    person.save()
    if previous_user_id and previous_user_id != person.user_id:
        user_revoke_admin_access(user=User.objects.get(pk=previous_user_id))
    people_sync_admin_access(people=[person])
    return person


@transaction.atomic
def person_roles_set(
    *, person: Person, roles: Iterable[tuple[str, Unit | None]], actor: AbstractBaseUser | None = None
) -> None:
    """Make `roles` (role, scope unit or None) the person's whole set of roles, and their
    account's admin access follow them. Each role added or removed goes to the audit log
    with `actor`, the account that made the change."""
    wanted = {(role, unit.pk if unit is not None else None) for role, unit in roles}
    current = set(RoleAssignment.objects.filter(person=person).values_list("role", "unit_id"))
    for role, unit_id in current - wanted:
        RoleAssignment.objects.filter(person=person, role=role, unit_id=unit_id).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=person, role=role, unit_id=unit_id) for role, unit_id in wanted - current
    )
    people_sync_admin_access(people=[person])
    audit_record_many(
        entries=role_change_entries(person_id=person.pk, added=wanted - current, removed=current - wanted, actor=actor)
    )


def role_change_entries(
    *,
    person_id: int,
    added: Iterable[tuple[str, int | None]],
    removed: Iterable[tuple[str, int | None]],
    actor: AbstractBaseUser | None,
    unit_codes: dict[int, str] | None = None,
) -> list[AuditEntry]:
    """Audit entries (unsaved) for roles added and removed: role and scope unit code
    (`unit_codes`: unit pk -> code when the caller has them, else read here)."""
    added, removed = list(added), list(removed)
    code = unit_codes
    if code is None:
        unit_ids = {unit_id for _role, unit_id in added + removed if unit_id}
        code = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "code")) if unit_ids else {}
    label = actor.get_username() if actor is not None else IMPORT_ACTOR
    actor_id = actor.pk if actor is not None else None

    def entry(action: str, role: str, unit_id: int | None) -> AuditEntry:
        detail = f"{role}:{code[unit_id]}" if unit_id else role
        return AuditEntry(
            action=action,
            actor_id=actor_id,
            actor_label=label,
            object_type=Person._meta.label_lower,
            object_id=str(person_id),
            detail=detail,
        )

    return [entry(AuditEntry.Action.ROLE_ADDED, r, u) for r, u in sorted(added, key=str)] + [
        entry(AuditEntry.Action.ROLE_REMOVED, r, u) for r, u in sorted(removed, key=str)
    ]


# --- Accounts ---------------------------------------------------------------------------------


@transaction.atomic
def user_save(*, user: User) -> User:
    """Save an account (the admin). Deactivating it ends all its sessions at once."""
    was_active = User.objects.filter(pk=user.pk).values_list("is_active", flat=True).first() if user.pk else None
    user.save()
    if was_active and not user.is_active:
        user_sessions_end(user=user)
    return user


def user_sessions_end(*, user: User) -> int:
    """End every session of the account (allauth.usersessions records them at sign-in);
    returns how many."""
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def people_delete(*, people: QuerySet[Person]) -> int:
    """Delete people; their accounts stay but lose their admin access.
    Returns how many people were deleted."""
    users = list(User.objects.filter(person__in=people))
    _total, per_model = people.delete()
    for user in users:
        user_revoke_admin_access(user=user)
    return per_model.get(Person._meta.label, 0)


# --- MED committees ---------------------------------------------------------------------------

# How a seat is named in the audit log: `med-<role>:<the committee's unit code>` beside the
# roles (`hr:A`), with the same actions and retention.
MED_AUDIT_PREFIX = "med-"
MED_NAME_MAX_LENGTH = MedCommittee._meta.get_field("name").max_length or 200

# A seat: (committee pk, role).
Seat = tuple[int, str]


def med_committee_default_name(*, unit_name: str) -> str:
    """The name a committee gets when none is given: "MED-udvalg <unit>"."""
    return f"MED-udvalg {unit_name}"[:MED_NAME_MAX_LENGTH]


def med_committee_name_validate(name: str) -> None:
    """A committee's name: not empty, bounded, no control characters (Danish messages)."""
    if not name.strip():
        raise ValidationError(_("The MED committee needs a name."), code="required")
    if len(name) > MED_NAME_MAX_LENGTH:
        raise ValidationError(
            _("The name of the MED committee may be at most %(n)s characters.") % {"n": MED_NAME_MAX_LENGTH},
            code="max_length",
        )
    validate_no_control_characters(name)


@transaction.atomic
def med_committee_set(*, unit: Unit, kind: str, name: str = "") -> MedCommittee:
    """Give the unit its MED committee, or change the kind and name of the one it has (one
    committee per unit). An empty name is the default name."""
    if kind not in MedCommittee.Kind.values:
        raise ValidationError(_("Unknown kind of MED committee: %(kind)s.") % {"kind": kind}, code="invalid")
    name = name.strip() or med_committee_default_name(unit_name=unit.name)
    med_committee_name_validate(name)
    committee = MedCommittee.objects.filter(unit=unit).first()
    if committee is None:
        return MedCommittee.objects.create(unit=unit, kind=kind, name=name)
    if model_update(instance=committee, data={"kind": kind, "name": name}):
        committee.save(update_fields=["kind", "name"])
    return committee


def med_seats_validate(*, seats: Iterable[tuple[int, str]]) -> None:
    """One committee's seats as (person pk, role): known roles, each person once, one
    formand and one næstformand at most. Raises ValidationError with every reason."""
    errors = []
    people: set[int] = set()
    count = {role: 0 for role in MedMembership.Role.values}
    for person_id, role in seats:
        if role not in MedMembership.Role.values:
            errors.append(ValidationError(_("Unknown role in a MED committee: %(role)s.") % {"role": role}))
            continue
        if person_id in people:
            errors.append(ValidationError(_("A person can hold only one seat in the same MED committee.")))
        people.add(person_id)
        count[role] += 1
    if count[MedMembership.Role.FORMAND] > 1:
        errors.append(ValidationError(_("A MED committee has only one formand.")))
    if count[MedMembership.Role.NAESTFORMAND] > 1:
        errors.append(ValidationError(_("A MED committee has only one næstformand.")))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def med_memberships_set(
    *, committee: MedCommittee, seats: Iterable[tuple[Person, str]], actor: AbstractBaseUser | None = None
) -> None:
    """Make `seats` (person, role) the committee's whole membership (the admin). Each seat
    added or removed goes to the audit log as a role change, with `actor`."""
    wanted = {(person.pk, role) for person, role in seats}
    med_seats_validate(seats=wanted)
    current = {
        (person_id, role): pk
        for pk, person_id, role in MedMembership.objects.filter(committee=committee).values_list(
            "pk", "person_id", "role"
        )
    }
    stale = [
        (pk, person_id, committee.pk, role)
        for (person_id, role), pk in current.items()
        if (person_id, role) not in wanted
    ]
    new = [(person_id, committee.pk, role) for person_id, role in wanted - set(current)]
    _med_seats_write(stale=stale, new=new, actor=actor, unit_codes={committee.pk: committee.unit.code})


def med_seats_set_for_people(
    *,
    seats: Mapping[int, set[Seat]],
    current: Mapping[int, Mapping[Seat, int]],
    unit_codes: Mapping[int, str],
    actor: AbstractBaseUser | None = None,
) -> set[int]:
    """Make `seats` (person pk -> {(committee pk, role)}) the whole of those people's seats
    (the organisation import: the file is the whole truth for the people in it), in bulk.
    `current`: person pk -> {(committee pk, role): membership pk}, as the caller read it;
    `unit_codes`: committee pk -> its unit's code (for the audit log). The caller has checked
    the committees' invariants (one formand, one næstformand); the database holds them too.
    Returns the pks of the people whose seats changed."""
    stale: list[tuple[int, int, int, str]] = []
    new: list[tuple[int, int, str]] = []
    changed: set[int] = set()
    for person_id, wanted in seats.items():
        have = current.get(person_id, {})
        if set(have) == wanted:
            continue
        changed.add(person_id)
        stale += [(pk, person_id, c, role) for (c, role), pk in have.items() if (c, role) not in wanted]
        new += [(person_id, c, role) for c, role in wanted - set(have)]
    _med_seats_write(stale=stale, new=new, actor=actor, unit_codes=unit_codes)
    return changed


def _med_seats_write(
    *,
    stale: list[tuple[int, int, int, str]],
    new: list[tuple[int, int, str]],
    actor: AbstractBaseUser | None,
    unit_codes: Mapping[int, str],
) -> None:
    """Delete the stale seats (membership pk, person pk, committee pk, role) first, so a
    formand and a næstformand may swap, then create the new ones (person, committee, role);
    every change is audited like a role (`med-<role>:<unit code>`)."""
    if stale:
        MedMembership.objects.filter(pk__in=[pk for pk, *_rest in stale]).delete()
    MedMembership.objects.bulk_create(
        [MedMembership(person_id=p, committee_id=c, role=role) for p, c, role in new], batch_size=1000
    )
    # role_change_entries names a scope by its unit pk; a seat's scope is its committee.
    codes = dict(unit_codes)
    entries: list[AuditEntry] = []
    for person_id in sorted({p for _pk, p, _c, _r in stale} | {p for p, _c, _r in new}):
        entries += role_change_entries(
            person_id=person_id,
            added=[(MED_AUDIT_PREFIX + role, c) for p, c, role in new if p == person_id],
            removed=[(MED_AUDIT_PREFIX + role, c) for _pk, p, c, role in stale if p == person_id],
            actor=actor,
            unit_codes=codes,
        )
    audit_record_many(entries=entries)


def med_committees_set_for_units(
    *,
    committees: Mapping[int, tuple[str, str] | None],
    current: Mapping[int, MedCommittee],
    actor: AbstractBaseUser | None = None,
) -> set[int]:
    """Make `committees` (unit pk -> (kind, name), or None for no committee) true of those
    units, in bulk (the organisation import; the caller has checked kinds and names):
    committees are made, changed, or removed with their seats (audited). `current`: unit pk ->
    its committee now. Returns the pks of the units whose committee changed."""
    new, changed, removed = [], [], []
    for unit_id, wanted in committees.items():
        committee = current.get(unit_id)
        if wanted is None:
            if committee is not None:
                removed.append(committee)
            continue
        kind, name = wanted
        if committee is None:
            new.append(MedCommittee(unit_id=unit_id, kind=kind, name=name))
        elif model_update(instance=committee, data={"kind": kind, "name": name}):
            changed.append(committee)
    if removed:
        seats = list(
            MedMembership.objects.filter(committee__in=removed).values_list(
                "pk", "person_id", "committee_id", "role", "committee__unit__code"
            )
        )
        stale = [(pk, p, c, role) for pk, p, c, role, _code in seats]
        _med_seats_write(stale=stale, new=[], actor=actor, unit_codes={c: code for *_r, c, _role, code in seats})
        MedCommittee.objects.filter(pk__in=[c.pk for c in removed]).delete()
    MedCommittee.objects.bulk_update(changed, ["kind", "name"], batch_size=1000)
    MedCommittee.objects.bulk_create(new, batch_size=1000)
    return {c.unit_id for c in new + changed + removed}


@transaction.atomic
def med_committee_remove(*, unit: Unit, actor: AbstractBaseUser | None = None) -> bool:
    """Remove the unit's committee and its seats (audited); False when it had none."""
    committee = MedCommittee.objects.filter(unit=unit).select_related("unit").first()
    if committee is None:
        return False
    med_memberships_set(committee=committee, seats=[], actor=actor)
    committee.delete()
    return True
