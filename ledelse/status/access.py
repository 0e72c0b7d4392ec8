"""Who sees which part of the implementation status, on top of ledelse.access (the one
place that reads roles).

- Koncernledelse sees its regions, HR the subtrees it is HR for, administrators everything.
- A leader sees their own unit and everything under it.
- Anyone else (employees) sees none of it: the pages answer 404.
- Koncernledelse, HR and administrators also filter it by MED's treatment of the plans.

A user's status scope is a set of root units; everything under a root is visible.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from dialogues import access as plan_access
from dialogues.models import Rollout
from ledelse import access as org_access
from ledelse.models import Unit
from ledelse.selectors import ancestor_paths

type AnyUser = AbstractBaseUser | AnonymousUser

_CACHE_ATTR = "_status_scope_roots"


def _minimal(units: list[Unit]) -> list[Unit]:
    """Drop the units that lie under another unit in the list (their subtree is covered)."""
    roots: list[Unit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(r.path) for r in roots):
            roots.append(unit)
    return roots


def status_roots(user: AnyUser) -> list[Unit]:
    """The tops of the parts of the tree the user sees the status of, in tree order (one
    query beyond the roles; kept on the user object for the request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = org_access.roles_for(user)
    parts: list[Q] = []
    if roles.is_admin:
        parts.append(Q(depth=1))
    if roles.koncern_region_ids:
        parts.append(Q(depth=1, region_id__in=roles.koncern_region_ids))
    if roles.hr_units:
        parts.append(Q(pk__in=[u.pk for u in roles.hr_units]))
    if roles.is_leader:
        parts.append(Q(pk=roles.person.unit_id))
    roots: list[Unit] = []
    if parts:
        q = parts[0]
        for part in parts[1:]:
            q |= part
        roots = _minimal(list(Unit.objects.filter(q).select_related("region")))
    if getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTR, roots)
    return roots


def can_see_status(user: AnyUser) -> bool:
    roles = org_access.roles_for(user)
    # A leader's own unit and HR's units are rows read with the roles: a root without a query.
    if roles.is_leader or roles.hr_units:
        return True
    return bool(status_roots(user))


def can_filter_by_med(user: AnyUser) -> bool:
    """HR and koncernledelse (and administrators) filter the status by MED's treatment."""
    roles = org_access.roles_for(user)
    return bool(roles.is_admin or roles.koncern_region_ids or roles.hr_units)


def _under_roots_q(roots: list[Unit], field: str = "") -> Q:
    q = Q(pk__in=[]) if not field else Q(**{f"{field}pk__in": []})
    for root in roots:
        q |= Q(**{f"{field}path__startswith": root.path})
    return q


def status_units_visible_to(user: AnyUser) -> QuerySet[Unit]:
    """The units whose status the user sees."""
    roots = status_roots(user)
    if not roots:
        return Unit.objects.none()
    return Unit.objects.filter(_under_roots_q(roots))


def status_rollouts_for(user: AnyUser) -> QuerySet[Rollout]:
    """The rollouts the user may see whose part of the tree meets the user's status scope:
    the rollout covers one of the user's roots, or lies inside one."""
    roots = status_roots(user)
    if not roots:
        return Rollout.objects.none()
    q = Q(pk__in=[])
    for root in roots:
        above = ancestor_paths(root.path, include_self=True)
        q |= Q(scope_unit__path__in=above) | Q(scope_unit__path__startswith=root.path)
    return plan_access.rollouts_visible_to(user).filter(q)
