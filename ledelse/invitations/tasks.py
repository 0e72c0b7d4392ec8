"""Celery tasks of the calendar invitations (the e-mails themselves go through
ledelse.notifications)."""

from __future__ import annotations

from celery import shared_task

from ledelse.invitations import services


@shared_task(name="invitations.remove_expired", acks_late=True, ignore_result=True)
def remove_expired() -> int:
    return services.invitations_remove_expired()
