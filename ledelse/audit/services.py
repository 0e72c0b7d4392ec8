"""Writing the audit log, and removing entries past their period.

Entries carry who, what and which object, never content (no passwords, no typed login
text, no LUS text). Each kind of entry is kept for its own period (settings
`AUDIT_SIGN_IN_RETENTION_DAYS`, `AUDIT_ROLE_CHANGE_RETENTION_DAYS`); kinds other apps add
register their period in `AUDIT_RETENTION_DAYS_BY_ACTION` (an action not listed is kept).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models, transaction
from django.utils import timezone

from ledelse.audit.models import AuditEntry

IMPORT_ACTOR = "import"
_SIGN_IN_ACTIONS = (AuditEntry.Action.SIGN_IN, AuditEntry.Action.SIGN_IN_FAILED, AuditEntry.Action.SIGN_OUT)
_ROLE_ACTIONS = (AuditEntry.Action.ROLE_ADDED, AuditEntry.Action.ROLE_REMOVED)


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEntry:
    """Append one entry. `actor` is the account acting (None: the system or unknown);
    `obj` the object acted on."""
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    return AuditEntry.objects.create(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label[:150],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:200],
    )


def audit_record_many(*, entries: list[AuditEntry]) -> None:
    """Append prepared (unsaved) entries in one query (the organisation import)."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def _retention_days() -> dict[str, int]:
    days = {action: settings.AUDIT_SIGN_IN_RETENTION_DAYS for action in _SIGN_IN_ACTIONS}
    days |= {action: settings.AUDIT_ROLE_CHANGE_RETENTION_DAYS for action in _ROLE_ACTIONS}
    days |= getattr(settings, "AUDIT_RETENTION_DAYS_BY_ACTION", {})
    return days


@transaction.atomic
def audit_entries_remove_expired(*, now: datetime | None = None) -> int:
    """Delete the entries older than their kind's period; returns how many. The one
    place that deletes: it lifts the database's append-only guard for this transaction."""
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ledelse.audit_cleanup', 'on', true)")
    removed = 0
    for action, days in _retention_days().items():
        expired = AuditEntry.objects.filter(action=action, time__lt=now - timedelta(days=days))
        # The model's QuerySet.delete refuses; this is the one delete there is.
        removed += expired._raw_delete(expired.db)
    return removed
