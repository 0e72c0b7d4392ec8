"""Celery tasks of the audit log."""

from __future__ import annotations

from celery import shared_task

from ledelse.audit.services import audit_entries_remove_expired


@shared_task(name="audit.remove_expired_entries", ignore_result=True)
def remove_expired_audit_entries() -> int:
    """Run daily by Celery beat (CELERY_BEAT_SCHEDULE)."""
    return audit_entries_remove_expired()
