from django import template
from django.utils.html import format_html

from ledelse.concurrency.forms import ONCE_FIELD, once_key
from ledelse.concurrency.versions import SEEN_FIELD

register = template.Library()


@register.simple_tag
def once_field() -> str:
    """The hidden one-time key of a small creating form (a button)."""
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD, once_key())


@register.simple_tag
def seen_version_field(obj) -> str:
    """The hidden version a confirm or approve button names (the row's lock_version)."""
    return format_html('<input type="hidden" name="{}" value="{}">', SEEN_FIELD, obj.lock_version)
