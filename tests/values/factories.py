"""Small synthetic frameworks for tests that need a particular shape or size."""

from __future__ import annotations

from values.datafiles import FrameworkData, ItemData
from values.models import Framework
from values.services import framework_load


def framework_data(
    *, slug="test-grundlag", title="Testgrundlag", region="Region Test", owner_unit="", themes=2, principles=2,
    status="udgivet", text="Tekst",
) -> FrameworkData:
    items = [ItemData("text", "forord", "Forord", "", [f"{text} om forordet."], [])]
    for t in range(1, themes + 1):
        children = [
            ItemData("principle", f"princip-{t}-{p}", f"Princip {t}.{p}", "", [f"{text} om princip {t}.{p} og tillid."], [])
            for p in range(1, principles + 1)
        ]
        items.append(ItemData("theme", f"tema-{t}", f"Tema {t}", "", [f"{text} om tema {t}."], [], children))
    return FrameworkData(
        file="test.toml", slug=slug, title=title, kind="ledelsesgrundlag", region=region, owner_unit=owner_unit, parent="",
        status=status, approved=None, adjusted=None, launched=None, source="", source_note="", position=0, items=items,
    )


def make_framework(**kwargs) -> Framework:
    framework, _outcome = framework_load(data=framework_data(**kwargs), frameworks={})
    return framework
