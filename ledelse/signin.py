"""Who may sign in, and how: the one place for the sign-in policy.

- `account_for_login`: the account a login text (username or e-mail) names, if exactly one.
  The rate limit and the password check both use it, so "leder" and "leder@example.org"
  are the same account to both.
- `local_password_allowed`: accounts made by the import sign in through SSO and never get
  a local password; when SSO is configured, local passwords are for break-glass
  administrators (superusers) and, with DEBUG on, the demo accounts only.
- `AccountBackend`: the password check, with the same work (one run of the hasher) for
  every attempt, whether the account exists, has a password or may use it.
- `sso_account_for`: the account an SSO identity signs in to (bound identity first, then
  the import's immutable id, then the imported e-mail address only), or a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest

from ledelse.demo import DEMO_ACCOUNTS
from ledelse.models import Person, SsoIdentity, User


def account_for_login(login: str) -> User | None:
    """The one account whose username is `login` or whose e-mail address is `login` (any
    case); None when there is none or more than one."""
    login = (login or "").strip()
    if not login:
        return None
    matches = list(get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2])
    return matches[0] if len(matches) == 1 else None


def sso_configured() -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS)


def local_password_allowed(user: AbstractBaseUser | AnonymousUser) -> bool:
    """May this account sign in with, reset or set a local password?"""
    if not isinstance(user, AbstractBaseUser) or not user.has_usable_password():
        return False  # made by the import: SSO only (Entra's MFA and disabling apply)
    if not sso_configured():
        return True
    if user.is_superuser:
        return True  # break-glass administrator
    return settings.DEBUG and user.get_username() in DEMO_ACCOUNTS


class AccountBackend(AuthenticationBackend):
    """Username or e-mail and password, resolved to one account and checked once.

    allauth's backend next to Django's ModelBackend hashed up to three times for an existing
    e-mail address and twice for an unknown one (measurably slower: 1.5 s against 1.0 s).
    Here every attempt runs the hasher exactly once.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: str) -> AbstractBaseUser | None:
        password = credentials.get("password")
        if not password:
            return None
        login = credentials.get("username") or credentials.get("email") or ""
        user = account_for_login(login)
        if user is None or not local_password_allowed(user):
            make_password(password)  # the same work as a real check
            return None
        self._did_check_password = False
        return self._check_password(user, password)


# --- SSO ----------------------------------------------------------------------------------------


class SsoRefused(Exception):
    """The identity cannot sign in: `reason` says why (for the log and the page)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class SsoClaims:
    issuer: str
    subject: str
    sso_id: str  # the provider's immutable id for the person (Entra: oid), "" if absent
    verified_emails: tuple[str, ...]


def sso_account_for(*, claims: SsoClaims) -> tuple[User, bool]:
    """The account this identity signs in to, and whether it is bound already.

    1. An identity bound at an earlier sign-in (issuer and subject) signs in to its account,
       whatever e-mail address it carries now.
    2. Otherwise the person whose imported `sso_id` is the identity's immutable id.
    3. Otherwise the person whose imported e-mail address (the import's, never one a user
       added) is the identity's verified address, among people without an `sso_id`.
    Refused: no match, more than one account could match, or the account is bound to
    another identity already.
    """
    bound = SsoIdentity.objects.select_related("user").filter(issuer=claims.issuer, subject=claims.subject).first()
    if bound is not None:
        return bound.user, True
    people = Person.objects.none()
    if claims.sso_id:
        people = Person.objects.filter(sso_id=claims.sso_id, user__isnull=False)
    if not people.exists() and claims.verified_emails:
        by_email = Q()
        for email in claims.verified_emails:
            by_email |= Q(email__iexact=email)
        people = Person.objects.filter(by_email, user__isnull=False)
        if people.exclude(sso_id="").exists():
            # The person is known by an immutable id; an address alone is not enough.
            raise SsoRefused("person has an sso_id, the identity another")
    user_ids = set(people.values_list("user_id", flat=True))
    if not user_ids:
        raise SsoRefused("no imported person matches")
    if len(user_ids) > 1:
        raise SsoRefused("more than one account matches")
    user = User.objects.get(pk=user_ids.pop())
    if SsoIdentity.objects.filter(user=user).exists():
        raise SsoRefused("account bound to another identity")
    return user, False


def sso_identity_bind(*, user: User, claims: SsoClaims) -> SsoIdentity:
    return SsoIdentity.objects.create(user=user, issuer=claims.issuer, subject=claims.subject)
