"""The Celery app in the project package: configured from Django settings, and able to run
work on a real worker through Redis. (The product's first tasks, the plan reminders, come
with the dialogues app; this proves the wiring they will use.)"""

import os

from celery.contrib.testing.worker import start_worker

from ledelse.celery import app, make_app

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _add(x: int, y: int) -> int:
    return x + y


def test_it_is_configured_from_django_settings(settings):
    assert app.conf.timezone == settings.CELERY_TIMEZONE == "Europe/Copenhagen"
    assert app.conf.task_acks_late is True
    # No broker configured: tasks run eagerly in-process (make run).
    assert settings.CELERY_BROKER_URL == "" and app.conf.task_always_eager is True
    add = app.task(name="tests.celery.add_eager", ignore_result=False)(_add)
    assert add.delay(2, 3).get() == 5


def test_a_real_worker_runs_a_task_through_redis():
    redis_app = make_app(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    add = redis_app.task(name="tests.celery.add", ignore_result=False)(_add)
    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = add.delay(20, 22)
        assert result.get(timeout=15) == 42
        assert result.status == "SUCCESS"
