"""Celery tasks of the plans: take ids (or nothing), call one service."""

from celery import shared_task
from django.conf import settings
from django.db import transaction

from dialogues import hearings, services


@shared_task(name="dialogues.plans_follow_leaders")
def plans_follow_leaders() -> int:
    return services.plans_follow_leaders()


@shared_task(name="dialogues.hearings_close_due")
def hearings_close_due() -> int:
    return hearings.hearings_close_due()


@shared_task(name="dialogues.material_warm")
def material_warm(version_id: int) -> int:
    return services.material_warm(version_id=version_id)


def material_warm_on_publish(sender: object, *, version_id: int, **kwargs: object) -> None:
    """values.signals.version_published: the version's material rendered into the PDF store
    by a worker (settings.DOCUMENTS_WARM_ON_PUBLISH). A failed enqueue is logged; the
    publishing stands, and the first reader then waits for the render."""
    if settings.DOCUMENTS_WARM_ON_PUBLISH:
        transaction.on_commit(lambda: material_warm.delay(version_id), robust=True)
