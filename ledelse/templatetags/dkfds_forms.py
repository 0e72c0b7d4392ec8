"""The DKFDS form group's widget tags (see ledelse/forms_rendering.py)."""

from django import template

from ledelse import forms_rendering

register = template.Library()


@register.simple_tag
def dkfds_widget(field, width="", autocomplete="", hide_help=False):
    return forms_rendering.dkfds_widget(
        field, width=width or "", autocomplete=autocomplete or "", hide_help=bool(hide_help)
    )


@register.simple_tag
def dkfds_radio(option):
    return forms_rendering.dkfds_radio(option)
