"""Reading the audit log, for the apps that show their objects' trail to the people
concerned (a leader sees who read their LUS)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from ledelse.audit.models import AuditEntry


def audit_entries_for_objects(
    *, object_type: str, object_ids: Iterable[object], actions: Iterable[str] | None = None
) -> models.QuerySet[AuditEntry]:
    """The entries about these objects, newest first, with the acting account and its
    person loaded."""
    entries = AuditEntry.objects.filter(object_type=object_type, object_id__in=[str(pk) for pk in object_ids])
    if actions is not None:
        entries = entries.filter(action__in=list(actions))
    return entries.select_related("actor__person").order_by("-time", "-pk")
