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
