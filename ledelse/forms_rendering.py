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
import hashlib
from collections.abc import Iterable
from datetime import date

from django.forms import BoundField, Form
from django.forms.boundfield import BoundWidget
from django.forms.renderers import TemplatesSetting
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


# The markup of error-free forms, kept in the process under everything it is made of
# (form_html). A page's filter form is the same for every reader with the same choices;
# the dict is emptied when it grows.
_FORM_HTML: dict[str, SafeString] = {}
_FORM_HTML_KEPT = 256


class _Unkeyable(Exception):
    """A form state that is not plain text, numbers and lists (e.g. a queryset's choices)."""


def _plain(value: object) -> object:
    """A value of a form's state as text, numbers and tuples (lazy translations read in the
    current language, never their repr); anything else cannot name the markup."""
    if value is None or isinstance(value, bool | int | float | str | date):
        return value if not isinstance(value, date) else value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    raise _Unkeyable(type(value).__name__)


def _form_state(form: Form) -> tuple:
    """What the field groups of `form` render from: each field's id, label, hint, widget,
    attributes, choices and value, and whether the form is bound."""
    fields = []
    for bound in form:
        widget = bound.field.widget
        fields.append(
            (
                bound.html_name,
                bound.auto_id,
                bound.label,
                bound.help_text,
                bound.field.required,
                type(widget).__qualname__,
                sorted((k, _plain(v)) for k, v in widget.attrs.items()),
                _plain(getattr(widget, "choices", None)),
                _plain(bound.value()),
            )
        )
    return (type(form).__module__, type(form).__qualname__, form.is_bound, _plain(fields))


def form_html(form: Form, template_name: str, *, also: Iterable[object] = ()) -> SafeString:
    """`template_name` rendered with `form` (and nothing else: no request, so no CSRF token
    and no user), kept in the process under the language, the template, the form's state
    (`_form_state`) and `also` (whatever else of the form the template reads, e.g. which
    fields it shows). A form with errors is rendered each time. For a page's GET filter
    form, whose DKFDS field groups cost milliseconds and which is the same for every
    reader with the same choices and values."""
    try:
        if form.is_bound and form.errors:
            raise _Unkeyable("errors")
        raw = repr(_plain((get_language(), template_name, _form_state(form), tuple(also))))
    except _Unkeyable:
        return mark_safe(render_to_string(template_name, {"form": form}))
    key = hashlib.sha256(raw.encode()).hexdigest()
    html = _FORM_HTML.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name, {"form": form}))
        if len(_FORM_HTML) >= _FORM_HTML_KEPT:
            _FORM_HTML.clear()
        _FORM_HTML[key] = html
    return html
