"""How the frameworks' text is shown: web addresses as links, typographic fixes. The text
in the database stays as the source has it."""

from __future__ import annotations

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Units the PDF extracts flatten ("km2" for km²).
_SUPERSCRIPTS = (
    (re.compile(r"(\d\s?(?:k|c)?m)2\b"), r"\1²"),
    (re.compile(r"(\d\s?(?:k|c)?m)3\b"), r"\1³"),
)


@register.filter(is_safe=True)
def reading(text: str) -> SafeString:
    """Escape `text`, make its web addresses links, and set units as the source meant."""
    html = urlize(str(text), nofollow=False, autoescape=True)
    for pattern, replacement in _SUPERSCRIPTS:
        html = pattern.sub(replacement, html)
    return mark_safe(html)
