"""LUS background work: the periodic retention task and the hourly "held once the booked time
has passed" (scheduled in CELERY_BEAT_SCHEDULE by whoever runs beat; see README)."""

from __future__ import annotations

import logging

from celery import shared_task

from lus import services

logger = logging.getLogger(__name__)


@shared_task(name="lus.retention")
def lus_retention() -> int:
    report = services.retention_run()
    # Ids and round names only: the log never holds LUS content.
    logger.info("LUS retention deleted %d LUS (cutoff %s): %s", report.count, report.cutoff, report.conversations)
    return report.count


@shared_task(name="lus.mark_held")
def lus_mark_held() -> int:
    return services.conversations_mark_held()
