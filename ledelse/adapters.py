"""No public sign-up: accounts come from the organisation import, and an SSO identity signs
in to the imported account it is bound to or matches (ledelse.signin decides which).

The adapters also make every link in allauth's e-mails from SITE_URL (never the request's
Host header), key the failed-login limit on the account, refuse local passwords to
accounts that sign in through SSO, and write sign-ins and failed sign-ins to the audit log.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ledelse.audit.models import AuditEntry
from ledelse.audit.services import audit_record
from ledelse.signin import (
    SsoClaims,
    SsoRefused,
    account_for_login,
    local_password_allowed,
    sso_account_for,
    sso_identity_bind,
)

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin


def _site() -> SimpleNamespace:
    """The site as e-mails name it: from SITE_URL, not from the request."""
    return SimpleNamespace(name=_("Leadership frameworks"), domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    # --- Links and e-mails ----------------------------------------------------------------------

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL.rstrip("/") + path.replace("UID-KEY", key)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "current_site": _site()}
        msg = self.render_mail(template_prefix, email, {"request": self.request, **context})
        msg.send()

    def format_email_subject(self, subject: str) -> str:
        return f"[{_site().name}] {subject}"

    # --- Passwords ------------------------------------------------------------------------------

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        # The last guard for every way to a password (reset link, "set password"): an account
        # that signs in through SSO gets none.
        if not local_password_allowed(user):
            raise PermissionDenied("This account signs in through single sign-on.")
        super().set_password(user, password)

    # --- Failed-login limit -------------------------------------------------------------------

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys it on the Host header plus the exact text typed, so the same account
        # by e-mail instead of username, or with another Host value, got fresh tries.
        login = credentials.get("email") or credentials.get("username") or ""
        user = account_for_login(login)
        return f"account:{user.pk}" if user is not None else f"login:{login.strip().lower()}"

    # --- Sign-in and the audit log --------------------------------------------------------------

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        super().login(request, user)  # the session's clock starts: ledelse.middleware.session_start
        audit_record(action=AuditEntry.Action.SIGN_IN, actor=user)

    def logout(self, request: HttpRequest) -> None:
        user = request.user if request.user.is_authenticated else None
        super().logout(request)
        if user is not None:
            audit_record(action=AuditEntry.Action.SIGN_OUT, actor=user)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # The account when the text names one; never the text itself (it may be a password
        # typed into the wrong field).
        user = account_for_login(credentials.get("email") or credentials.get("username") or "")
        audit_record(action=AuditEntry.Action.SIGN_IN_FAILED, actor=user, detail="password")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def authenticate_by_email(self, sociallogin: SocialLogin) -> None:
        # allauth would match any address on any account (also one a user added); the
        # matching is ledelse.signin's, in pre_social_login.
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        claims = _claims(sociallogin)
        try:
            user, bound = sso_account_for(claims=claims)
            if sociallogin.is_existing and sociallogin.user.pk != user.pk:
                raise SsoRefused("the provider account belongs to another user")
        except SsoRefused as refused:
            if refused.reason == "no imported person matches" and not sociallogin.is_existing:
                # Nobody the import knows: allauth's closed sign-up page says so.
                audit_record(action=AuditEntry.Action.SIGN_IN_FAILED, detail="sso: unknown")
                return
            audit_record(action=AuditEntry.Action.SIGN_IN_FAILED, detail=f"sso: {refused.reason}"[:200])
            raise ImmediateHttpResponse(render(request, "account/sso_refused.html", status=403)) from None
        if not bound:
            sso_identity_bind(user=user, claims=claims)
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)


def _claims(sociallogin: SocialLogin) -> SsoClaims:
    data = sociallogin.account.extra_data or {}
    id_token = data.get("id_token") or {}
    userinfo = data.get("userinfo") or {}
    provider = sociallogin.provider
    issuer = id_token.get("iss") or provider.app.settings.get("server_url", provider.id)
    claim = settings.OIDC_SSO_ID_CLAIM
    return SsoClaims(
        issuer=str(issuer).rstrip("/"),
        subject=str(sociallogin.account.uid),
        sso_id=str(id_token.get(claim) or userinfo.get(claim) or ""),
        verified_emails=tuple(e.email for e in sociallogin.email_addresses if e.verified),
    )
