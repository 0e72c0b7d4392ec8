"""Redis stopped and started (issue 17, point 5): sign-in works while the cache is down (its
rate limits live there), a document request saves the job and shows the job page, and
/health/ names the part that is down without taking the instance out."""

from __future__ import annotations

import pytest
from django.test import override_settings

from ledelse import cache as resilient
from ledelse.documents.models import DocumentJob
from tests.concurrency.redis_server import OwnRedis
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def own_redis(monkeypatch):
    server = OwnRedis()
    server.start()
    monkeypatch.setattr(resilient, "_down_until", 0.0)
    yield server
    server.cleanup()


def _cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "ledelse.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }


@pytest.mark.django_db
def test_sign_in_works_while_redis_is_down_and_rate_limits_again_when_it_is_back(client, org, own_redis):
    with override_settings(CACHES=_cache(own_redis.url), REDIS_CACHE_URL=own_redis.url):
        assert client.post(LOGIN, {"login": "leader", "password": PASSWORD}).status_code == 302
        client.logout()
        own_redis.stop()
        r = client.post(LOGIN, {"login": "leader", "password": PASSWORD})
        assert r.status_code == 302 and "_auth_user_id" in client.session
        assert client.get("/").status_code == 200
        health = client.get("/health/")
        assert health.status_code == 200 and "cache" in health.json()["down"]
        client.logout()
        own_redis.start()
        resilient._down_until = 0.0  # the retry pause has passed
        for _ in range(5):
            client.post(LOGIN, {"login": "leader2", "password": "forkert"})
        r = client.post(LOGIN, {"login": "leader2", "password": PASSWORD})
        assert "for mange mislykkede logonforsøg" in r.content.decode().lower()


@pytest.mark.django_db(transaction=True)
def test_a_document_request_while_the_broker_is_down_saves_the_job_and_shows_its_page(client, org):
    from celery import Celery

    down = Celery("broker-down", broker="redis://127.0.0.1:1/0", set_as_current=True)
    down.conf.broker_connection_retry = False
    down.conf.broker_connection_max_retries = 0
    down.conf.broker_transport_options = {"max_retries": 0, "socket_connect_timeout": 0.3}
    client.force_login(org.users["leader"])
    r = client.post("/planer/materiale/alle-dialogkort/", {"pr_ark": "6"}, follow=True)
    assert r.status_code == 200
    job = DocumentJob.objects.get()
    assert job.state == DocumentJob.State.PENDING and job.enqueued_at is None
    assert "Dokumentet laves, så snart baggrundstjenesten er tilbage" in r.content.decode()
