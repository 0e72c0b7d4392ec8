"""E-mail addresses come from the organisation import: nobody manages them at /accounts/email/."""

from allauth.account.models import EmailAddress

from tests.conftest import client_for


def test_nobody_can_add_an_address_to_their_account(client, org):
    client_for(client, org.users["leader3"])
    client.post("/accounts/email/", {"action_add": "", "email": "ida.nielsen@example.org"})
    assert not EmailAddress.objects.filter(email="ida.nielsen@example.org").exists()


def test_nobody_can_make_another_address_primary(client, org):
    user = org.users["leader3"]
    EmailAddress.objects.create(user=user, email="leder3@example.org", primary=True, verified=True)
    client_for(client, user)
    client.post("/accounts/email/", {"action_primary": "", "email": "leder@example.org"})
    user.refresh_from_db()
    assert user.email == "leder3@example.org"
    assert not EmailAddress.objects.filter(email="leder@example.org").exists()


def test_the_page_shows_the_imported_address_read_only(client, org):
    client_for(client, org.users["leader3"])
    r = client.get("/accounts/email/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "leder3@example.org" in html
    assert 'name="email"' not in html and "action_add" not in html


def test_the_page_needs_sign_in(client, db):
    r = client.get("/accounts/email/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
