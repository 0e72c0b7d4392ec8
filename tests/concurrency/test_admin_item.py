"""Two HR users edit one framework item in the admin (issue 17, point 1): the second one's
older form does not revert the first one's title."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.concurrency.htmlform import form_fields, with_values
from tests.values.factories import make_framework
from values import services
from values.models import FrameworkVersion, Item

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft_item(org):
    framework = make_framework(slug="g", themes=2, principles=2, owner_unit="Hospital A")
    draft = services.version_draft_create(version=framework.current_version)
    return FrameworkVersion.objects.get(pk=draft.pk).items.get(key="princip-1-1")


def _admin_form(client: Client, url: str) -> dict:
    return form_fields(client.get(url).content.decode())  # the change form posts to itself


def test_the_second_hr_users_older_form_does_not_revert_the_title(org, draft_item):
    url = f"/admin/values/item/{draft_item.pk}/change/"
    first, second = _session(org.users["hr"]), _session(org.users["admin"])
    firsts, seconds = _admin_form(first, url), _admin_form(second, url)
    assert "seen_version" in firsts

    assert first.post(url, with_values(firsts, title="Ny titel")).status_code == 302
    response = second.post(url, with_values(seconds, body="Ny tekst om tillid."))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Gemt af en anden imens: “Ny titel”" in page
    item = Item.objects.get(pk=draft_item.pk)
    assert item.title == "Ny titel" and item.body != "Ny tekst om tillid."
    # Saving again (the conflict seen) keeps the second user's whole form: a deliberate choice.
    again = form_fields(page)
    assert second.post(url, again).status_code == 302


def test_the_item_service_refuses_a_change_from_an_older_version(org, draft_item):
    from ledelse.concurrency.versions import Seen, VersionConflict

    seen = Seen.parse(services.item_seen_token(item=draft_item))
    services.item_update(user=org.users["hr"], item=draft_item, changes={"title": "Ny"}, seen=seen)
    with pytest.raises(VersionConflict):
        services.item_update(user=org.users["admin"], item=draft_item, changes={"title": "Gammel"}, seen=seen)
    assert Item.objects.get(pk=draft_item.pk).title == "Ny"
