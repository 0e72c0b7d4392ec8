"""Celery tasks of the status package (scheduled by CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from celery import shared_task

from ledelse.status import services


@shared_task(name="status.take_snapshots", ignore_result=True)
def take_snapshots() -> int:
    """The weekly snapshot of every plan (Monday morning)."""
    return services.snapshots_take()
