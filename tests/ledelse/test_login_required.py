"""Every page needs sign-in, except the sign-in pages themselves and /health/."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.http import url_has_allowed_host_and_scheme

# Reachable without signing in, on purpose: the health check and the sign-in flow
# (login, logout, the closed sign-up page, password reset, SSO). Every other URL, allauth's
# account-management pages included, must send a signed-out visitor to the login page.
PUBLIC = {
    "/health/",
    "/health/live/",
    "/health/ready/",
    "/tilgaengelighed/",  # the accessibility statement, as the law asks: readable by anyone
    "/favicon.ico",
    "/udskrift.css",
    "/accounts/login/",
    "/accounts/login/code/confirm/",
    "/accounts/2fa/authenticate/",  # the TOTP step of a sign-in (allauth.mfa)
    "/accounts/logout/",
    "/accounts/signup/",
    "/accounts/inactive/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/x/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/x-x/",
    "/accounts/password/reset/key/done/",
    "/accounts/oidc/x/login/",
    "/accounts/oidc/x/login/callback/",
    "/accounts/3rdparty/login/cancelled/",
    "/accounts/3rdparty/signup/",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _example_url(pattern: str) -> str:
    """Turn a route or regex into a concrete URL with placeholder values."""
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", pattern)  # regex groups (admin)
    url = re.sub(r"<(?:int:)?\w*(?:pk|id|number)>", "1", url)
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<(?:slug|str|path|uuid):\w+>|<\w+>", "x", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + url


URLS = sorted({_example_url(p) for p in _walk(get_resolver().url_patterns)})
PUBLIC_URLS = [u for u in URLS if u in PUBLIC]
PROTECTED_URLS = [u for u in URLS if u not in PUBLIC_URLS]


def test_there_are_urls_to_check():
    assert "/" in URLS and "/ledelsesgrundlag/" in URLS and len(PROTECTED_URLS) > 20
    assert set(PUBLIC_URLS) == PUBLIC  # the allowlist names real URLs only


@pytest.mark.parametrize("url", PROTECTED_URLS)
def test_it_requires_sign_in(client, db, url):
    r = client.get(url)
    assert r.status_code == 302, url
    # The admin's views send you to the admin login, which sends you on to ours.
    assert r["Location"].startswith(("/accounts/login/?next=", "/admin/login/?next=")), url


def test_the_admin_login_sends_you_to_ours(client, db):
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_the_public_pages_do_not_ask_for_sign_in(client, db, url):
    r = client.get(url)
    assert not (r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")), url


def test_health_is_public(client, db):
    assert client.get("/health/").status_code == 200


def test_the_login_page_is_public(client, db):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert 'lang="da"' in r.content.decode()


def test_a_signed_in_user_without_admin_access_is_refused_not_offered_another_login(client, org):
    client.force_login(org.users["leader"])
    r = client.get("/admin/", follow=True)
    assert r.status_code == 403
    assert 'name="password"' not in r.content.decode()


def test_staff_get_the_admin(client, org):
    client.force_login(org.users["hr"])
    assert client.get("/admin/").status_code == 200
    r = client.get("/admin/login/?next=/admin/values/")
    assert r.status_code == 302 and r["Location"] == "/admin/values/"


def test_the_admin_login_does_not_redirect_elsewhere(client, org):
    client.force_login(org.users["hr"])
    r = client.get("/admin/login/?next=https://evil.example/")
    assert r.status_code == 302 and r["Location"] == "/admin/"


def test_a_next_that_is_no_url_does_not_break_the_admin_login(client, org):
    # It used to be a server error: the hand-written admin login passed "abc" to redirect(),
    # which took it for a URL name.
    client.force_login(org.users["hr"])
    r = client.get("/admin/login/?next=abc")
    assert r.status_code == 302
    assert url_has_allowed_host_and_scheme(r["Location"], allowed_hosts={"testserver"})
    assert client.get("/admin/login/?next=").headers["Location"] == "/admin/"
