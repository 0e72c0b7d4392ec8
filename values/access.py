"""Who may see and edit what of the frameworks. Published material is for every signed-in
user. Drafts are seen, and frameworks edited, by administrators and by HR whose scope
covers the framework's owner (HR for a whole region: the region's own frameworks too).
Roles come from ledelse.access, the one place that reads them."""

from __future__ import annotations

from django.db.models import Q

from ledelse import access as org_access
from values.models import Framework, FrameworkVersion


def editable_frameworks_q(user) -> Q | None:
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


def is_admin(user) -> bool:
    return org_access.is_admin(user)


def can_edit_framework(user, framework: Framework) -> bool:
    roles = org_access.roles_for(user)
    if roles.is_admin:
        return True
    for scope in roles.hr_units:
        if framework.owner_unit_id and framework.owner_unit.path.startswith(scope.path):
            return True
        if not framework.owner_unit_id and scope.depth == 1 and scope.region_id == framework.region_id:
            return True
    return False


def version_visible_to(user, version: FrameworkVersion | None) -> bool:
    if version is None:
        return False
    return version.status != FrameworkVersion.Status.KLADDE or can_edit_framework(user, version.framework)
