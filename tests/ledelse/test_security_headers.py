"""Response headers: no caching of signed-in pages, a Permissions-Policy, and the production
settings (CSP, HSTS, cookies) as a production process reads them."""

import json

from tests.conftest import client_for
from tests.ledelse.test_settings import PRODUCTION, _manage


def test_a_signed_in_page_is_not_stored_by_caches(client, org):
    client_for(client, org.users["leader"])
    for url in ("/", "/ledelsesgrundlag/", "/accounts/email/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "no-store" in r["Cache-Control"], url


def test_a_redirect_for_a_signed_in_user_is_not_stored_either(client, org):
    client_for(client, org.users["hr"])
    r = client.get("/admin/login/?next=/admin/")
    assert "no-store" in r["Cache-Control"]


def test_the_public_login_page_is_not_marked_for_signed_in_users_only(client, db):
    r = client.get("/accounts/login/")
    assert r.status_code == 200  # no requirement either way; it must simply work


def test_every_page_has_a_permissions_policy(client, org):
    for r in (client.get("/accounts/login/"), client_for(client, org.users["leader"]).get("/")):
        policy = r["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def _production_settings(**extra):
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SECURE_CSP', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_NAME', "
        "'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_SSL_REDIRECT', 'LEDELSE_MFA_REQUIRED', 'ACCOUNT_SESSION_REMEMBER']}, default=str))"
    )
    result = _manage("shell", "--no-imports", "-c", code, env_extra=PRODUCTION | extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_production_settings_are_strict():
    s = _production_settings()
    csp = s["SECURE_CSP"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert all("unsafe" not in v for values in csp.values() for v in values)
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-") and s["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["LEDELSE_MFA_REQUIRED"] is True
    assert s["ACCOUNT_SESSION_REMEMBER"] is False


def test_sso_adds_only_the_identity_provider_to_form_action():
    s = _production_settings(OIDC_CLIENT_ID="abc", OIDC_SERVER_URL="https://login.microsoftonline.com/t/v2.0")
    assert s["SECURE_CSP"]["form-action"] == ["'self'", "https://login.microsoftonline.com"]


def test_mfa_can_be_turned_off_from_the_environment():
    assert _production_settings(MFA_REQUIRED="false")["LEDELSE_MFA_REQUIRED"] is False
