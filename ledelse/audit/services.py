"""Writing the audit log, and removing entries past their period.

Entries carry who, what and which object, never content (no passwords, no typed login
text, no LUS text). Each kind of entry is kept for its own period (settings
`AUDIT_SIGN_IN_RETENTION_DAYS`, `AUDIT_ROLE_CHANGE_RETENTION_DAYS`); kinds other apps add
register their period in `AUDIT_RETENTION_DAYS_BY_ACTION` (an action not listed is kept).

Entries about an object an app keeps "as long as the object" (a LUS read is kept as long as
the LUS) are removed with it: the app deletes them in the transaction that deletes the
object (`audit_entries_remove_for_objects`), and the periodic cleanup removes those of
objects that are gone anyway. An app declares such object types on its AppConfig
(`audit_kept_with_object = ("lus.conversation",)`), so this module names no other app.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from ledelse.audit.models import AuditEntry, audit_object_type

IMPORT_ACTOR = "import"
_SIGN_IN_ACTIONS = (AuditEntry.Action.SIGN_IN, AuditEntry.Action.SIGN_IN_FAILED, AuditEntry.Action.SIGN_OUT)
_ROLE_ACTIONS = (AuditEntry.Action.ROLE_ADDED, AuditEntry.Action.ROLE_REMOVED)


def audit_entry_build(
    *,
    action: str,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEntry:
    """One entry, not yet saved (for `audit_record_many`)."""
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    return AuditEntry(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label[:150],
        object_type=audit_object_type(obj) if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:200],
    )


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEntry:
    """Append one entry. `actor` is the account acting (None: the system or unknown);
    `obj` the object acted on; `detail` a short content-free qualifier."""
    entry = audit_entry_build(action=action, actor=actor, actor_label=actor_label, obj=obj, detail=detail)
    entry.save()
    return entry


def audit_record_many(*, entries: Iterable[AuditEntry]) -> None:
    """Append prepared (unsaved) entries in one query (the organisation import, a LUS page
    that reads several parts)."""
    AuditEntry.objects.bulk_create(list(entries), batch_size=1000)


def _retention_days() -> dict[str, int]:
    days = {action: settings.AUDIT_SIGN_IN_RETENTION_DAYS for action in _SIGN_IN_ACTIONS}
    days |= {action: settings.AUDIT_ROLE_CHANGE_RETENTION_DAYS for action in _ROLE_ACTIONS}
    days |= getattr(settings, "AUDIT_RETENTION_DAYS_BY_ACTION", {})
    return days


def audit_types_kept_with_object() -> list[str]:
    """The object types whose entries live as long as the object (declared by the apps)."""
    return sorted(
        {label for config in apps.get_app_configs() for label in getattr(config, "audit_kept_with_object", ())}
    )


def _lift_guard() -> None:
    """Let this transaction delete entries (the trigger otherwise refuses)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ledelse.audit_cleanup', 'on', true)")


def _raw_delete(entries: models.QuerySet[AuditEntry]) -> int:
    # The model's QuerySet.delete refuses; these deletes are the only ones there are.
    return entries._raw_delete(entries.db)


@transaction.atomic
def audit_entries_remove_for_objects(*, object_type: str, object_ids: Iterable[object]) -> int:
    """Delete the entries about these objects (an app deleting the objects calls this in
    the same transaction); returns how many."""
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return 0
    _lift_guard()
    return _raw_delete(AuditEntry.objects.filter(object_type=object_type, object_id__in=ids))


@transaction.atomic
def audit_entries_remove_expired(*, now: datetime | None = None) -> int:
    """Delete the entries older than their kind's period, and those about objects of a
    kept-with-object type that no longer exist; returns how many. The one periodic place
    that deletes: it lifts the database's append-only guard for this transaction."""
    now = now or timezone.now()
    _lift_guard()
    removed = 0
    for action, days in _retention_days().items():
        removed += _raw_delete(AuditEntry.objects.filter(action=action, time__lt=now - timedelta(days=days)))
    for label in audit_types_kept_with_object():
        model = apps.get_model(label)
        existing = model._base_manager.annotate(audit_id=Cast("pk", models.CharField())).values("audit_id")
        removed += _raw_delete(AuditEntry.objects.filter(object_type=label).exclude(object_id__in=existing))
    return removed
