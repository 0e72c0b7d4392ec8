"""HR and administrators keep the frameworks up to date in the Django admin."""

import pytest

from tests.values.factories import make_framework
from values.models import FrameworkVersion, Item

CHANGELIST = "/admin/values/frameworkversion/"


@pytest.fixture
def framework(org):
    return make_framework(slug="g", themes=2, principles=2)


def _action(client, action, version):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [version.pk]}, follow=True)


def test_hr_makes_a_draft_edits_it_and_publishes_it(client, org, framework):
    client.force_login(org.users["hr"])
    published = framework.current_version
    r = _action(client, "make_draft", published)
    assert r.status_code == 200
    draft = FrameworkVersion.objects.get(framework=framework, status="kladde")
    assert draft.number == 2
    assert draft.items.count() == published.items.count()

    # Edit an item's text and move a theme in the draft.
    item = draft.items.get(key="princip-1-1")
    change = f"/admin/values/item/{item.pk}/change/"
    form = client.get(change)
    assert form.status_code == 200
    r = client.post(change, {
        "version": draft.pk, "parent": item.parent_id, "kind": "principle", "key": item.key, "position": item.position,
        "depth": item.depth, "title": "Princip 1.1", "subtitle": "", "body": "Ny tekst om tillid.", "after": "",
        "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0,
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    item.refresh_from_db()
    assert item.body == "Ny tekst om tillid."

    _action(client, "publish", draft)
    framework.refresh_from_db()
    assert framework.current_version_id == draft.pk
    published.refresh_from_db()
    assert published.status == "arkiveret"
    # The old version is unchanged and still readable.
    assert published.items.get(key="princip-1-1").body != "Ny tekst om tillid."
    client.force_login(org.users["employee"])
    assert "Ny tekst om tillid." in client.get("/ledelsesgrundlag/g/").content.decode()
    assert "Ny tekst om tillid." not in client.get("/ledelsesgrundlag/g/version/1/").content.decode()


def test_a_published_version_cannot_be_edited(client, org, framework):
    client.force_login(org.users["hr"])
    item = framework.current_version.items.get(key="princip-1-1")
    before = item.body
    client.post(f"/admin/values/item/{item.pk}/change/", {"body": "Ændret", "title": "X", "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0})
    item.refresh_from_db()
    assert item.body == before
    # The version page opens read-only: no save button.
    r = client.get(f"/admin/values/frameworkversion/{framework.current_version_id}/change/")
    assert r.status_code == 200 and 'name="_save"' not in r.content.decode()
    assert not Item.objects.filter(body="Ændret").exists()


def test_only_drafts_can_be_published(client, org, framework):
    client.force_login(org.users["hr"])
    version = framework.current_version
    r = _action(client, "publish", version)
    assert "Kun kladder kan udgives" in r.content.decode()
    version.refresh_from_db()
    assert version.status == "udgivet"


def test_a_leader_has_no_admin(client, org, framework):
    client.force_login(org.users["leader"])
    r = client.get(CHANGELIST)
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    r = _action(client, "make_draft", framework.current_version)
    assert not FrameworkVersion.objects.filter(status="kladde").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, framework):
    r = client.post(CHANGELIST, {"action": "make_draft", "_selected_action": [framework.current_version_id]})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert not FrameworkVersion.objects.filter(status="kladde").exists()


def test_the_change_history_records_edits(client, org, framework):
    client.force_login(org.users["hr"])
    _action(client, "make_draft", framework.current_version)
    draft = FrameworkVersion.objects.get(status="kladde")
    item = draft.items.get(key="tema-1")
    client.post(f"/admin/values/item/{item.pk}/change/", {
        "version": draft.pk, "parent": "", "kind": "theme", "key": item.key, "position": item.position, "depth": 0,
        "title": "Tema 1 (rettet)", "subtitle": "", "body": item.body, "after": "",
        "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0,
    })
    from django.contrib.admin.models import LogEntry

    entry = LogEntry.objects.get(object_id=str(item.pk), content_type__model="item")
    assert entry.user == org.users["hr"]
    assert "Title" in entry.change_message  # stored untranslated, shown translated
    assert client.get(f"/admin/values/item/{item.pk}/history/").status_code == 200
