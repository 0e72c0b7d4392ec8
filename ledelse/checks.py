"""System checks of our own settings."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def secret_key_is_set() -> bool:
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return False


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if secret_key_is_set():
        return []
    return [
        Error(
            "SECRET_KEY must be set when DEBUG is off.",
            hint="Set the SECRET_KEY environment variable.",
            id="ledelse.E001",
        )
    ]


def require_secret_key() -> None:
    """Called before serving: a server without a secret key does not start."""
    if not secret_key_is_set():
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")


_PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_cache(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """The failed-login limits (and MFA's used codes) count in the cache: per-process
    memory gives every gunicorn worker its own count, so the limits would not hold."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in _PER_PROCESS_CACHES:
        return []
    return [
        Error(
            "The cache is per-process: login rate limits would not be shared across workers.",
            hint="Set REDIS_CACHE_URL to a Redis shared by every web process.",
            id="ledelse.E002",
        )
    ]
