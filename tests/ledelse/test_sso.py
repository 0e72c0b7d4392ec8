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
