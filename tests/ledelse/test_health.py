import os

import pytest


def test_it_reports_the_database(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "checks": {"database": "ok", "broker": "not configured"}}


def test_it_reports_a_reachable_broker(client, db, settings):
    settings.CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json()["checks"]["broker"] == "ok"


def test_it_fails_when_the_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    r = client.get("/health/")
    assert r.status_code == 503
    assert r.json()["checks"]["broker"].startswith("error")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client, db, method):
    assert getattr(client, method)("/health/").status_code == 405
