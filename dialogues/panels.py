"""A panel on a theme's or principle's page in the frameworks: the plans that work with it.

values knows nothing of plans: it renders whatever the functions named in the
ITEM_PAGE_PANELS setting return (see values.views). The panels are rendered without the
request: they need nothing of it, and with it every panel would run the context processors
(the menu, the person's roles) a second and third time on the page.

What a panel shows is read for each request (the plans through the reader's access rule);
its HTML is kept in the process under everything it is made of (`_html`): the language, the
template and the rows themselves, so the same rows are rendered once (50 plans' links cost
milliseconds in the template) and a change in them is a new key, never a stale panel."""

from __future__ import annotations

from collections.abc import Hashable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dialogues import selectors
from values.models import FrameworkVersion, Item

# Panels kept in this process, by what they are made of; cleared when full.
_HTML: dict[Hashable, SafeString] = {}
_HTML_KEPT = 500


def _html(template_name: str, made_of: Hashable, context: dict[str, object]) -> SafeString:
    """`template_name` rendered with `context`, from this process's store when rendered
    before for the same language and `made_of` (which must hold everything of `context`
    the template shows)."""
    key = (get_language(), template_name, made_of)
    html = _HTML.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name, context))
        if len(_HTML) >= _HTML_KEPT:
            _HTML.clear()
        _HTML[key] = html
    return html


def plans_for_item(*, request: HttpRequest, version: FrameworkVersion, item: Item | None) -> str:
    if item is None or item.kind not in (Item.Kind.THEME, Item.Kind.PRINCIPLE):
        return ""
    plans = selectors.plans_for_item(user=request.user, item=item)
    return _html("dialogues/_item_plans_panel.html", tuple(plans), {"plans": plans})


def material_for_item(*, request: HttpRequest, version: FrameworkVersion, item: Item | None) -> str:
    """Dialogue cards and the presentation for this theme or principle, or on the
    framework's own page (item None) a link to all its material (current version only)."""
    framework = version.framework
    if framework.current_version_id != version.pk:
        return ""
    if item is None:
        return _html("dialogues/_framework_material_panel.html", framework.slug, {"framework": framework})
    if item.kind not in (Item.Kind.THEME, Item.Kind.PRINCIPLE):
        return ""
    query = f"tema={item.key}" if item.kind == Item.Kind.THEME else f"princip={item.key}"
    return _html(
        "dialogues/_item_material_panel.html",
        (framework.slug, item.kind, query),
        {"item": item, "framework": framework, "query": query},
    )
