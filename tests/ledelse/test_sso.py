"""Sign-in through OpenID Connect (Microsoft Entra ID), with the provider's HTTP responses
mocked: the only part of this flow that leaves the machine."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount

SERVER = "https://login.example.test/tenant-id/v2.0"
CONFIG = {
    "issuer": SERVER,
    "authorization_endpoint": f"{SERVER}/authorize",
    "token_endpoint": f"{SERVER}/token",
    "userinfo_endpoint": f"{SERVER}/userinfo",
    "jwks_uri": f"{SERVER}/keys",
    "token_endpoint_auth_methods_supported": ["client_secret_post"],
}
PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "entra",
                "name": "Microsoft Entra ID",
                "client_id": "client-id",
                "secret": "client-secret",
                "settings": {"server_url": SERVER, "verified_email": ["example.org"]},
            }
        ]
    }
}


class FakeResponse:
    def __init__(self, data, status=200):
        self._data, self.status_code = data, status
        self.headers = {"content-type": "application/json"}
        self.text = json.dumps(data)
        self.content = self.text.encode()

    def json(self):
        return self._data

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class FakeProvider:
    """Stands in for the identity provider's endpoints."""

    def __init__(self, userinfo):
        self.userinfo = userinfo
        self.calls = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get(self, url, **kwargs):
        self.calls.append(("GET", url))
        if url == f"{SERVER}/.well-known/openid-configuration":
            return FakeResponse(CONFIG)
        if url == CONFIG["userinfo_endpoint"]:
            return FakeResponse(self.userinfo)
        return FakeResponse({}, 404)

    def post(self, url, **kwargs):
        self.calls.append(("POST", url))
        assert url == CONFIG["token_endpoint"]
        return FakeResponse({"access_token": "access", "token_type": "Bearer", "expires_in": 3600})

    def request(self, method, url, **kwargs):
        return self.get(url, **kwargs) if method.upper() == "GET" else self.post(url, **kwargs)


@pytest.fixture
def provider(settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS

    def install(userinfo):
        fake = FakeProvider(userinfo)
        monkeypatch.setattr("ledelse.adapters.SocialAccountAdapter.get_requests_session", lambda self: fake)
        return fake

    return install


def _sso(client):
    r = client.post("/accounts/oidc/entra/login/")
    assert r.status_code == 302 and r["Location"].startswith(CONFIG["authorization_endpoint"])
    state = parse_qs(urlsplit(r["Location"]).query)["state"][0]
    return client.get("/accounts/oidc/entra/login/callback/", {"code": "the-code", "state": state})


def test_the_login_page_offers_sso_when_configured(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS
    html = client.get("/accounts/login/").content.decode()
    assert "Microsoft Entra ID" in html
    assert "/accounts/oidc/entra/login/" in html


def test_the_login_page_has_no_sso_without_configuration(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "/accounts/oidc/" not in client.get("/accounts/login/").content.decode()


def test_an_imported_leader_signs_in_with_sso(client, org, provider):
    fake = provider({"sub": "entra-123", "email": "leder@example.org", "name": "Lene Leder"})
    r = _sso(client)
    assert r.status_code == 302 and r["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == org.users["leader"].pk
    assert SocialAccount.objects.get(uid="entra-123").user == org.users["leader"]
    assert ("POST", CONFIG["token_endpoint"]) in fake.calls


def test_an_unknown_person_is_refused(client, org, provider):
    from ledelse.models import User

    provider({"sub": "entra-999", "email": "fremmed@example.org", "name": "En Fremmed"})
    users_before = User.objects.count()
    r = _sso(client)
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert r.status_code == 200 and "Du kan ikke selv oprette en konto" in r.content.decode()


def test_an_unverified_address_outside_the_tenant_is_not_matched(client, org, provider):
    from ledelse.models import User

    User.objects.filter(pk=org.users["leader"].pk).update(email="leder@andet-domaene.test")
    provider({"sub": "entra-555", "email": "leder@andet-domaene.test", "name": "Lene Leder"})
    _sso(client)
    assert "_auth_user_id" not in client.session


# --- Binding: an identity is bound to its issuer and subject after the first sign-in -------


def test_the_first_sign_in_binds_the_identity_to_issuer_and_subject(client, org, provider):
    from ledelse.models import SsoIdentity

    provider({"sub": "entra-123", "email": "leder@example.org", "name": "Lene Leder"})
    _sso(client)
    identity = SsoIdentity.objects.get(user=org.users["leader"])
    assert (identity.issuer, identity.subject) == (SERVER, "entra-123")


def test_a_bound_identity_signs_in_to_its_account_whatever_email_it_carries(client, org, provider):
    provider({"sub": "entra-3", "email": "leder3@example.org", "name": "Lise Leder Tre"})
    _sso(client)
    client.post("/accounts/logout/")
    # The same identity later carries another person's address (changed in the tenant).
    provider({"sub": "entra-3", "email": "leder@example.org", "name": "Lise Leder Tre"})
    _sso(client)
    assert int(client.session["_auth_user_id"]) == org.users["leader3"].pk


def test_another_identity_with_the_address_of_a_bound_account_is_refused(client, org, provider):
    provider({"sub": "entra-1", "email": "leder@example.org", "name": "Lene Leder"})
    _sso(client)
    client.post("/accounts/logout/")
    # Another person's provider answer carries leder@'s address: no second way into her account.
    provider({"sub": "entra-666", "email": "leder@example.org", "name": "Mallory"})
    _sso(client)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(uid="entra-666").exists()


def test_an_address_a_user_added_to_their_own_account_is_not_matched(client, org, provider):
    from allauth.account.models import EmailAddress

    # leader3 somehow got ida's address on her account (it used to be possible at /accounts/email/).
    EmailAddress.objects.create(user=org.users["leader3"], email="ida.nielsen@example.org", verified=True)
    provider({"sub": "entra-ida", "email": "ida.nielsen@example.org", "name": "Ida Nielsen"})
    _sso(client)
    assert "_auth_user_id" not in client.session


def test_the_first_match_uses_the_imported_sso_id_when_the_import_carries_one(client, org, provider):
    from ledelse.models import Person

    Person.objects.filter(user=org.users["leader"]).update(sso_id="oid-lene")
    # The answer carries leder@'s address but another object id: not her.
    provider({"sub": "entra-x", "oid": "oid-someone-else", "email": "leder@example.org", "name": "X"})
    _sso(client)
    assert "_auth_user_id" not in client.session
    client.post("/accounts/logout/")
    # Her own object id matches, whatever address the answer carries.
    provider({"sub": "entra-lene", "oid": "oid-lene", "email": "lene.privat@example.org", "name": "Lene Leder"})
    _sso(client)
    assert int(client.session["_auth_user_id"]) == org.users["leader"].pk


def test_an_address_that_more_than_one_account_could_match_is_refused(client, org, provider):
    from ledelse.models import Person

    Person.objects.filter(user=org.users["leader2"]).update(email="leder@example.org")
    provider({"sub": "entra-123", "email": "leder@example.org", "name": "Lene Leder"})
    r = _sso(client)
    assert "_auth_user_id" not in client.session
    assert r.status_code == 403 and "Vi kunne ikke logge dig ind" in r.content.decode()
