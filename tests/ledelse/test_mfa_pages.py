"""The MFA pages (allauth.mfa: set-up, sign-in step, index, turning off, recovery codes and
confirming it is you) are our own DKFDS templates in Danish, not allauth's defaults, for an
HR user who must have MFA."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
OURS = Path(settings.BASE_DIR, "templates")


@pytest.fixture
def mfa_required(settings):
    settings.LEDELSE_MFA_REQUIRED = True


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def assert_our_template(response, name: str) -> str:
    """The page rendered `name` from templates/ (not allauth's of the same name), in our
    layout and in Danish; returns the HTML."""
    assert response.status_code in (200, 400), response.status_code
    used = [t for t in response.templates if t.name == name]
    assert used, [t.name for t in response.templates]
    assert Path(used[0].origin.name).is_relative_to(OURS), used[0].origin.name
    html = response.content.decode()
    assert 'lang="da"' in html and 'id="main-content"' in html
    assert "allauth" not in html.split('id="main-content"', 1)[1]  # no allauth element markup
    return html


def _with_totp(client, org) -> str:
    """HR with the authenticator app and recovery codes set up, signed in with both steps
    and just confirmed with the password (allauth asks again before changing MFA)."""
    user = org.users["hr"]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    r = client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert r.status_code == 302
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return secret


def test_the_password_confirmation_before_set_up_is_ours(client, org, mfa_required):
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    html = assert_our_template(client.get("/accounts/reauthenticate/"), "account/reauthenticate.html")
    assert "Bekræft, at det er dig" in html
    r = client.post("/accounts/reauthenticate/", {"password": "wrong"})
    html = assert_our_template(r, "account/reauthenticate.html")
    assert 'data-module="error-summary"' in html


def test_the_set_up_page_is_ours_with_the_qr_code_and_the_secret(client, org, mfa_required):
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    r = client.get("/accounts/2fa/totp/activate/")
    html = assert_our_template(r, "mfa/totp/activate_form.html")
    assert "Opsæt en godkendelsesapp" in html and 'alt="QR-kode til godkendelsesappen"' in html
    assert r.context["form"].secret in html
    r = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    html = assert_our_template(r, "mfa/totp/activate_form.html")
    assert 'data-module="error-summary"' in html and 'aria-invalid="true"' in html


def test_after_set_up_the_recovery_codes_are_shown_on_our_page(client, org, mfa_required):
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    r = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)}, follow=True)
    html = assert_our_template(r, "mfa/recovery_codes/index.html")
    codes = RecoveryCodes(org.users["hr"].authenticator_set.get(type="recovery_codes")).get_unused_codes()
    assert codes and all(f"<code>{c}</code>" in html for c in codes)
    assert "Gendannelseskoder" in html


def test_the_sign_in_step_is_ours(client, org, mfa_required):
    TOTP.activate(org.users["hr"], generate_totp_secret())
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    html = assert_our_template(client.get("/accounts/2fa/authenticate/"), "mfa/authenticate.html")
    assert "To-faktor-godkendelse" in html and 'autocomplete="one-time-code"' in html
    assert 'form="logout-from-stage"' in html  # cancel ends the half-done sign-in
    r = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    html = assert_our_template(r, "mfa/authenticate.html")
    assert 'data-module="error-summary"' in html


def test_the_index_is_ours(client, org, mfa_required):
    _with_totp(client, org)
    html = assert_our_template(client.get("/accounts/2fa/"), "mfa/index.html")
    assert "To-faktor-godkendelse med en godkendelsesapp er slået til." in html
    assert "Du har 10 ubrugte gendannelseskoder." in html


def test_turning_the_app_off_is_ours(client, org, mfa_required):
    _with_totp(client, org)
    html = assert_our_template(client.get("/accounts/2fa/totp/deactivate/"), "mfa/totp/deactivate_form.html")
    assert "Slå godkendelsesappen fra" in html


def test_the_recovery_code_pages_are_ours(client, org, mfa_required):
    _with_totp(client, org)
    assert_our_template(client.get("/accounts/2fa/recovery-codes/"), "mfa/recovery_codes/index.html")
    html = assert_our_template(client.get("/accounts/2fa/recovery-codes/generate/"), "mfa/recovery_codes/generate.html")
    assert "De koder, du har nu, holder op med at virke." in html


def test_confirming_with_a_code_is_ours(client, org, mfa_required):
    _with_totp(client, org)
    html = assert_our_template(client.get("/accounts/2fa/reauthenticate/"), "mfa/reauthenticate.html")
    assert "Bekræft, at det er dig" in html and 'autocomplete="one-time-code"' in html


def test_the_set_up_pages_stylesheet_does_not_make_a_new_secret(client, org, mfa_required):
    """Every page asks for its print stylesheet (/udskrift.css); sent to the set-up page
    instead, that request made a new secret behind the QR code the person was scanning."""
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    r = client.get("/udskrift.css", {"side": "/accounts/2fa/totp/activate/"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/css")
    assert client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)}).status_code == 302
