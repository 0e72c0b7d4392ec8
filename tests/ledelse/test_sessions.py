"""Sessions: idle and absolute timeouts, no "remember me", a new key at sign-in, sign-out and
deactivation end the session on the server."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _sign_in(client, login="leader"):
    r = client.post(LOGIN, {"login": login, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]


def test_the_login_page_offers_no_remember_me(client, db):
    assert 'name="remember"' not in client.get(LOGIN).content.decode()


def test_a_session_ends_when_the_browser_closes_even_when_remember_is_posted(client, org):
    client.post(LOGIN, {"login": "leader", "password": PASSWORD, "remember": "on"})
    assert client.session.get_expire_at_browser_close()


def test_signing_in_gives_a_new_session_key(client, org):
    client.get(LOGIN)
    session = client.session
    session["x"] = 1
    session.save()
    before = session.session_key
    _sign_in(client)
    assert client.session.session_key != before


def test_signing_out_ends_the_session_on_the_server(client, org):
    _sign_in(client)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # an old copy of the cookie gets nothing
    assert client.get("/").status_code == 302


@pytest.fixture
def clock(monkeypatch):
    """Moves the session middleware's clock (time.time) forward."""
    now = [time.time()]
    monkeypatch.setattr("ledelse.middleware.time.time", lambda: now[0])

    def advance(seconds):
        now[0] += seconds

    return advance


def test_an_idle_session_ends_after_the_idle_timeout(client, org, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    _sign_in(client)
    clock(29 * 60)
    assert client.get("/").status_code == 200
    clock(29 * 60)  # activity keeps it alive
    assert client.get("/").status_code == 200
    clock(31 * 60)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)


def test_a_busy_session_ends_after_the_absolute_timeout(client, org, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
    _sign_in(client)
    for _ in range(12 * 60 // 20 - 1):
        clock(20 * 60)
        assert client.get("/").status_code == 200
    clock(21 * 60)
    assert client.get("/").status_code == 302


def test_the_timeouts_come_from_the_environment():
    from tests.ledelse.test_settings import PRODUCTION, _manage

    code = "from django.conf import settings; print(settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT)"
    assert _manage("shell", "--no-imports", "-c", code, env_extra=PRODUCTION).stdout.split() == ["1800", "43200"]
    env = PRODUCTION | {"SESSION_IDLE_TIMEOUT": "600", "SESSION_ABSOLUTE_TIMEOUT": "3600"}
    assert _manage("shell", "--no-imports", "-c", code, env_extra=env).stdout.split() == ["600", "3600"]


def test_deactivating_an_account_in_the_admin_ends_all_its_sessions(client, org):
    from django.test import Client

    other = Client()
    _sign_in(other, "leader2")
    _sign_in(Client(), "leader2")
    assert other.get("/").status_code == 200
    client.force_login(org.users["admin"])
    from ledelse.models import User

    user = User.objects.get(username="leader2")
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    r = client.post(f"/admin/ledelse/user/{user.pk}/change/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    assert other.get("/").status_code == 302


def test_an_inactive_account_is_signed_out_on_its_next_request(client, org):
    _sign_in(client, "leader2")
    from ledelse.models import User

    User.objects.filter(username="leader2").update(is_active=False)
    assert client.get("/").status_code == 302
