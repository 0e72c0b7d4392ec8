"""Forms rendered by Django, in Det Fælles Designsystem's markup.

FORM_RENDERER is `FormRenderer`: every form field renders as a DKFDS form group
(templates/forms/field.html) through Django's own `{{ field.as_field_group }}` (and
`{{ form }}`), and its widget through Django's widget rendering, so each widget keeps its
own attributes (min, max, step, maxlength, inputmode, autocomplete, rows ...). The group
adds DKFDS's classes; the hint and the error carry Django's ids (`<id>_helptext`,
`<id>_error`), which Django's `aria-describedby` and `aria-invalid` already point at.
`templates/includes/form_field.html` is the same group with a few per-page options
(width, label, autocomplete, no hint). The error summary above a form is
`templates/includes/form_error_summary.html`.

The admin keeps its own markup: it renders its widgets itself, never the field group.
"""

from __future__ import annotations

import copy

from django.forms import BoundField
from django.forms.boundfield import BoundWidget
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeString, mark_safe

# DKFDS's class for each of Django's widget types (BoundField.widget_type); others: none.
WIDGET_CLASSES = {
    "checkbox": "form-checkbox",
    "select": "form-select",
    "nullbooleanselect": "form-select",
    "textarea": "form-input",
    "text": "form-input",
    "email": "form-input",
    "password": "form-input",
    "number": "form-input",
    "url": "form-input",
    "tel": "form-input",
    "search": "form-input",
    "date": "form-input",
    "datetime": "form-input",
    "time": "form-input",
}
WIDTHS = ("xxs", "xs", "s", "m", "l", "xl")


class FormRenderer(TemplatesSetting):
    """The project's templates (and Django's, through the django.forms app) with the DKFDS
    form group as every field's template."""

    field_template_name = "forms/field.html"


def dkfds_widget(field: BoundField, *, width: str = "", autocomplete: str = "", hide_help: bool = False) -> SafeString:
    """The field's widget as Django renders it (its own attributes kept), with DKFDS's class
    (and an input width) added to the widget's own classes. `hide_help`: the hint is not
    shown, so the widget does not point at it."""
    if hide_help and field.help_text:
        field = copy.copy(field)
        field.help_text = ""
    classes = [field.field.widget.attrs.get("class", ""), WIDGET_CLASSES.get(field.widget_type, "")]
    if width in WIDTHS:
        classes.append(f"input-width-{width}")
    attrs: dict[str, str | bool] = {}
    if joined := " ".join(dict.fromkeys(c for name in classes for c in name.split())):
        attrs["class"] = joined
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return field.as_widget(attrs=attrs)


def dkfds_radio(option: BoundWidget) -> SafeString:
    """One radio button of a RadioSelect as Django renders it (the field's required,
    disabled and aria-invalid kept), with DKFDS's class; the label is the template's."""
    attrs = dict(option.data["attrs"])
    # `checked` right after the value, as the page has always written it.
    first = {"checked": attrs.pop("checked")} if "checked" in attrs else {}
    data = {**option.data, "attrs": {**first, "class": "form-radio", **attrs}}
    return mark_safe(option.renderer.render("django/forms/widgets/input.html", {"widget": data}))
