"""Front page and health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ledelse import access
from ledelse.selectors import person_own_leader, unit_chain_above
from ledelse.status.overview import overview_for


def home(request: HttpRequest) -> HttpResponse:
    roles = access.roles_for(request.user)
    person = roles.person
    ctx = {"person": person, "roles": roles, "own_leader": None, "chain": []}
    ctx["overview"] = overview_for(user=request.user)
    if person is not None:
        ctx["own_leader"] = person_own_leader(person=person)
        ctx["chain"] = list(unit_chain_above(unit=person.unit, include_self=True))
    return render(request, "ledelse/home.html", ctx)


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
