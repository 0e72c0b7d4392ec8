"""A panel on a theme's or principle's page in the frameworks: the plans that work with it.

values knows nothing of plans: it renders whatever the functions named in the
ITEM_PAGE_PANELS setting return (see values.views). The panels are rendered without the
request: they need nothing of it, and with it every panel would run the context processors
(the menu, the person's roles) a second and third time on the page.

What a panel shows is read for each request (the plans through the reader's access rule);
its HTML is kept in the process under everything it is made of (`ledelse.fragments.fragment_html`): the language, the
template and the rows themselves, so the same rows are rendered once (50 plans' links cost
milliseconds in the template) and a change in them is a new key, never a stale panel."""

from __future__ import annotations

from django.http import HttpRequest

from dialogues import selectors
from ledelse.fragments import fragment_html
from values.models import FrameworkVersion, Item


def plans_for_item(*, request: HttpRequest, version: FrameworkVersion, item: Item | None) -> str:
    if item is None or item.kind not in (Item.Kind.THEME, Item.Kind.PRINCIPLE):
        return ""
    plans = selectors.plans_for_item(user=request.user, item=item)
    return fragment_html("dialogues/_item_plans_panel.html", {"plans": plans}, made_of=plans)


def material_for_item(*, request: HttpRequest, version: FrameworkVersion, item: Item | None) -> str:
    """Dialogue cards and the presentation for this theme or principle, or on the
    framework's own page (item None) a link to all its material (current version only)."""
    framework = version.framework
    if framework.current_version_id != version.pk:
        return ""
    if item is None:
        return fragment_html(
            "dialogues/_framework_material_panel.html", {"framework": framework}, made_of=framework.slug
        )
    if item.kind not in (Item.Kind.THEME, Item.Kind.PRINCIPLE):
        return ""
    query = f"tema={item.key}" if item.kind == Item.Kind.THEME else f"princip={item.key}"
    return fragment_html(
        "dialogues/_item_material_panel.html",
        {"item": item, "framework": framework, "query": query},
        made_of=(framework.slug, item.kind, query),
    )
