"""The site's one date format in templates: {{ value|long_date }} and
{{ value|long_datetime }} (see ledelse.dates). Built in (settings TEMPLATES builtins)."""

from django import template

from ledelse import dates

register = template.Library()


@register.filter
def long_date(value):
    return dates.long_date(value)


@register.filter
def long_datetime(value):
    return dates.long_datetime(value)
