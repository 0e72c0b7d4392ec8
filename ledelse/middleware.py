"""Middleware of our own: session timeouts, MFA set-up for administrators and HR, and the
headers every response carries (no caching of signed-in pages, Permissions-Policy)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

Handler = Callable[[HttpRequest], HttpResponseBase]

# The last-seen time is written at most this often (seconds), not on every request.
_SEEN_RESOLUTION = 60
SESSION_SIGNED_IN_AT = "ledelse_signed_in_at"
SESSION_SEEN_AT = "ledelse_seen_at"


def session_start(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """Starts the session's clock at every sign-in, before Django saves the new session
    (connected to `user_logged_in` in LedelseConfig.ready: the one hook every sign-in passes,
    allauth's and the test client's alike)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_SIGNED_IN_AT] = now
        request.session[SESSION_SEEN_AT] = now


logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers /health/ before anything reads the Host header or redirects to HTTPS: the
    container healthcheck and the load balancer ask on the container's own address
    (Host 127.0.0.1, plain HTTP), which production ALLOWED_HOSTS and SECURE_SSL_REDIRECT
    would refuse. The view reads no host and no session, and says only ok or not."""

    PATHS = ("/health/", "/health/live/", "/health/ready/")

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info in self.PATHS:
            from ledelse import views  # the view module imports models: not at import time

            return views.health_live(request) if request.path_info == "/health/live/" else views.health(request)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session idle for SESSION_IDLE_TIMEOUT seconds, or SESSION_ABSOLUTE_TIMEOUT
    seconds after sign-in however busy. Both are checked on the server: the session is
    flushed, so an old copy of the cookie is worth nothing."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            signed_in_at = session.setdefault(SESSION_SIGNED_IN_AT, now)
            seen_at = session.get(SESSION_SEEN_AT, now)
            if now - seen_at > settings.SESSION_IDLE_TIMEOUT or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)  # flushes the session; LoginRequiredMiddleware sends to login
            elif now - seen_at >= _SEEN_RESOLUTION or SESSION_SEEN_AT not in session:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Administrators and HR with a local password set up TOTP before anything else
    (LEDELSE_MFA_REQUIRED). Accounts that sign in through SSO have Entra ID's MFA."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.LEDELSE_MFA_REQUIRED and _needs_mfa_setup(request):
            # The page's print stylesheet too: redirected, the browser's request for it
            # would load the set-up page again, which makes a new secret, so the code from
            # the QR code just scanned would never match.
            allowed = (
                reverse("mfa_index"),
                reverse("account_logout"),
                reverse("account_reauthenticate"),
                reverse("print_margin_css"),
            )
            if not request.path.startswith(allowed) and not request.path.startswith(settings.STATIC_URL):
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _needs_mfa_setup(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or not (user.is_staff or user.is_superuser):
        return False  # HR and administrators are staff (ledelse.services.people_sync_admin_access)
    return user.has_usable_password() and not is_mfa_enabled(user)


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user (pages with personal
    data stay out of shared and browser caches), and a Permissions-Policy on every response."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseBusyMiddleware:
    """A statement that gave up (statement_timeout, lock_timeout: a locked table, see
    DATABASE_STATEMENT_TIMEOUT) is a clear page in Danish with status 503, not a 500: the
    request's transaction rolled back, so nothing was half-saved, and the user is told to
    save again in a minute."""

    BUSY_SQLSTATES = ("57014", "55P03")  # query_canceled, lock_not_available

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        from django.db import OperationalError
        from django.template.loader import render_to_string

        cause = exception.__cause__ if isinstance(exception, OperationalError) else None
        if getattr(cause, "sqlstate", None) not in self.BUSY_SQLSTATES:
            return None
        logger.warning("Database busy on %s %s (%s)", request.method, request.path, cause.sqlstate)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
