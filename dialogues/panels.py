"""A panel on a theme's or principle's page in the frameworks: the plans that work with it.

values knows nothing of plans: it renders whatever the functions named in the
ITEM_PAGE_PANELS setting return (see values.views)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from dialogues import selectors
from values.models import Item


def plans_for_item(*, request: HttpRequest, item: Item) -> str:
    if item.kind not in (Item.Kind.THEME, Item.Kind.PRINCIPLE):
        return ""
    plans = selectors.plans_for_item(user=request.user, item=item)
    return render_to_string("dialogues/_item_plans_panel.html", {"plans": plans}, request=request)
