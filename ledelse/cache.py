"""Redis as Django's cache, riding out a Redis outage.

What the cache holds here can be lost: allauth's rate-limit counts and TOTP replay marks,
the status page's shared figures, framework pages. So while Redis cannot be reached
(refused, or no answer within REDIS_CACHE_TIMEOUT seconds) a read is a miss, a write is
dropped and `add` says it added, with a warning in the log: sign-in and every page keep
working, without rate limits and shared figures until Redis is back (instead of HTTP 500 on
every sign-in). After a failure the process skips Redis for REDIS_CACHE_RETRY_AFTER
seconds (a page does not wait on every cache call). The outage is named by /health/ready/
("cache").
"""

from __future__ import annotations

import functools
import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


_down_until = 0.0  # per process: monotonic time before which Redis is not asked


def cache_is_down() -> bool:
    return time.monotonic() < _down_until


def _note_outage(exc: BaseException, what: str) -> None:
    global _down_until
    _down_until = time.monotonic() + getattr(settings, "REDIS_CACHE_RETRY_AFTER", 5)
    logger.warning("Cache unavailable (%s): %s", type(exc).__name__, what)


def _riding_out(fallback):
    """On an outage, `fallback(*args, **kwargs)` instead of the method's result."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if cache_is_down():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as exc:
                _note_outage(exc, method.__name__)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    get = _riding_out(_default)(RedisCache.get)
    set = _riding_out(lambda *a, **k: None)(RedisCache.set)
    add = _riding_out(lambda *a, **k: True)(RedisCache.add)  # no lock or replay mark held: let it pass
    touch = _riding_out(lambda *a, **k: False)(RedisCache.touch)
    delete = _riding_out(lambda *a, **k: False)(RedisCache.delete)
    get_many = _riding_out(lambda *a, **k: {})(RedisCache.get_many)
    set_many = _riding_out(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _riding_out(lambda *a, **k: None)(RedisCache.delete_many)
    has_key = _riding_out(lambda *a, **k: False)(RedisCache.has_key)
    clear = _riding_out(lambda *a, **k: False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        if cache_is_down():
            raise ValueError("Key not available while the cache is down.")
        try:
            return super().incr(key, delta, version)
        except OUTAGE as exc:
            _note_outage(exc, "incr")
            raise ValueError("Key not available while the cache is down.") from exc
