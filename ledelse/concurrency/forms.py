"""Form mixins: the version an edit form was loaded from, and a creating form's one-time key.

    class RecordForm(VersionedFormMixin, forms.Form): ...

The view gives the token on every render (`form.set_seen(token)`), passes `form.seen()` to
the service, and on a VersionConflict calls `form.show_conflict(conflict)` and renders again:
the page then shows theirs and yours per field (templates/includes/version_conflict.html,
included by form_error_summary.html) with a choice per field; `form.apply_choices()` (after
is_valid) takes the stored value for each field where the user chose the other's.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from ledelse.concurrency.versions import SEEN_FIELD, Seen, VersionConflict

if TYPE_CHECKING:  # the mixins are mixed into forms: type them as one
    _FormBase = forms.BaseForm
else:
    _FormBase = object

CHOICE_PREFIX = "conflict-"
ONCE_FIELD = "once"


@dataclass(frozen=True)
class ConflictRow:
    name: str
    label: str
    theirs: str
    yours: str
    choice: str  # "theirs" or "mine": the default offered

    @property
    def input_name(self) -> str:
        return f"{CHOICE_PREFIX}{self.name}"


class VersionedFormMixin(_FormBase):
    """Adds the hidden `seen_version` field and the conflict page's choices to a form."""

    conflict: VersionConflict | None = None
    conflict_labels: Mapping[str, object] = {}  # field name: label (text or lazy text)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[SEEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10_000)
        self.conflict_rows: list[ConflictRow] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # a clean() that returned nothing keeps cleaned_data
            data = self.cleaned_data
        data.pop(SEEN_FIELD, None)  # read with seen(); kept out of **cleaned_data
        return data

    def set_seen(self, token: str) -> None:
        """The version the page shows (set on every render, POST included)."""
        self.initial[SEEN_FIELD] = token

    def seen(self) -> Seen | None:
        if not self.is_bound:
            return None
        return Seen.parse(self.data.get(self.add_prefix(SEEN_FIELD)))

    def taken_from_them(self) -> set[str]:
        """The fields the user chose to take the other's (stored) value for."""
        if not self.is_bound:
            return set()
        return {
            name.removeprefix(CHOICE_PREFIX)
            for name, value in self.data.items()
            if name.startswith(CHOICE_PREFIX) and value == "theirs"
        }

    def apply_choices(self) -> None:
        """After is_valid: the stored value (the form's initial, read on this request) for
        every field the user chose the other's for."""
        for name in self.taken_from_them() & set(self.fields):
            field = self.fields[name]
            try:
                self.cleaned_data[name] = field.clean(self.get_initial_for_field(field, name))
            except ValidationError:
                continue

    def _label(self, name: str) -> str:
        if name in self.conflict_labels:
            return str(self.conflict_labels[name])
        if name in self.fields:
            return str(self.fields[name].label or name)
        return name

    def show_conflict(self, conflict: VersionConflict) -> None:
        """Render again against the stored version, with theirs and yours per field."""
        data = self.data.copy() if isinstance(self.data, QueryDict | dict) else dict(self.data)
        data[self.add_prefix(SEEN_FIELD)] = conflict.token
        self.conflict = conflict
        self.conflict_rows = []
        for change in conflict.changes:
            choice = "mine" if change.yours_changed else "theirs"
            data[f"{CHOICE_PREFIX}{change.name}"] = choice
            self.conflict_rows.append(
                ConflictRow(
                    name=change.name,
                    label=self._label(change.name),
                    theirs=change.theirs_text,
                    yours=change.yours_text,
                    choice=choice,
                )
            )
        self.data = data
        self.add_error(None, conflict)


def once_key() -> str:
    return uuid.uuid4().hex


class OnceFormMixin(_FormBase):
    """Adds the hidden one-time key of a creating form (see ledelse.concurrency.once)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[ONCE_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64, initial=once_key
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # a clean() that returned nothing keeps cleaned_data
            data = self.cleaned_data
        data.pop(ONCE_FIELD, None)  # read with once(); kept out of **cleaned_data
        return data

    def once(self) -> str:
        return (self.data.get(self.add_prefix(ONCE_FIELD)) or "")[:64] if self.is_bound else ""
