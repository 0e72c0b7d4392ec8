import pytest

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def test_it_signs_in_with_the_right_password(client, org):
    r = client.post(LOGIN, {"login": "leader", "password": PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Lene Leder" in home.content.decode()


def test_it_accepts_the_email_address_too(client, org):
    r = client.post(LOGIN, {"login": "leder@example.org", "password": PASSWORD})
    assert r.status_code == 302


def test_it_refuses_the_wrong_password_in_danish(client, org):
    r = client.post(LOGIN, {"login": "leader", "password": "wrong"})
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "brugernavn og/eller adgangskode" in r.content.decode().lower()


def test_it_rate_limits_failed_logins(client, org):
    for _ in range(5):
        assert client.post(LOGIN, {"login": "leader", "password": "wrong"}).status_code == 200
    # Even the right password is refused until the window has passed.
    r = client.post(LOGIN, {"login": "leader", "password": PASSWORD})
    assert "for mange mislykkede logonforsøg" in r.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_the_rate_limit_is_per_account(client, org):
    for _ in range(5):
        client.post(LOGIN, {"login": "leader", "password": "wrong"})
    r = client.post(LOGIN, {"login": "leader2", "password": PASSWORD})
    assert r.status_code == 302


def test_it_has_no_public_signup(client, db):
    from ledelse.models import User

    r = client.post(
        "/accounts/signup/",
        {"username": "ny", "email": "ny@example.org", "password1": "x-Very-long-1", "password2": "x-Very-long-1"},
    )
    assert "Du kan ikke selv oprette en konto" in r.content.decode()
    assert not User.objects.filter(username="ny").exists()


def test_logout_needs_post(client, org):
    client.force_login(org.users["leader"])
    client.get("/accounts/logout/")
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_the_limit_counts_the_account_whether_named_by_username_or_email(client, org):
    for login in ("leader", "leder@example.org", "LEDER@example.org", "leader", "leder@example.org"):
        client.post(LOGIN, {"login": login, "password": "wrong"})
    r = client.post(LOGIN, {"login": "leder@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "for mange mislykkede logonforsøg" in r.content.decode().lower()


def test_another_host_header_gives_no_fresh_tries(client, org):
    for host in ("a.example", "b.example", "c.example", "d.example", "e.example"):
        client.post(LOGIN, {"login": "leader", "password": "wrong"}, HTTP_HOST=host)
    client.post(LOGIN, {"login": "leader", "password": PASSWORD}, HTTP_HOST="f.example")
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_one_client_does_not_lock_out_another(client, org, settings):
    # Every request reaches gunicorn from the proxy's address; the proxy adds the client's.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for i in range(20):
        client.post(LOGIN, {"login": f"nobody{i}", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    r = client.post(LOGIN, {"login": "nobody", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert "for mange mislykkede logonforsøg" in r.content.decode().lower()  # the noisy client is stopped ...
    r = client.post(LOGIN, {"login": "leader", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert r.status_code == 302  # ... and another client behind the same proxy is not


def test_the_proxy_settings_come_from_the_environment():
    from tests.ledelse.test_settings import PRODUCTION, _manage

    code = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    result = _manage("shell", "--no-imports", "-c", code, env_extra=PRODUCTION | {"ALLAUTH_TRUSTED_PROXY_COUNT": "1"})
    assert result.stdout.split() == ["1", "None"], result.stderr
    env = PRODUCTION | {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    assert _manage("shell", "--no-imports", "-c", code, env_extra=env).stdout.split() == ["0", "X-Real-IP"]


@pytest.fixture
def hashing(monkeypatch):
    """Counts the password hasher's work (the tests' hasher is MD5)."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        calls.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    return calls


@pytest.mark.parametrize(
    "login",
    ["leder@example.org", "nobody@example.org", "leader", "nobody"],
)
def test_a_wrong_password_costs_the_same_work_whether_or_not_the_account_exists(client, org, hashing, login):
    client.post(LOGIN, {"login": login, "password": "wrong"})
    assert len(hashing) == 1


def test_an_account_without_a_usable_password_costs_the_same_work(client, org, hashing):
    user = org.users["leader"]
    user.set_unusable_password()
    user.save()
    hashing.clear()
    client.post(LOGIN, {"login": "leader", "password": "wrong"})
    assert len(hashing) == 1
