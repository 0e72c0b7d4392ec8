"""Rendered fragments kept in the process under what they are made of.

A fragment that costs milliseconds to render (a list's table of rows, its pagination) and
is a pure function of a few plain values is rendered once per distinct set of values: the
key is the values themselves (with the language and the template), so a change to any of
them is a new key and the page shows it at once; no stamp to bump, no invalidation to
forget. Nothing is shared between processes or kept longer than the process, and since
the values were read for the reader (through the access rules), one reader's fragment is
another's only when both would see exactly the same markup.

`ledelse.forms_rendering.form_html` is the same idea for a filter form.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# The markup, under the sha256 of what it is made of; emptied when it grows.
_FRAGMENTS: dict[str, SafeString] = {}
_FRAGMENTS_KEPT = 256


_SCALARS = frozenset({type(None), bool, int, float, str})


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _plain(value: object) -> object:
    """`value` as text, numbers and tuples; a dataclass as its class name and fields.
    Anything else (a model instance, a lazy translation, a queryset) would not name its
    content in a key: TypeError."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, list | tuple):
        if all(type(v) in _SCALARS for v in value):  # the common case, without a call each
            return tuple(value)
        return tuple(_plain(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (kind.__qualname__, _plain(tuple(getattr(value, name) for name in _field_names(kind))))
    if isinstance(value, str):
        return str.__str__(value)  # a SafeString as its text
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Not a plain value for a fragment's key: {type(value).__name__}")


def fragment_html(template_name: str, context: dict[str, Any], *, made_of: object) -> SafeString:
    """`template_name` rendered with `context` alone (no request: no CSRF token, no user, no
    request.GET), kept in the process under the language, the template and `made_of`, which
    must name everything the template reads of `context` (plain values, `_plain`)."""
    raw = repr((get_language(), template_name, _plain(made_of)))
    key = hashlib.sha256(raw.encode()).hexdigest()
    html = _FRAGMENTS.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name, context))
        if len(_FRAGMENTS) >= _FRAGMENTS_KEPT:
            _FRAGMENTS.clear()
        _FRAGMENTS[key] = html
    return html
