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
    "EMAIL_BACKEND": "smtp",
    "DATABASE_URL": "sqlite:////tmp/ledelse-check.sqlite3",
}


def _manage(*args, env_extra):
    # The test run itself sets these; a production process would not.
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "ledelse.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    env = dict(PRODUCTION)
    env["SECRET_KEY"] = ""
    result = _manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sso_needs_its_server_url():
    result = _manage("check", env_extra=PRODUCTION | {"OIDC_CLIENT_ID": "abc"})
    assert result.returncode != 0 and "OIDC_SERVER_URL" in result.stderr


def test_seed_demo_refuses_without_debug():
    result = _manage("seed_demo", env_extra=PRODUCTION)
    assert result.returncode != 0
    assert "kører kun med DEBUG" in result.stderr
