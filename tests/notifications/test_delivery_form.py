"""The choice of e-mails at once or a weekly digest."""

from django.urls import reverse

from ledelse.notifications.models import NotificationSettings
from tests.conftest import client_for

URL = "/notifikationer/indstillinger/"


def test_the_url_is_danish():
    assert reverse("notifications:settings") == URL


def test_the_form_shows_the_current_choice(client, org):
    html = client_for(client, org.users["leader"]).get("/notifikationer/").content.decode()
    assert "Med det samme, én e-mail pr. notifikation" in html
    assert 'value="immediate" checked' in html


def test_a_user_chooses_the_weekly_digest(client, org):
    response = client_for(client, org.users["leader"]).post(URL, {"delivery": "weekly"})
    assert response.status_code == 302 and response["Location"] == "/notifikationer/"
    assert NotificationSettings.objects.get(user=org.users["leader"]).delivery == "weekly"
    html = client.get("/notifikationer/").content.decode()
    assert 'value="weekly" checked' in html and "Dit valg af e-mails er gemt." in html
    client.post(URL, {"delivery": "immediate"})
    assert NotificationSettings.objects.get(user=org.users["leader"]).delivery == "immediate"


def test_the_choice_is_the_users_own(client, org):
    client_for(client, org.users["leader"]).post(URL, {"delivery": "weekly"})
    assert not NotificationSettings.objects.filter(user=org.users["leader2"]).exists()


def test_a_tampered_choice_is_refused_in_danish(client, org):
    response = client_for(client, org.users["leader"]).post(URL, {"delivery": "hourly"})
    assert response.status_code == 400
    assert "Vælg en af mulighederne." in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_no_choice_is_refused_in_danish(client, org):
    response = client_for(client, org.users["leader"]).post(URL, {})
    assert response.status_code == 400
    assert "Vælg, hvordan du vil have dine e-mails." in response.content.decode()


def test_it_needs_sign_in(client, org):
    response = client.post(URL, {"delivery": "weekly"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not NotificationSettings.objects.exists()
