"""Settings come from the environment; production values pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-like-secret-0123456789abcdefXYZ",
    "ALLOWED_HOSTS": "ledelse.example.org",
    "SITE_URL": "https://ledelse.example.org",
    "EMAIL_BACKEND": "smtp",
    "DATABASE_URL": "sqlite:////tmp/ledelse-check.sqlite3",
    # A shared cache is required in production (ledelse.E002); the check does not connect.
    "REDIS_CACHE_URL": "redis://127.0.0.1:6379/15",
}


def _manage(*args, env_extra):
    # The test run itself sets these; a production process would not.
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "ledelse.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_a_site_url():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION | {"SITE_URL": ""})
    assert result.returncode != 0
    assert "notifications.W001" in result.stderr + result.stdout


def test_check_deploy_fails_without_a_secret_key():
    result = _manage("check", "--deploy", env_extra=PRODUCTION | {"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "ledelse.E001" in result.stderr and "SECRET_KEY must be set" in result.stderr


def test_the_server_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(PRODUCTION | {"SECRET_KEY": "", "DJANGO_SETTINGS_MODULE": "ledelse.settings"})
    for module in ("ledelse.wsgi", "ledelse.asgi"):
        result = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0, module
        assert "SECRET_KEY must be set" in result.stderr


def test_management_commands_run_without_a_secret_key():
    # A newcomer's `manage.py makemigrations` needs no production secrets.
    result = _manage("makemigrations", "--check", "--dry-run", env_extra=PRODUCTION | {"SECRET_KEY": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_sso_needs_its_server_url():
    result = _manage("check", env_extra=PRODUCTION | {"OIDC_CLIENT_ID": "abc"})
    assert result.returncode != 0 and "OIDC_SERVER_URL" in result.stderr


def test_seed_demo_refuses_without_debug():
    result = _manage("seed_demo", env_extra=PRODUCTION)
    assert result.returncode != 0
    assert "kører kun med DEBUG" in result.stderr


def test_check_deploy_fails_with_a_per_process_cache():
    # allauth's rate limits count in the cache: per-process memory would give each gunicorn
    # worker its own count.
    result = _manage("check", "--deploy", env_extra=PRODUCTION | {"REDIS_CACHE_URL": ""})
    assert result.returncode != 0
    assert "ledelse.E002" in result.stderr
