"""Celery tasks: each takes ids and calls one service.

`send_reminder` and `send_digest` acknowledge late and are rejected (so redelivered) when the
worker dies mid-task; the services lock the rows and send only what is still waiting, so a
redelivery sends nothing twice. A transient SMTP failure is retried with exponential backoff
(REMINDER_MAX_RETRIES times, REMINDER_RETRY_BACKOFF seconds first, doubled each time, at most 10 minutes between tries: never a
far-future countdown on Redis); after the last retry the reminder is marked failed.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from ledelse.notifications import services


class _SendTask(Task):
    autoretry_for = services.TRANSIENT_ERRORS
    retry_backoff_max = 600
    retry_jitter = True
    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True

    # Read when each Celery app makes its task, so settings (and tests) choose it.
    @property
    def retry_backoff(self) -> int:
        return settings.REMINDER_RETRY_BACKOFF

    # Read at each retry.
    @property
    def max_retries(self) -> int:
        return settings.REMINDER_MAX_RETRIES


class _SendReminderTask(_SendTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        reminder_id = kwargs.get("reminder_id", args[0] if args else None)
        if reminder_id is not None:
            services.reminder_mark_failed(reminder_id=reminder_id, error=services._error_text(exc))


@shared_task(name="notifications.send_reminder", base=_SendReminderTask)
def send_reminder(reminder_id: int) -> str:
    return services.reminder_send(reminder_id=reminder_id)


@shared_task(name="notifications.send_digest", base=_SendTask)
def send_digest(user_id: int) -> int:
    return services.digest_send(user_id=user_id)


@shared_task(name="notifications.sweep_reminders", acks_late=True, ignore_result=True)
def sweep_reminders() -> int:
    return services.reminders_sweep().total_claimed


@shared_task(name="notifications.send_weekly_digests", acks_late=True, ignore_result=True)
def send_weekly_digests() -> int:
    return services.digests_enqueue()
