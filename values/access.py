"""Who may see and edit what of the frameworks. Published material is for every signed-in
user. Drafts are seen, and frameworks edited, by administrators and by HR whose scope
covers the framework's owner (HR for a whole region: the region's own frameworks too).
Roles come from ledelse.access, the one place that reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from ledelse import access as org_access
from values.models import Framework, FrameworkVersion

if TYPE_CHECKING:
    from values.models import ItemLink

User = AbstractBaseUser | AnonymousUser


def editable_frameworks_q(user: User) -> Q | None:
    """A filter for the frameworks the user may edit: Q() for all, None for none."""
    roles = org_access.roles_for(user)
    if roles.is_admin:
        return Q()
    condition = None
    for scope in roles.hr_units:
        part = Q(owner_unit__path__startswith=scope.path)
        if scope.depth == 1:  # HR for the whole region
            part |= Q(owner_unit__isnull=True, region_id=scope.region_id)
        condition = part if condition is None else condition | part
    return condition


def is_admin(user: User) -> bool:
    return org_access.is_admin(user)


def can_edit_framework(user: User, framework: Framework) -> bool:
    roles = org_access.roles_for(user)
    if roles.is_admin:
        return True
    for scope in roles.hr_units:
        if framework.owner_unit_id and framework.owner_unit.path.startswith(scope.path):
            return True
        if not framework.owner_unit_id and scope.depth == 1 and scope.region_id == framework.region_id:
            return True
    return False


def can_move_framework(user: User) -> bool:
    """Where a framework belongs (region, owner, parent) decides who edits it: only
    administrators move one."""
    return is_admin(user)


def version_text_editable(version: FrameworkVersion | None) -> bool:
    """Only a draft's text and dates change: a published or archived version is what plans
    and LUS were made against. (Questions and links are the project's own and may change on
    every version.)"""
    return version is not None and version.status == FrameworkVersion.Status.KLADDE


def can_edit_link(user: User, link: ItemLink) -> bool:
    """A link shows on the pages of both its ends: its editor must edit both frameworks."""
    return can_edit_framework(user, link.source.version.framework) and can_edit_framework(
        user, link.target.version.framework
    )


def version_visible_to(user: User, version: FrameworkVersion | None) -> bool:
    if version is None:
        return False
    return version.status != FrameworkVersion.Status.KLADDE or can_edit_framework(user, version.framework)
