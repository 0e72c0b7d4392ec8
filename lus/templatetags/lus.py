"""Template filters for LUS pages: a dict lookup (the templates hold no logic beyond it)."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key) if hasattr(mapping, "get") else None
