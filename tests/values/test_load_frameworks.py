import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from ledelse.models import Region, Unit
from ledelse.organisation_import import organisation_import
from tests.conftest import ORG_CSV
from values.datafiles import FRAMEWORK_DIR, LINKS_FILE, QUESTIONS_FILE
from values.models import Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion
from values.services import frameworks_load_all

SLUGS = {
    "regionssekretariatet-ledelses-og-vaerdigrundlag",
    "rm-god-ledelse-og-styring",
    "rm-personalepolitik",
    "rn-ledelsesgrundlaget",
    "rm-viden-om-den-midtjyske-ledelsesmodel",
}


def _snapshot():
    return (
        list(
            Framework.objects.order_by("slug").values_list(
                "slug", "title", "current_version_id", "parent_id", "owner_unit_id"
            )
        ),
        list(FrameworkVersion.objects.order_by("id").values_list("id", "number", "status", "content_hash")),
        Item.objects.count(),
        list(ReflectionQuestion.objects.order_by("id").values_list("id", "text")),
        list(ItemLink.objects.order_by("id").values_list("id", "source_id", "target_id")),
    )


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the shipped data files that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(FRAMEWORK_DIR, target / "frameworks")
    shutil.copy(QUESTIONS_FILE, target / "questions.toml")
    shutil.copy(LINKS_FILE, target / "links.toml")
    return target


def _load(data_dir: Path):
    return frameworks_load_all(data_dir=data_dir)


def test_it_loads_all_five_documents(db):
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "Grundlag: 5 oprettet" in out.getvalue()
    assert set(Framework.objects.values_list("slug", flat=True)) == SLUGS
    for framework in Framework.objects.select_related("current_version"):
        assert framework.current_version.number == 1
        assert framework.current_version.status == "udgivet"
        assert framework.current_version.items.count() > 5


def test_it_creates_the_owners_the_organisation_lacks(db):
    call_command("load_frameworks", verbosity=0)
    assert set(Region.objects.values_list("name", flat=True)) == {"Region Midtjylland", "Region Nordjylland"}
    sekretariat = Framework.objects.get(slug="regionssekretariatet-ledelses-og-vaerdigrundlag")
    assert sekretariat.owner_unit.name == "Regionssekretariatet"
    assert sekretariat.owner_unit.region.name == "Region Midtjylland"
    assert sekretariat.parent.slug == "rm-god-ledelse-og-styring"
    # Each region got one top unit, and the secretariat sits under it.
    assert Unit.objects.filter(depth=1).count() == 2
    assert sekretariat.owner_unit.depth == 2


def test_it_uses_units_the_organisation_already_has(db):
    organisation_import(
        text=ORG_CSV.replace("Region Test", "Region Midtjylland").replace("HR-afdeling", "Regionssekretariatet")
    )
    call_command("load_frameworks", verbosity=0)
    sekretariat = Framework.objects.get(slug="regionssekretariatet-ledelses-og-vaerdigrundlag")
    assert sekretariat.owner_unit.code == "HR"
    assert Unit.objects.filter(region__name="Region Midtjylland", depth=1).count() == 1


def test_it_loads_the_project_questions_and_links(db):
    report = frameworks_load_all()
    assert report.questions_added > 0 and report.links_added > 0
    assert not ReflectionQuestion.objects.filter(is_project_text=False).exists()
    # Every theme has questions.
    assert not Item.objects.filter(kind="theme").exclude(questions__isnull=False).exists()
    for link in ItemLink.objects.select_related("source__version", "target__version"):
        assert link.source.version.framework_id != link.target.version.framework_id


def test_loading_twice_changes_nothing(db):
    call_command("load_frameworks", verbosity=0)
    before = _snapshot()
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "0 oprettet, 0 ny version, 5 uændret" in out.getvalue()
    assert "Spørgsmål tilføjet: 0. Links tilføjet: 0." in out.getvalue()
    assert _snapshot() == before


def test_an_edited_file_makes_a_new_version_and_keeps_the_old(db, data_dir):
    _load(data_dir)
    framework = Framework.objects.get(slug="rn-ledelsesgrundlaget")
    old = framework.current_version
    old_items = list(old.items.order_by("position").values_list("key", "body"))
    old_questions = ReflectionQuestion.objects.filter(item__version=old).count()
    old_links = (
        ItemLink.objects.filter(source__version=old).count() + ItemLink.objects.filter(target__version=old).count()
    )

    path = data_dir / "frameworks" / "003_rn_ledelsesgrundlaget.toml"
    text = path.read_text()
    assert "Vi bidrager aktivt til det fælles bedste." in text
    path.write_text(
        text.replace("Vi bidrager aktivt til det fælles bedste.", "Vi bidrager aktivt og gerne til det fælles bedste.")
    )
    report = _load(data_dir)

    assert report.new_versions == ["rn-ledelsesgrundlaget"]
    framework.refresh_from_db()
    new = framework.current_version
    assert new.number == 2 and new.status == "udgivet"
    old.refresh_from_db()
    assert old.status == "arkiveret"
    # The old version's text is untouched: what was made against it still reads as it was.
    assert list(old.items.order_by("position").values_list("key", "body")) == old_items
    assert new.items.get(key="vi-praktiserer-det-dobbelte-lederskab").body.startswith("Vi bidrager aktivt og gerne")
    assert old.items.get(key="vi-praktiserer-det-dobbelte-lederskab").body.startswith("Vi bidrager aktivt til")
    # Questions and links followed the items into the new version.
    assert ReflectionQuestion.objects.filter(item__version=new).count() == old_questions
    assert (
        ItemLink.objects.filter(source__version=new).count() + ItemLink.objects.filter(target__version=new).count()
        == old_links
    )


def test_a_renamed_item_that_a_link_needs_is_refused(db, data_dir):
    path = data_dir / "frameworks" / "003_rn_ledelsesgrundlaget.toml"
    path.write_text(
        path.read_text().replace('title = "Vi praktiserer det dobbelte lederskab"', 'title = "Vi praktiserer"')
    )
    with pytest.raises(
        CommandError,
        # The principle has its own questions (questions.toml) and a link (links.toml): the first
        # file that names it refuses the rename.
        match=r"(questions|links).toml: (questions|links)\[\d+\]: elementet rn-ledelsesgrundlaget:vi-praktiserer-det-dobbelte-lederskab findes ikke",
    ):
        call_command("load_frameworks", data_dir=data_dir)
    assert Framework.objects.count() == 0


def test_edited_questions_survive_a_reload(db):
    frameworks_load_all()
    question = ReflectionQuestion.objects.first()
    question.text = "Redigeret af HR?"
    question.save()
    frameworks_load_all()
    question.refresh_from_db()
    assert question.text == "Redigeret af HR?"


BAD_FILES = [
    ('kind = "ledelsesgrundlag"', 'kind = "roman"', "kind: ukendt kind 'roman'"),
    ('status = "udgivet"', 'status = "glemt"', "status: ukendt status 'glemt'"),
    ('title = "Vi kender vores område godt"', 'title = ""', "skal have en key"),
    ('kind = "principle"', 'kind = "afsnit"', "ukendt kind 'afsnit'"),
    (
        'title = "Vi kender vores område godt"',
        'title = "Vi kender vores område godt"\nfarve = "rød"',
        "ukendte felter: farve",
    ),
    ('slug = "rn-ledelsesgrundlaget"', 'slug = "soeg"', "slug: 'soeg' kan ikke bruges som slug"),
    (
        'title = "Vi kender vores område godt"',
        'title = "Vi praktiserer det dobbelte lederskab"',
        "key 'vi-praktiserer-det-dobbelte-lederskab' bruges også i",
    ),
]


@pytest.mark.parametrize("old,new,reason", BAD_FILES)
def test_a_bad_file_names_file_place_and_reason_and_writes_nothing(db, data_dir, old, new, reason):
    path = data_dir / "frameworks" / "003_rn_ledelsesgrundlaget.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CommandError) as exc:
        call_command("load_frameworks", data_dir=data_dir, verbosity=0)
    message = str(exc.value)
    assert message.startswith("Intet blev indlæst.")
    assert "003_rn_ledelsesgrundlaget.toml" in message
    assert reason in message
    assert Framework.objects.count() == 0 and Item.objects.count() == 0 and Region.objects.count() == 0


def test_a_toml_syntax_error_is_reported(db, data_dir):
    path = data_dir / "frameworks" / "000_regionssekretariatet.toml"
    path.write_text(path.read_text() + "\n[[items]\n")
    with pytest.raises(Exception) as exc:
        _load(data_dir)
    assert "000_regionssekretariatet.toml: TOML:" in str(exc.value)


def test_an_unknown_link_end_is_reported_and_nothing_is_written(db, data_dir):
    links = data_dir / "links.toml"
    links.write_text(
        links.read_text()
        + '\n[[links]]\nfrom = "rn-ledelsesgrundlaget:findes-ikke"\nto = "rm-personalepolitik:dialog"\n'
    )
    with pytest.raises(Exception) as exc:
        _load(data_dir)
    assert "links.toml" in str(exc.value) and "rn-ledelsesgrundlaget:findes-ikke findes ikke" in str(exc.value)
    assert Framework.objects.count() == 0


def test_an_unknown_parent_is_reported(db, data_dir):
    path = data_dir / "frameworks" / "000_regionssekretariatet.toml"
    path.write_text(path.read_text().replace('parent = "rm-god-ledelse-og-styring"', 'parent = "findes-ikke"'))
    with pytest.raises(Exception) as exc:
        _load(data_dir)
    assert "parent: grundlaget 'findes-ikke' findes ikke" in str(exc.value)


def test_a_file_with_missing_fields_is_reported(db, tmp_path):
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "x.toml").write_text('slug = "x"\n')
    with pytest.raises(CommandError, match=r"Intet blev indlæst\. .*x\.toml: kind: mangler"):
        call_command("load_frameworks", data_dir=tmp_path)


def test_a_reload_keeps_a_version_hr_published_in_the_admin(db, data_dir):
    from values.services import version_draft_create, version_publish

    _load(data_dir)
    framework = Framework.objects.get(slug="rn-ledelsesgrundlaget")
    draft = version_draft_create(version=framework.current_version)
    Item.objects.filter(version=draft, key="ledelse-op").update(subtitle="Rettet af HR")
    version_publish(version=draft)

    report = _load(data_dir)
    assert "rn-ledelsesgrundlaget" in report.unchanged
    framework.refresh_from_db()
    assert framework.current_version_id == draft.pk
    assert framework.current_version.items.get(key="ledelse-op").subtitle == "Rettet af HR"


def test_a_draft_in_a_file_waits_and_does_not_replace_the_published_version(db, data_dir):
    _load(data_dir)
    framework = Framework.objects.get(slug="rm-personalepolitik")
    published = framework.current_version
    path = data_dir / "frameworks" / "002_personalepolitik.toml"
    text = path.read_text()
    assert 'status = "udgivet"' in text
    path.write_text(text.replace('status = "udgivet"', 'status = "kladde"', 1))
    report = _load(data_dir)
    assert report.new_versions == ["rm-personalepolitik"]
    framework.refresh_from_db()
    assert framework.current_version_id == published.pk
    assert framework.loaded_version.status == "kladde"
    published.refresh_from_db()
    assert published.status == "udgivet"
    assert _load(data_dir).new_versions == []  # and loading again changes nothing


def test_a_failure_halfway_writes_nothing_and_keeps_the_earlier_load(db, data_dir, monkeypatch):
    from values import services

    _load(data_dir)
    before = _snapshot()
    for name, sentence in (
        ("002_personalepolitik.toml", "Vi er en decentral organisation."),
        ("003_rn_ledelsesgrundlaget.toml", "Vi bidrager aktivt til det fælles bedste."),
    ):
        path = data_dir / "frameworks" / name
        assert sentence in path.read_text()
        path.write_text(path.read_text().replace(sentence, sentence.replace("Vi ", "Vi altså ")))
    real, calls = services._create_items, []

    def fail_on_second(version, data):
        calls.append(data.slug)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(version, data)

    monkeypatch.setattr(services, "_create_items", fail_on_second)
    with pytest.raises(RuntimeError):
        _load(data_dir)
    assert len(calls) == 2
    assert _snapshot() == before


def test_new_links_and_questions_reach_a_version_hr_published(db, data_dir):
    from values.services import version_draft_create, version_publish

    _load(data_dir)
    framework = Framework.objects.get(slug="rm-personalepolitik")
    hr_version = version_publish(version=version_draft_create(version=framework.current_version))
    links = data_dir / "links.toml"
    links.write_text(
        links.read_text()
        + '\n[[links]]\nfrom = "rm-personalepolitik:dristighed"\nto = "rn-ledelsesgrundlaget:ledelse-ind"\nnote = "Ny"\n'
    )
    report = _load(data_dir)
    assert report.links_added == 1
    link = ItemLink.objects.get(note="Ny")
    assert link.source.version_id == hr_version.pk
    assert link.target.version.framework.current_version_id == link.target.version_id


def test_an_unchanged_file_keeps_a_title_changed_in_the_admin(db, data_dir):
    _load(data_dir)
    Framework.objects.filter(slug="rm-personalepolitik").update(title="Personalepolitik (2026)")
    _load(data_dir)
    assert Framework.objects.get(slug="rm-personalepolitik").title == "Personalepolitik (2026)"


def test_a_region_renamed_by_the_import_is_not_forked_by_a_reload(db, data_dir):
    _load(data_dir)
    region = Region.objects.get(name="Region Midtjylland")
    Region.objects.filter(pk=region.pk).update(name="Region Midt")
    path = data_dir / "frameworks" / "002_personalepolitik.toml"
    path.write_text(path.read_text().replace("Vi er en decentral organisation.", "Vi er en decentral organisation!"))
    _load(data_dir)
    assert not Region.objects.filter(name="Region Midtjylland").exists()
    assert Framework.objects.get(slug="rm-personalepolitik").region_id == region.pk


def test_a_title_changed_in_the_file_is_applied(db, data_dir):
    _load(data_dir)
    path = data_dir / "frameworks" / "002_personalepolitik.toml"
    path.write_text(path.read_text().replace('title = "Personalepolitik"', 'title = "Personalepolitikken"', 1))
    _load(data_dir)
    assert Framework.objects.get(slug="rm-personalepolitik").title == "Personalepolitikken"


def test_links_do_not_pile_up_over_many_publications(db):
    from values.services import version_draft_create, version_publish

    frameworks_load_all()
    counts = []
    for _round in range(4):
        for framework in Framework.objects.all():
            framework.refresh_from_db()
            version_publish(version=version_draft_create(version=framework.current_version))
        counts.append(ItemLink.objects.count())
    # Each publication adds the current links once; nothing grows faster than that.
    assert counts[3] - counts[2] == counts[2] - counts[1] == counts[1] - counts[0]
    live = ItemLink.objects.filter(
        source__version__framework__current_version=models.F("source__version"),
        target__version__framework__current_version=models.F("target__version"),
    ).count()
    assert live == 17


def _live_links() -> int:
    return ItemLink.objects.filter(
        source__version__framework__current_version=models.F("source__version"),
        target__version__framework__current_version=models.F("target__version"),
    ).count()


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2)])
def test_links_survive_drafts_published_in_any_order(db, order):
    from values.services import version_draft_create, version_publish

    frameworks_load_all()
    slugs = ["rm-god-ledelse-og-styring", "rm-personalepolitik", "regionssekretariatet-ledelses-og-vaerdigrundlag"]
    drafts = [version_draft_create(version=Framework.objects.get(slug=slug).current_version) for slug in slugs]
    for i in order:
        version_publish(version=drafts[i])
    assert _live_links() == 17


def test_a_link_made_in_the_admin_survives_republishing(db):
    from values.services import version_draft_create, version_publish

    frameworks_load_all()
    a = Framework.objects.get(slug="rm-personalepolitik")
    b = Framework.objects.get(slug="rn-ledelsesgrundlaget")
    ItemLink.objects.create(
        source=a.current_version.items.get(key="dristighed"),
        target=b.current_version.items.get(key="ledelse-ind"),
        note="HR",
    )
    draft_a = version_draft_create(version=a.current_version)
    version_publish(version=version_draft_create(version=b.current_version))
    version_publish(version=draft_a)
    assert _live_links() == 18
    frameworks_load_all()
    assert _live_links() == 18


def test_a_draft_from_a_file_is_not_published_over_a_newer_version(db, data_dir):
    from values.services import PublishError, version_draft_create, version_publish

    _load(data_dir)
    framework = Framework.objects.get(slug="rm-personalepolitik")
    path = data_dir / "frameworks" / "002_personalepolitik.toml"
    path.write_text(path.read_text().replace('status = "udgivet"', 'status = "kladde"', 1))
    _load(data_dir)
    framework.refresh_from_db()
    file_draft = framework.loaded_version
    version_publish(version=version_draft_create(version=framework.current_version))
    with pytest.raises(PublishError):
        version_publish(version=file_draft)


def test_a_draft_of_a_draft_can_be_published(db):
    from values.services import version_draft_create, version_publish

    frameworks_load_all()
    framework = Framework.objects.get(slug="rm-personalepolitik")
    first = version_draft_create(version=framework.current_version)
    second = version_draft_create(version=first)
    version_publish(version=second)
    framework.refresh_from_db()
    assert framework.current_version_id == second.pk


def test_frameworks_standing_under_each_other_in_a_ring_are_refused(db, data_dir):
    path = data_dir / "frameworks" / "001_god_ledelse_og_styring.toml"
    text = path.read_text()
    path.write_text(
        text.replace(
            'slug = "rm-god-ledelse-og-styring"',
            'slug = "rm-god-ledelse-og-styring"\nparent = "regionssekretariatet-ledelses-og-vaerdigrundlag"',
            1,
        )
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_frameworks", data_dir=data_dir, verbosity=0)
    assert "parent: grundlagene står under hinanden i ring" in str(exc.value)
    assert Framework.objects.count() == 0
