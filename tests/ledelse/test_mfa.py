"""MFA (allauth's TOTP) for the local accounts of administrators and HR: they are sent to set
it up before they reach anything else, and then give a code at every sign-in."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def mfa_required(settings):
    settings.LEDELSE_MFA_REQUIRED = True


def _reauthenticate(client):
    # Adding an authenticator asks for the password again (allauth's reauthentication).
    r = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": ACTIVATE})
    assert r.status_code == 302 and r["Location"] == ACTIVATE


def _code(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("username", ["hr", "admin"])
def test_hr_and_administrators_are_sent_to_set_up_mfa(client, org, mfa_required, username):
    r = client.post(LOGIN, {"login": username, "password": PASSWORD})
    assert r.status_code == 302
    for url in ("/", "/admin/", "/ledelsesgrundlag/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(ACTIVATE), url
    r = client.get(ACTIVATE)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/reauthenticate/")
    _reauthenticate(client)
    assert client.get(ACTIVATE).status_code == 200


def test_the_setup_page_activates_totp(client, org, mfa_required):
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    _reauthenticate(client)
    page = client.get(ACTIVATE)
    secret = page.context["form"].secret
    r = client.post(ACTIVATE, {"code": _code(secret)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert client.get("/admin/").status_code == 200


def test_with_totp_set_up_the_sign_in_asks_for_a_code(client, org, mfa_required):
    secret = generate_totp_secret()
    TOTP.activate(org.users["hr"], secret)
    r = client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    r = client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert r.status_code == 302
    assert int(client.session["_auth_user_id"]) == org.users["hr"].pk
    assert client.get("/admin/").status_code == 200


def test_leaders_are_not_asked_for_mfa(client, org, mfa_required):
    client.post(LOGIN, {"login": "leader", "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_an_sso_account_is_not_asked_for_mfa_here(client, org, mfa_required):
    # Its MFA is Entra ID's (conditional access); it has no local password.
    user = org.users["hr"]
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_mfa_can_be_turned_off(client, org, settings):
    settings.LEDELSE_MFA_REQUIRED = False
    client.post(LOGIN, {"login": "hr", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
