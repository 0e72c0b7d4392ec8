"""The container healthcheck in docker-compose.yml, sent exactly as Docker sends it (plain
HTTP to 127.0.0.1, Host 127.0.0.1) to gunicorn running with production settings: DEBUG
off, ALLOWED_HOSTS naming only the public host, the HTTPS redirect on."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC_ROOT = "/tmp/ledelse-health-test-static"


def _healthcheck_code() -> str:
    """The Python one-liner of the web service's healthcheck, as written in the compose file."""
    compose = (ROOT / "docker-compose.yml").read_text()
    match = re.search(r'test: \["CMD", "python", "-c", "(.*)"\]', compose)
    assert match, "the web healthcheck is a python -c command"
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """DATABASE_URL with the test database's name (made by django_db_setup)."""
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = connection.settings_dict["NAME"]
    if not name.startswith("test_"):
        name = connection.creation._get_test_db_name()
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="module")
def production_server(django_db_setup):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ledelse.settings",  # production's, not the tests'
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "ledelse.example.org",
        "SITE_URL": "https://ledelse.example.org",
        "REDIS_CACHE_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "CELERY_BROKER_URL": "",
        "STATIC_ROOT": STATIC_ROOT,
        "DATABASE_URL": _database_url(),
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    if not (Path(STATIC_ROOT) / "staticfiles.json").exists():
        # Error pages use the manifest's static names; collected once, kept for later runs.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "ledelse.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Ready when a worker answers, not when the master listens: on a loaded machine a worker
    # takes many seconds to import Django after the socket is open.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            live = urllib.request.Request(f"http://127.0.0.1:{port}/health/live/", headers={"Host": "127.0.0.1"})
            urllib.request.urlopen(live, timeout=5).close()
            break
        except urllib.error.HTTPError:
            break  # a worker answered
        except OSError:
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)


def test_the_compose_healthcheck_passes_under_production_settings(production_server):
    code = _healthcheck_code().replace("127.0.0.1:8000", f"127.0.0.1:{production_server}")
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_the_health_answer_is_200_for_host_127_0_0_1(production_server):
    request = urllib.request.Request(f"http://127.0.0.1:{production_server}/health/", headers={"Host": "127.0.0.1"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert b'"database": "ok"' in response.read()


def test_other_pages_still_refuse_an_unknown_host(production_server):
    request = urllib.request.Request(f"http://127.0.0.1:{production_server}/accounts/login/")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
