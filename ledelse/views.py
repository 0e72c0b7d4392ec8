"""Health check, favicon, print margins and the accessibility statement. The front page
composes the apps, so it lives in ledelse.status.home."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ledelse.view_helpers import AuthedRequest


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says (the pages link the SVG)."""
    response = HttpResponsePermanentRedirect(static("img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes and backslashes escaped, no control
    characters (so nothing can end the string or the rule)."""
    cleaned = "".join(c for c in text if c.isprintable())
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


@login_not_required
@require_GET
def print_margin_css(request: HttpRequest) -> HttpResponse:
    """The printed page's address and date for its bottom margin (static/css/print.css
    puts the page number there). CSS cannot know the page's address, and the CSP forbids
    inline style, so each page links this small stylesheet with its own path (?side=).
    Only the path is taken from the request; the host is this site's own."""
    path = request.GET.get("side", "/")
    if not path.startswith("/") or path.startswith("//"):
        path = "/"
    address = request.build_absolute_uri(path[:500])
    text = f"{address} · {date_format(timezone.localdate(), 'j. F Y')}"
    css = (
        "@media print { @page { @bottom-left { content: "
        + _css_string(text)
        + '; font-family: "IBM Plex Sans", Arial, sans-serif; font-size: 8pt; color: #444; } } }\n'
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The load benchmark's floor (BENCH_FLOOR only): signed in, the base layout, nothing else."""
    return render(request, "ledelse/bench_floor.html")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    from ledelse.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_cache() -> str:
    from django.core.cache import cache

    from ledelse.cache import cache_is_down

    if cache_is_down():
        return "error: unavailable"
    cache._cache.get_client(write=True).ping()  # the raw client: a failure is not hidden
    return "ok"


# Readiness: the database is needed for every page (down: 503, take this instance out). Redis
# as cache and broker is not: pages work without it (ledelse.cache; background work waits
# and the sweeps send it again), so it is reported by name with 200 ("degraded"), and a
# Redis outage does not take every web instance out of the load balancer.
_CHECKS = (
    ("database", _check_database, lambda: True, True),
    ("cache", _check_cache, lambda: bool(settings.REDIS_CACHE_URL), False),
    ("broker", _check_broker, lambda: bool(settings.CELERY_BROKER_URL), False),
)


def _run_check(check) -> str:
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - any failure means down; report its kind, not secrets
        return f"error: {type(exc).__name__}"


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Readiness (/health/ and /health/ready/): each part this instance uses, by name.
    503 only when the database is down; a part that pages can do without is "degraded"."""
    checks = {name: _run_check(check) if enabled() else "not configured" for name, check, enabled, _required in _CHECKS}
    down = [name for name, value in checks.items() if value.startswith("error")]
    required_down = [name for name, _c, _e, required in _CHECKS if required and name in down]
    status = "error" if required_down else ("degraded" if down else "ok")
    return JsonResponse({"status": status, "checks": checks, "down": down}, status=503 if required_down else 200)


@login_not_required
@never_cache
@require_GET
def health_live(request: HttpRequest) -> JsonResponse:
    """Liveness (/health/live/): the process answers. Asks nothing else, so an outage of a
    shared part never restarts every web process."""
    return JsonResponse({"status": "ok"})


@require_GET
def account_email(request: AuthedRequest) -> HttpResponse:
    """In place of allauth's e-mail management: the imported address, read-only."""
    from ledelse.models import SsoIdentity

    identity = SsoIdentity.objects.filter(user=request.user).first()
    return render(request, "account/email.html", {"sso_identity": identity})


@login_not_required
@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tilgængelighedserklæring) the law asks of Danish public
    sites: public, so it can be read before signing in."""
    return render(request, "ledelse/accessibility.html")
