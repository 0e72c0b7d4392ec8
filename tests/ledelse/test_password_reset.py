"""Password reset: only accounts that may have a local password get a link, the link is
made from SITE_URL, and an unknown address gets no e-mail at all."""

import re

import pytest
from django.core import mail

from tests.ledelse.test_sso import PROVIDERS

RESET = "/accounts/password/reset/"


def _reset(client, email, **extra):
    return client.post(RESET, {"email": email}, **extra)


def test_an_account_with_a_local_password_gets_a_link(client, org):
    _reset(client, "leder@example.org")
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_link_is_made_from_site_url_not_the_host_header(client, org, settings):
    settings.SITE_URL = "https://ledelse.example.org"
    _reset(client, "leder@example.org", HTTP_HOST="evil.example")
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert re.search(r"https://ledelse\.example\.org/accounts/password/reset/key/\S+", body)


def test_an_unknown_address_gets_no_mail(client, org):
    r = _reset(client, "nobody@example.org")
    assert r.status_code == 302  # the same answer as for a known address
    assert mail.outbox == []


def test_an_imported_account_without_a_password_gets_no_reset(client, org):
    user = org.users["leader"]
    user.set_unusable_password()
    user.save()
    r = _reset(client, "leder@example.org")
    assert r.status_code == 302
    assert mail.outbox == []


def test_an_imported_account_cannot_set_a_password_when_signed_in(client, org):
    user = org.users["leader"]
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    client.post("/accounts/password/set/", {"password1": "A-new-long-pass-1", "password2": "A-new-long-pass-1"})
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_old_reset_link_for_an_imported_account_sets_no_password(client, org):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = org.users["leader"]
    user.set_unusable_password()
    user.save()
    url = f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}/"
    r = client.get(url, follow=True)
    client.post(
        r.redirect_chain[-1][0] if r.redirect_chain else url,
        {"password1": "A-new-long-pass-1", "password2": "A-new-long-pass-1"},
    )
    user.refresh_from_db()
    assert not user.has_usable_password()


@pytest.fixture
def sso_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS


def test_with_sso_configured_ordinary_accounts_get_no_reset(client, org, sso_configured):
    _reset(client, "leder@example.org")
    assert mail.outbox == []


def test_with_sso_configured_ordinary_accounts_cannot_sign_in_with_a_password(client, org, sso_configured):
    from tests.conftest import PASSWORD

    client.post("/accounts/login/", {"login": "leader", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_with_sso_configured_a_break_glass_administrator_keeps_a_local_password(client, org, sso_configured):
    from ledelse.models import User
    from tests.conftest import PASSWORD

    User.objects.create_superuser("breakglass", "breakglass@example.org", PASSWORD)
    client.post("/accounts/login/", {"login": "breakglass", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    _reset(client, "breakglass@example.org")
    assert len(mail.outbox) == 1
