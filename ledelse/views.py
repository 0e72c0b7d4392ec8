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


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the database always, the broker when configured."""
    checks: dict[str, str] = {}
    for name, check, enabled in (
        ("database", _check_database, True),
        ("broker", _check_broker, bool(settings.CELERY_BROKER_URL)),
    ):
        if not enabled:
            checks[name] = "not configured"
            continue
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure means unhealthy; report its kind, not secrets
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@require_GET
def account_email(request: HttpRequest) -> HttpResponse:
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
