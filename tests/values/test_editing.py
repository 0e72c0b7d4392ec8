"""The editing services HR and administrators use (values.services), called directly: the
same rules the admin shows, for the next UI. Each rule with and without permission.

The cast's HR (hr:A) edits frameworks owned within Hospital A; not Hospital B's, and not
the region's own (that takes HR for the whole region)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.values.factories import make_framework
from values import services
from values.models import Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion
from values.selectors import items_search


@pytest.fixture
def framework(org):
    return make_framework(slug="g", themes=2, principles=2, owner_unit="Hospital A")


@pytest.fixture
def other(org):
    return make_framework(slug="b", title="Andet grundlag", owner_unit="Hospital B")


@pytest.fixture
def draft(framework):
    return services.version_draft_create(version=framework.current_version)


def _item(version: FrameworkVersion, key: str) -> Item:
    return Item.objects.select_related("version__framework").get(version=version, key=key)


# --- framework_update ---------------------------------------------------------------------------


def test_hr_renames_a_framework_it_edits(org, framework):
    services.framework_update(user=org.users["hr"], framework=framework, changes={"title": "Nyt navn"})
    framework.refresh_from_db()
    assert framework.title == "Nyt navn"


@pytest.mark.parametrize("field", ["region", "owner_unit", "parent"])
def test_hr_cannot_move_a_framework(org, framework, other, field):
    new = {"region": org.other_region, "owner_unit": org.units["A1"], "parent": other}[field]
    with pytest.raises(ValidationError) as exc:
        services.framework_update(user=org.users["hr"], framework=framework, changes={field: new})
    assert "Kun administratorer kan flytte et grundlag" in str(exc.value.message_dict[field])
    before = Framework.objects.get(pk=framework.pk)
    assert (before.region_id, before.owner_unit_id, before.parent_id) == (
        framework.region_id,
        framework.owner_unit_id,
        None,
    )


def test_an_administrator_moves_a_framework(org, framework):
    services.framework_update(user=org.users["admin"], framework=framework, changes={"owner_unit": org.units["A1"]})
    framework.refresh_from_db()
    assert framework.owner_unit == org.units["A1"]


def test_hr_cannot_change_a_framework_outside_its_scope(org, other):
    with pytest.raises(PermissionDenied):
        services.framework_update(user=org.users["hr"], framework=other, changes={"title": "Mit nu"})
    other.refresh_from_db()
    assert other.title == "Andet grundlag"


# --- item_update and the draft's items --------------------------------------------------------------


def test_hr_edits_an_item_of_a_draft_and_search_finds_the_new_text(org, framework, draft):
    item = _item(draft, "princip-1-1")
    services.item_update(user=org.users["hr"], item=item, changes={"body": "Om samskabelse."})
    assert _item(draft, "princip-1-1").body == "Om samskabelse."
    services.version_publish(version=draft)
    hits = items_search(user=org.users["employee"], q="samskabelse")
    assert [h.item.pk for h in hits] == [item.pk]


def test_an_item_of_a_published_version_cannot_be_edited(org, framework):
    item = _item(framework.current_version, "princip-1-1")
    with pytest.raises(ValidationError) as exc:
        services.item_update(user=org.users["hr"], item=item, changes={"body": "Ændret"})
    assert "Kun en kladdes punkter kan redigeres" in str(exc.value)
    assert _item(framework.current_version, "princip-1-1").body == item.body


def test_hr_cannot_edit_a_draft_outside_its_scope(org, other):
    draft = services.version_draft_create(version=other.current_version)
    item = _item(draft, "tema-1")
    with pytest.raises(PermissionDenied):
        services.item_update(user=org.users["hr"], item=item, changes={"title": "X"})
    assert _item(draft, "tema-1").title == "Tema 1"


def test_a_new_position_moves_the_item_and_renumbers_the_version(org, draft):
    services.item_update(user=org.users["hr"], item=_item(draft, "tema-2"), changes={"position": 15})
    keys = list(draft.items.order_by("position").values_list("key", "position"))
    assert keys[:4] == [("forord", 10), ("tema-2", 20), ("princip-2-1", 30), ("princip-2-2", 40)]


def test_an_item_cannot_stand_under_its_own_sub_item(org, draft):
    theme, principle = _item(draft, "tema-1"), _item(draft, "princip-1-1")
    with pytest.raises(ValidationError) as exc:
        services.item_update(user=org.users["hr"], item=theme, changes={"parent": principle})
    assert "under sig selv" in str(exc.value)
    assert _item(draft, "tema-1").parent_id is None


def test_a_parent_from_another_version_is_refused(org, framework, draft):
    foreign = _item(framework.current_version, "tema-2")
    with pytest.raises(ValidationError):
        services.item_update(user=org.users["hr"], item=_item(draft, "princip-1-1"), changes={"parent": foreign})


def test_items_saved_together_are_renumbered_and_deleted_ones_go(org, draft):
    theme = _item(draft, "tema-1")
    theme.position = 65  # after theme 2's principles
    services.version_items_save(user=org.users["hr"], version=draft, items=[theme], deleted=[_item(draft, "forord")])
    keys = list(draft.items.filter(depth=0).order_by("position").values_list("key", flat=True))
    assert keys == ["tema-2", "tema-1"]


def test_a_published_versions_items_cannot_be_saved(org, framework):
    item = _item(framework.current_version, "tema-1")
    item.title = "Ændret"
    with pytest.raises(ValidationError):
        services.version_items_save(user=org.users["hr"], version=framework.current_version, items=[item])
    assert _item(framework.current_version, "tema-1").title == "Tema 1"


def test_only_a_draft_can_be_deleted(org, framework, draft):
    with pytest.raises(ValidationError):
        services.version_delete(user=org.users["hr"], version=framework.current_version)
    services.version_delete(user=org.users["hr"], version=draft)
    assert list(framework.versions.values_list("status", flat=True)) == ["udgivet"]


# --- Reflection questions -----------------------------------------------------------------------------


def test_hr_adds_a_question_on_a_published_version(org, framework):
    item = _item(framework.current_version, "tema-1")
    services.question_save(user=org.users["hr"], question=ReflectionQuestion(item=item, text="Hvad nu?"))
    assert item.questions.get().text == "Hvad nu?"


def test_hr_cannot_add_a_question_outside_its_scope(org, other):
    item = _item(other.current_version, "tema-1")
    with pytest.raises(PermissionDenied):
        services.question_save(user=org.users["hr"], question=ReflectionQuestion(item=item, text="Hvad nu?"))
    assert not ReflectionQuestion.objects.exists()


# --- Links --------------------------------------------------------------------------------------------


@pytest.fixture
def second(org):
    """A second framework HR edits (owned by Afdeling A1, inside Hospital A)."""
    return make_framework(slug="a1", title="Afdelingens grundlag", owner_unit="Afdeling A1")


def test_hr_links_two_frameworks_it_edits(org, framework, second):
    link = services.item_link_create(
        user=org.users["hr"],
        source=_item(framework.current_version, "tema-1"),
        target=_item(second.current_version, "tema-2"),
        note="Hænger sammen",
    )
    assert ItemLink.objects.get() == link


@pytest.mark.parametrize("direction", ["from", "to"])
def test_hr_cannot_link_with_a_framework_outside_its_scope(org, framework, other, direction):
    mine, theirs = _item(framework.current_version, "tema-1"), _item(other.current_version, "tema-1")
    source, target = (theirs, mine) if direction == "from" else (mine, theirs)
    with pytest.raises(ValidationError) as exc:
        services.item_link_create(user=org.users["hr"], source=source, target=target, note="x")
    field = "source" if direction == "from" else "target"
    assert "grundlag, du redigerer" in str(exc.value.message_dict[field])
    assert not ItemLink.objects.exists()


def test_an_administrator_links_any_two_frameworks(org, framework, other):
    services.item_link_create(
        user=org.users["admin"],
        source=_item(framework.current_version, "tema-1"),
        target=_item(other.current_version, "tema-1"),
    )
    assert ItemLink.objects.count() == 1


@pytest.mark.parametrize("status", ["kladde", "arkiveret"])
def test_a_link_must_go_to_a_current_published_item(org, framework, second, status):
    draft = services.version_draft_create(version=second.current_version)
    old = second.current_version
    if status == "arkiveret":
        services.version_publish(version=draft)
    target = _item(draft if status == "kladde" else old, "tema-1")
    with pytest.raises(ValidationError) as exc:
        services.item_link_create(
            user=org.users["hr"], source=_item(framework.current_version, "tema-1"), target=target
        )
    assert "gældende, udgivne version" in str(exc.value.message_dict["target"])
    assert not ItemLink.objects.exists()


def test_a_link_within_one_framework_is_refused(org, framework):
    a, b = _item(framework.current_version, "tema-1"), _item(framework.current_version, "tema-2")
    with pytest.raises(ValidationError):
        services.item_link_create(user=org.users["hr"], source=a, target=b)


def test_hr_cannot_change_or_delete_a_link_to_another_scope(org, framework, other, second):
    link = services.item_link_create(
        user=org.users["admin"],
        source=_item(framework.current_version, "tema-1"),
        target=_item(other.current_version, "tema-1"),
        note="Administratorens",
    )
    with pytest.raises(PermissionDenied):
        services.item_link_update(
            user=org.users["hr"], link=link, source=link.source, target=_item(second.current_version, "tema-1"), note=""
        )
    with pytest.raises(PermissionDenied):
        services.item_link_delete(user=org.users["hr"], link=link)
    assert ItemLink.objects.get().note == "Administratorens"


def test_hr_moves_a_link_within_its_scope(org, framework, second):
    link = services.item_link_create(
        user=org.users["hr"],
        source=_item(framework.current_version, "tema-1"),
        target=_item(second.current_version, "tema-1"),
    )
    services.item_link_update(
        user=org.users["hr"], link=link, source=link.source, target=_item(second.current_version, "tema-2"), note="n"
    )
    assert ItemLink.objects.get().target.key == "tema-2"
    services.item_link_delete(user=org.users["hr"], link=link)
    assert not ItemLink.objects.exists()
