"""HR and administrators keep the frameworks up to date in the Django admin."""

import pytest
from django.core.exceptions import ValidationError

from tests.values.factories import make_framework
from values.models import FrameworkVersion, Item

CHANGELIST = "/admin/values/frameworkversion/"


@pytest.fixture
def framework(org):
    # Owned by Hospital A, inside the scope of the cast's HR (hr:A).
    return make_framework(slug="g", themes=2, principles=2, owner_unit="Hospital A")


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
    r = client.post(
        change,
        {
            "version": draft.pk,
            "parent": item.parent_id,
            "kind": "principle",
            "key": item.key,
            "position": item.position,
            "depth": item.depth,
            "title": "Princip 1.1",
            "subtitle": "",
            "body": "Ny tekst om tillid.",
            "after": "",
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        },
    )
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
    before = list(Item.objects.order_by("pk").values_list("pk", "title", "body", "position", "parent_id"))
    # A complete, valid form: on a draft this saves (see the test above).
    r = client.post(
        f"/admin/values/item/{item.pk}/change/",
        _item_form(item, title="Ændret titel", body="Ændret", position=5, parent=""),
    )
    assert r.status_code == 302
    assert list(Item.objects.order_by("pk").values_list("pk", "title", "body", "position", "parent_id")) == before
    # The item page and the version page open read-only: no text fields, no save button.
    html = client.get(f"/admin/values/item/{item.pk}/change/").content.decode()
    assert 'name="body"' not in html and 'name="title"' not in html
    r = client.get(f"/admin/values/frameworkversion/{framework.current_version_id}/change/")
    assert r.status_code == 200 and 'name="_save"' not in r.content.decode()


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
    client.post(
        f"/admin/values/item/{item.pk}/change/",
        {
            "version": draft.pk,
            "parent": "",
            "kind": "theme",
            "key": item.key,
            "position": item.position,
            "depth": 0,
            "title": "Tema 1 (rettet)",
            "subtitle": "",
            "body": item.body,
            "after": "",
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        },
    )
    from django.contrib.admin.models import LogEntry

    entry = LogEntry.objects.get(object_id=str(item.pk), content_type__model="item")
    assert entry.user == org.users["hr"]
    assert "Title" in entry.change_message  # stored untranslated, shown translated
    assert client.get(f"/admin/values/item/{item.pk}/history/").status_code == 200


def _item_form(item, **changes):
    data = {
        "version": item.version_id,
        "parent": item.parent_id or "",
        "kind": item.kind,
        "key": item.key,
        "position": item.position,
        "title": item.title,
        "subtitle": item.subtitle,
        "body": item.body,
        "after": item.after,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_hr_moves_a_theme_and_its_principles_follow(client, org, framework):
    client.force_login(org.users["hr"])
    _action(client, "make_draft", framework.current_version)
    draft = FrameworkVersion.objects.get(status="kladde")
    keys = list(draft.items.order_by("position").values_list("key", flat=True))
    assert keys == ["forord", "tema-1", "princip-1-1", "princip-1-2", "tema-2", "princip-2-1", "princip-2-2"]
    tema2 = draft.items.get(key="tema-2")
    # Between the foreword (10) and theme 1 (20).
    r = client.post(f"/admin/values/item/{tema2.pk}/change/", _item_form(tema2, position=15))
    assert r.status_code == 302
    ordered = list(draft.items.order_by("position").values_list("key", "position", "depth"))
    assert ordered == [
        ("forord", 10, 0),
        ("tema-2", 20, 0),
        ("princip-2-1", 30, 1),
        ("princip-2-2", 40, 1),
        ("tema-1", 50, 0),
        ("princip-1-1", 60, 1),
        ("princip-1-2", 70, 1),
    ]


def test_hr_moves_a_principle_to_another_theme(client, org, framework):
    client.force_login(org.users["hr"])
    _action(client, "make_draft", framework.current_version)
    draft = FrameworkVersion.objects.get(status="kladde")
    principle = draft.items.get(key="princip-1-1")
    tema2 = draft.items.get(key="tema-2")
    r = client.post(
        f"/admin/values/item/{principle.pk}/change/",
        _item_form(principle, parent=tema2.pk, position=tema2.position + 5),
    )
    assert r.status_code == 302
    principle.refresh_from_db()
    assert principle.parent_id == tema2.pk and principle.depth == 1
    assert list(tema2.children.order_by("position").values_list("key", flat=True)) == [
        "princip-1-1",
        "princip-2-1",
        "princip-2-2",
    ]


def test_a_parent_from_another_version_is_refused(client, org, framework):
    client.force_login(org.users["hr"])
    _action(client, "make_draft", framework.current_version)
    draft = FrameworkVersion.objects.get(status="kladde")
    principle = draft.items.get(key="princip-1-1")
    foreign = framework.current_version.items.get(key="tema-2")
    r = client.post(f"/admin/values/item/{principle.pk}/change/", _item_form(principle, parent=foreign.pk))
    assert r.status_code == 200
    assert "Det overordnede punkt skal være i samme version." in r.content.decode()
    principle.refresh_from_db()
    assert principle.parent.version_id == draft.pk


def test_swapped_positions_are_renumbered_within_the_transaction(org, framework):
    from django.db import transaction

    from values.services import version_draft_create, version_renumber

    draft = version_draft_create(version=framework.current_version)
    a, b = draft.items.get(key="tema-1"), draft.items.get(key="tema-2")
    with transaction.atomic():
        Item.objects.filter(pk=a.pk).update(position=b.position + 1)
        Item.objects.filter(pk=b.pk).update(position=a.position)  # a duplicate until renumbered
        version_renumber(version=draft)
    keys = list(draft.items.filter(depth=0).order_by("position").values_list("key", flat=True))
    assert keys == ["forord", "tema-2", "tema-1"]


def test_items_are_added_on_the_version_page_not_alone(client, org, framework):
    client.force_login(org.users["hr"])
    assert client.get("/admin/values/item/add/").status_code == 403


def test_the_admin_speaks_danish(client, org, framework):
    client.force_login(org.users["hr"])
    html = client.get("/admin/").content.decode()
    assert "Ledelsesgrundlag – administration" in html
    assert "Grundlagsversioner" in html and "Punkter" in html
    html = client.get(f"/admin/values/frameworkversion/{framework.current_version_id}/change/").content.decode()
    assert "Godkendt" in html and "Kildenote" in html


def test_versions_are_not_added_by_hand(client, org, framework):
    client.force_login(org.users["hr"])
    assert client.get("/admin/values/frameworkversion/add/").status_code == 403


def test_hr_outside_the_owners_scope_cannot_see_or_change_it(client, org, framework):
    other = make_framework(slug="b", owner_unit="Hospital B")
    regional = make_framework(slug="r")
    client.force_login(org.users["hr"])
    listing = client.get(CHANGELIST).content.decode()
    assert "Testgrundlag (version 1)" in listing
    for fw in (other, regional):
        assert client.get(f"/admin/values/frameworkversion/{fw.current_version_id}/change/").status_code == 302
        _action(client, "make_draft", fw.current_version)
        assert not FrameworkVersion.objects.filter(framework=fw, status="kladde").exists()


def test_an_administrator_edits_every_framework(client, org, framework):
    regional = make_framework(slug="r")
    client.force_login(org.users["admin"])
    _action(client, "make_draft", regional.current_version)
    assert FrameworkVersion.objects.filter(framework=regional, status="kladde").exists()


def test_published_and_archived_versions_cannot_be_deleted(client, org, framework):
    client.force_login(org.users["hr"])
    version = framework.current_version
    item = version.items.first()
    assert client.post(f"/admin/values/item/{item.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/values/frameworkversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [version.pk], "post": "yes"})
    assert FrameworkVersion.objects.filter(pk=version.pk).exists() and Item.objects.filter(pk=item.pk).exists()


def test_a_draft_can_be_deleted(client, org, framework):
    client.force_login(org.users["hr"])
    _action(client, "make_draft", framework.current_version)
    draft = FrameworkVersion.objects.get(status="kladde")
    r = client.post(f"/admin/values/frameworkversion/{draft.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_a_stale_draft_is_not_published_over_a_newer_version(client, org, framework):
    from values.services import version_draft_create, version_publish

    client.force_login(org.users["hr"])
    old_draft = version_draft_create(version=framework.current_version)
    newer = version_publish(version=version_draft_create(version=framework.current_version))
    r = _action(client, "publish", old_draft)
    assert "bygger på version 1, men version 3 er udgivet siden" in r.content.decode()
    framework.refresh_from_db()
    assert framework.current_version_id == newer.pk


def test_hr_links_only_between_frameworks_it_edits(client, org, framework):
    from values.models import ItemLink

    other = make_framework(slug="b", owner_unit="Hospital B")
    second = make_framework(slug="a1", title="Afdelingens grundlag", owner_unit="Afdeling A1")
    client.force_login(org.users["hr"])
    mine = framework.current_version.items.get(key="tema-1")
    theirs = other.current_version.items.get(key="tema-1")
    r = client.post("/admin/values/itemlink/add/", {"source": theirs.pk, "target": mine.pk, "note": "x"})
    assert r.status_code == 200
    assert "Du kan kun tilføje forbindelser fra grundlag, du redigerer." in r.content.decode()
    # Nor to one: the note would show on the other framework's page.
    r = client.post("/admin/values/itemlink/add/", {"source": mine.pk, "target": theirs.pk, "note": "x"})
    assert r.status_code == 200
    assert "Du kan kun tilføje forbindelser til grundlag, du redigerer." in r.content.decode()
    assert not ItemLink.objects.exists()
    # Between two of its own it may.
    target = second.current_version.items.get(key="tema-1")
    r = client.post("/admin/values/itemlink/add/", {"source": mine.pk, "target": target.pk, "note": "x"})
    assert r.status_code == 302 and ItemLink.objects.count() == 1


def test_a_link_to_an_archived_item_is_refused_in_the_admin(client, org, framework):
    from values.models import ItemLink
    from values.services import version_draft_create, version_publish

    second = make_framework(slug="a1", title="Afdelingens grundlag", owner_unit="Afdeling A1")
    old = second.current_version
    version_publish(version=version_draft_create(version=old))
    client.force_login(org.users["hr"])
    source = framework.current_version.items.get(key="tema-1")
    r = client.post(
        "/admin/values/itemlink/add/", {"source": source.pk, "target": old.items.get(key="tema-1").pk, "note": ""}
    )
    assert "En forbindelse skal gå til et punkt i et grundlags gældende, udgivne version." in r.content.decode()
    assert not ItemLink.objects.exists()


def test_an_administrator_links_across_regions_in_the_admin(client, org, framework):
    from values.models import ItemLink

    other = make_framework(slug="anden", region="Region Anden")
    client.force_login(org.users["admin"])
    r = client.post(
        "/admin/values/itemlink/add/",
        {
            "source": framework.current_version.items.get(key="tema-1").pk,
            "target": other.current_version.items.get(key="tema-1").pk,
            "note": "",
        },
    )
    assert r.status_code == 302 and ItemLink.objects.count() == 1


def test_a_link_within_one_framework_is_refused(client, org, framework):
    client.force_login(org.users["hr"])
    a, b = framework.current_version.items.filter(kind="theme")[:2]
    r = client.post("/admin/values/itemlink/add/", {"source": a.pk, "target": b.pk, "note": ""})
    assert "En forbindelse går mellem to forskellige grundlag." in r.content.decode()


def test_hr_cannot_move_a_framework_to_another_region_or_owner(client, org, framework):
    client.force_login(org.users["hr"])
    html = client.get(f"/admin/values/framework/{framework.pk}/change/").content.decode()
    assert 'name="region"' not in html and 'name="owner_unit"' not in html and 'name="slug"' not in html
    client.force_login(org.users["admin"])
    html = client.get(f"/admin/values/framework/{framework.pk}/change/").content.decode()
    assert 'name="region"' in html and 'name="slug"' not in html


def _framework_form(framework, **changes):
    data = {
        "title": framework.title,
        "kind": framework.kind,
        "region": framework.region_id,
        "owner_unit": framework.owner_unit_id or "",
        "parent": framework.parent_id or "",
        "position": framework.position,
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_hr_posting_another_owner_changes_only_the_title(client, org, framework):
    client.force_login(org.users["hr"])
    r = client.post(
        f"/admin/values/framework/{framework.pk}/change/",
        _framework_form(framework, title="Nyt navn", owner_unit=org.units["B"].pk, region=org.other_region.pk),
    )
    assert r.status_code == 302
    framework.refresh_from_db()
    assert framework.title == "Nyt navn"
    assert framework.owner_unit.code == "A" and framework.region == org.region


def test_an_administrator_moves_a_framework_in_the_admin(client, org, framework):
    client.force_login(org.users["admin"])
    r = client.post(
        f"/admin/values/framework/{framework.pk}/change/", _framework_form(framework, owner_unit=org.units["B"].pk)
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    framework.refresh_from_db()
    assert framework.owner_unit.code == "B"


def test_a_framework_date_far_out_is_refused_in_the_admin(rf, org):
    from django.contrib.admin.sites import site

    request = rf.get("/")
    request.user = org.users["admin"]
    form = site._registry[FrameworkVersion].get_form(request)()
    field = form.fields["approved_on"]
    assert field.clean("2018-06-27").year == 2018 and field.clean("1990-01-01").year == 1990
    with pytest.raises(ValidationError, match=r"1\. januar 1900 til 31\. december 2099"):
        field.clean("9999-12-31")
