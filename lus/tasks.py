"""LUS background work: the periodic retention task (scheduled in CELERY_BEAT_SCHEDULE by
whoever runs beat; see README)."""

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
