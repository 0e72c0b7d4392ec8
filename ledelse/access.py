"""Who may do what in the organisation. Every view asks here; nothing else decides roles.

Leader and employee follow from the person record; HR (scoped to a subtree),
koncernledelse (a region) and administrator come from RoleAssignment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Expression
from django.utils.translation import gettext as _

from ledelse.models import Person, RoleAssignment, Unit, User


@dataclass(frozen=True)
class Roles:
    person: Person | None = None
    hr_units: tuple[Unit, ...] = ()
    koncern_region_ids: frozenset[int] = field(default_factory=frozenset)
    is_admin: bool = False

    @property
    def is_leader(self) -> bool:
        return bool(self.person and self.person.is_leader)

    @property
    def is_hr(self) -> bool:
        return bool(self.hr_units)

    @property
    def is_koncernledelse(self) -> bool:
        return bool(self.koncern_region_ids)


_CACHE_ATTR = "_ledelse_roles"

# What other apps' rules need to know about the signed-in person on nearly every request,
# read with the person in roles_for's query (no query of its own): a name and an expression
# over that query's Person row (its table by name), registered in the app's ready(). The
# value is an attribute of `Roles.person` under the name.
_PERSON_FACTS: dict[str, Callable[[], Expression]] = {}


def register_person_fact(name: str, expression: Callable[[], Expression]) -> None:
    _PERSON_FACTS[name] = expression


def person_facts() -> dict[str, Expression]:
    return {name: expression() for name, expression in _PERSON_FACTS.items()}


def roles_for(user: AbstractBaseUser | AnonymousUser) -> Roles:
    """The user's roles, read once per request (two queries) and kept on the user object,
    with the registered facts about the person (register_person_fact)."""
    if not isinstance(user, User) or not user.is_authenticated:  # every account is a ledelse User
        return Roles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    person = Person.objects.select_related("unit", "unit__region").filter(user=user).annotate(**person_facts()).first()
    hr_units: list[Unit] = []
    koncern: set[int] = set()
    is_admin = user.is_superuser
    if person is not None:
        for assignment in RoleAssignment.objects.filter(person=person).select_related("unit"):
            if assignment.role == RoleAssignment.Role.ADMINISTRATOR:
                is_admin = True
            elif assignment.unit is None:  # HR and koncernledelse always name their unit
                continue
            elif assignment.role == RoleAssignment.Role.HR:
                hr_units.append(assignment.unit)
            elif assignment.role == RoleAssignment.Role.KONCERNLEDELSE:
                koncern.add(assignment.unit.region_id)
    roles = Roles(person=person, hr_units=tuple(hr_units), koncern_region_ids=frozenset(koncern), is_admin=is_admin)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def roles_if_read(user: AbstractBaseUser | AnonymousUser) -> Roles | None:
    """The user's roles if this request has read them already (roles_for), else None: for
    a rule that can name the person by id when it is known, without a query of its own."""
    return getattr(user, _CACHE_ATTR, None)


def is_hr_for(user: AbstractBaseUser | AnonymousUser, unit: Unit) -> bool:
    """HR whose scope covers `unit`."""
    return any(unit.path.startswith(scope.path) for scope in roles_for(user).hr_units)


def is_koncernledelse_for(user: AbstractBaseUser | AnonymousUser, region_id: int) -> bool:
    return region_id in roles_for(user).koncern_region_ids


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return roles_for(user).is_admin


def leads_unit_or_above(user: AbstractBaseUser | AnonymousUser, unit: Unit) -> bool:
    """The user leads `unit` or a unit above it in its ledelseskæde."""
    person = roles_for(user).person
    return bool(person and person.is_leader and unit.path.startswith(person.unit.path))


def role_label(user: AbstractBaseUser | AnonymousUser) -> str:
    """A short label for the header (Danish in the UI): the broadest role first."""
    roles = roles_for(user)
    if roles.is_admin:
        return _("Administrator")
    if roles.is_koncernledelse:
        return _("Koncernledelse")
    if roles.is_hr:
        return _("HR")
    if roles.is_leader:
        return _("Leader")
    if roles.person is not None:
        return _("Employee")
    return ""
