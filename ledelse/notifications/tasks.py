"""Celery tasks: each takes ids and calls one service.

`send_reminder` and `send_digest` acknowledge late and are rejected (so redelivered) when the
worker dies mid-task; the services mark a row as being sent and send only what is still
waiting, so a redelivery sends nothing twice. A transient SMTP failure is retried
REMINDER_MAX_RETRIES times with "full jitter": the pause before retry n is a random number
of seconds from 0 up to REMINDER_RETRY_BACKOFF * 2**n (at most 10 minutes; never a
far-future countdown on Redis), so with 60 the first retry comes after 0-60 s, not 60 s.
After the last retry the reminder is marked failed; the recovery sweep
(ledelse.notifications.recovery) tries it again later with growing pauses, up to an age
limit. A send that went out but could not be recorded (the database connection was lost)
retries only the recording: it is never marked failed and never sent again by the admin.
Each send is bounded: EMAIL_TIMEOUT per SMTP step, and soft/hard time limits on the task.
"""

from __future__ import annotations

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from ledelse.notifications import services


class _SendTask(Task):
    autoretry_for = services.TRANSIENT_ERRORS
    retry_backoff_max = 600
    retry_jitter = True
    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True
    # A send is one SMTP conversation (EMAIL_TIMEOUT per step): a task that takes longer is
    # stopped (soft: it frees its row and retries; hard: the process is killed).
    soft_time_limit = 90
    time_limit = 120

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


@shared_task(name="notifications.send_reminder", base=_SendReminderTask, bind=True)
def send_reminder(self, reminder_id: int, delivered: bool = False) -> str:
    try:
        return services.reminder_send(reminder_id=reminder_id, delivered=delivered)
    except services.DeliveredButNotRecorded as exc:
        # Sent: only the recording is retried (never the send), for up to an hour.
        raise self.retry(
            args=(reminder_id,), kwargs={"delivered": True}, countdown=30, max_retries=120, exc=exc
        ) from exc
    except SoftTimeLimitExceeded as exc:
        services.reminder_send_interrupted(reminder_id=reminder_id, error=services._error_text(exc))
        raise self.retry(exc=exc) from exc


@shared_task(name="notifications.send_digest", base=_SendTask)
def send_digest(user_id: int) -> int:
    return services.digest_send(user_id=user_id)


@shared_task(name="notifications.sweep_reminders", acks_late=True, ignore_result=True)
def sweep_reminders() -> int:
    return services.reminders_sweep().total_claimed


@shared_task(name="notifications.send_weekly_digests", acks_late=True, ignore_result=True)
def send_weekly_digests() -> int:
    return services.digests_enqueue()


@shared_task(name="notifications.recover", acks_late=True, ignore_result=True)
def recover() -> dict:
    from ledelse.notifications import recovery

    done = recovery.reminders_recover()
    return {"requeued": done.requeued, "retried": done.retried, "given_up": done.given_up}
