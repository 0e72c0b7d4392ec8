"""The frameworks know nothing of their users: other apps' links on a framework's page and
an item's page come through ITEM_PAGE_PANELS (the dialogue material from dialogues.panels)."""

from pathlib import Path

import pytest

from tests.values.factories import make_framework

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_framework_page_links_to_its_dialogue_material_through_the_panels(client, org, settings):
    framework = make_framework(region="Region Test")
    client.force_login(org.users["employee"])
    html = client.get(framework.get_absolute_url()).content.decode()
    assert f'href="/planer/materiale/{framework.slug}/"' in html
    settings.ITEM_PAGE_PANELS = []
    html = client.get(framework.get_absolute_url()).content.decode()
    assert "/planer/materiale/" not in html


def test_no_frameworks_template_or_module_names_another_app():
    for path in [*(ROOT / "templates" / "values").glob("*.html"), *(ROOT / "values").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        names = [f"{q}{app}:" for q in "'\"" for app in ("dialogues", "lus", "status")]
        for other in (*names, "from dialogues", "from lus", "from ledelse.status", "import dialogues", "import lus"):
            assert other not in text, f"{path.relative_to(ROOT)} names {other}"
