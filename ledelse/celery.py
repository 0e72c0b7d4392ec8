"""The Celery app, configured from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledelse.settings")


def make_app(**overrides: object) -> Celery:
    """The project's Celery app; `overrides` (Celery setting names) are for tests that
    need a real broker without one in the settings."""
    celery_app = Celery("ledelse")
    celery_app.config_from_object("django.conf:settings", namespace="CELERY")
    celery_app.conf.update(overrides)
    celery_app.autodiscover_tasks()
    return celery_app


app = make_app()
