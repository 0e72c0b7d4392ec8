"""Celery tasks of the plans: take ids (or nothing), call one service."""

from celery import shared_task

from dialogues import hearings, services


@shared_task(name="dialogues.plans_follow_leaders")
def plans_follow_leaders() -> int:
    return services.plans_follow_leaders()


@shared_task(name="dialogues.hearings_close_due")
def hearings_close_due() -> int:
    return hearings.hearings_close_due()
