"""`{% plan_state_badge state %}`: a plan's state as a badge, its class and label from
dialogues.definitions.STATE_BADGES and Plan.State (any other value, such as the status
page's "ingen", reads "no plan"), so no template names a state."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dialogues.definitions import NO_PLAN_BADGE, STATE_BADGES
from dialogues.models import Plan

register = template.Library()


_STATES = frozenset(Plan.State.values)
# The badges made, under the language and the state (any other value: None), a few in all:
# a list of plans shows one on every row.
_BADGES: dict[tuple[str | None, str | None], SafeString] = {}


@register.simple_tag
def plan_state_badge(state: str | None) -> SafeString:
    known = state if state in _STATES else None
    key = (get_language(), known)
    badge = _BADGES.get(key)
    if badge is None:
        badge = _BADGES[key] = _badge(known)
    return badge


def _badge(state: str | None) -> SafeString:
    if state is not None:
        return format_html('<span class="badge {}">{}</span>', STATE_BADGES[Plan.State(state)], Plan.State(state).label)
    return format_html('<span class="badge {}">{}</span>', NO_PLAN_BADGE, _("no plan"))
