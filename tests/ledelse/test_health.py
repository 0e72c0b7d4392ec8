import os

import pytest
from django.test import override_settings


def test_it_reports_the_database(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    settings.REDIS_CACHE_URL = ""
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "not configured", "broker": "not configured"},
        "down": [],
    }


def test_it_reports_a_reachable_broker(client, db, settings):
    settings.CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    r = client.get("/health/ready/")
    assert r.status_code == 200
    assert r.json()["checks"]["broker"] == "ok"


def test_a_broker_that_is_down_is_named_and_the_instance_stays_in(client, db, settings):
    """Redis down is not this instance's fault: 200, "degraded", the part named (issue 17)."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json()["status"] == "degraded" and r.json()["down"] == ["broker"]
    assert r.json()["checks"]["broker"].startswith("error")


def test_a_cache_that_is_down_is_named(client, db, settings, monkeypatch):
    from ledelse import cache as resilient

    monkeypatch.setattr(resilient, "_down_until", 0.0)
    cache = {
        "BACKEND": "ledelse.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={"default": cache}, REDIS_CACHE_URL="redis://127.0.0.1:1/0"):
        r = client.get("/health/ready/")
    assert r.status_code == 200 and "cache" in r.json()["down"]


def test_liveness_asks_nothing_else(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    r = client.get("/health/live/")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_the_database_down_is_503(client, db, monkeypatch):
    from ledelse import views

    def refused():
        raise OSError("refused")

    monkeypatch.setattr(views, "_CHECKS", (("database", refused, lambda: True, True),))
    r = client.get("/health/")
    assert r.status_code == 503 and r.json()["down"] == ["database"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("path", ["/health/", "/health/live/", "/health/ready/"])
def test_it_only_answers_get(client, db, method, path):
    assert getattr(client, method)(path).status_code == 405
