"""`{% plan_state_badge state %}`: a plan's state as a badge, its class and label from
dialogues.definitions.STATE_BADGES and Plan.State (any other value, such as the status
page's "ingen", reads "no plan"), so no template names a state."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dialogues.definitions import NO_PLAN_BADGE, STATE_BADGES
from dialogues.models import Plan

register = template.Library()


@register.simple_tag
def plan_state_badge(state: str | None) -> SafeString:
    if state in Plan.State.values:
        return format_html('<span class="badge {}">{}</span>', STATE_BADGES[Plan.State(state)], Plan.State(state).label)
    return format_html('<span class="badge {}">{}</span>', NO_PLAN_BADGE, _("no plan"))
