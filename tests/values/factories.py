"""Small synthetic frameworks for tests that need a particular shape or size."""

from __future__ import annotations

from values.choices import FrameworkKind, ItemKind, VersionStatus
from values.datafiles import FrameworkData, ItemData
from values.models import Framework
from values.services import framework_load


def framework_data(
    *,
    slug="test-grundlag",
    title="Testgrundlag",
    region="Region Test",
    owner_unit="",
    themes=2,
    principles=2,
    status=VersionStatus.UDGIVET,
    text="Tekst",
) -> FrameworkData:
    items = [ItemData(ItemKind.TEXT, "forord", "Forord", "", [f"{text} om forordet."], [])]
    for t in range(1, themes + 1):
        children = [
            ItemData(
                ItemKind.PRINCIPLE,
                f"princip-{t}-{p}",
                f"Princip {t}.{p}",
                "",
                [f"{text} om princip {t}.{p} og tillid."],
                [],
            )
            for p in range(1, principles + 1)
        ]
        items.append(ItemData(ItemKind.THEME, f"tema-{t}", f"Tema {t}", "", [f"{text} om tema {t}."], [], children))
    return FrameworkData(
        file="test.toml",
        slug=slug,
        title=title,
        kind=FrameworkKind.LEDELSESGRUNDLAG,
        region=region,
        owner_unit=owner_unit,
        parent="",
        status=status,
        approved=None,
        adjusted=None,
        launched=None,
        source="",
        source_note="",
        position=0,
        items=items,
    )


def make_framework(**kwargs) -> Framework:
    framework, _outcome = framework_load(data=framework_data(**kwargs), frameworks={})
    return framework


def add_questions_and_links(framework: Framework, partner: Framework) -> None:
    """Give every item of the framework's current version a question and a link to the
    partner framework, so that query-count tests see the related rows too."""
    from values.models import Item, ItemLink, ReflectionQuestion

    target = Item.objects.filter(version=partner.current_version, kind=ItemKind.THEME).first()
    items = list(Item.objects.filter(version=framework.current_version))
    ReflectionQuestion.objects.bulk_create(ReflectionQuestion(item=i, text=f"Spørgsmål om {i.key}?") for i in items)
    ItemLink.objects.bulk_create((ItemLink(source=i, target=target, note="Note") for i in items), ignore_conflicts=True)
