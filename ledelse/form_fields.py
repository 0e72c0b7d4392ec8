"""Form fields every app uses for input that must be bounded whatever the database.

Dates: every date typed into a form lies between DATE_MIN and DATE_MAX (1 January 2000 to
31 December 2099): plans, activities, LUS rounds, bookings, agreements and follow-ups are
about the present and the next years, and a year such as 9999 or 1 is a typing error that
would otherwise be stored and later overflow the calendar arithmetic of the pages that
show it (.ics files, the meeting guide).

Ids: a chosen object's id is checked against the largest id a database key can hold
(BigAutoField: 2**63 - 1) before it is looked up, so a forged id such as
99999999999999999999999 is the field's "Select a valid choice" on SQLite as on PostgreSQL
(SQLite's driver raises OverflowError for it, PostgreSQL answers that it does not exist).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2099, 12, 31)
# The largest primary key (BigAutoField, a signed 64-bit integer).
ID_MAX = 2**63 - 1


class DateInput(forms.DateInput):
    """The browser's date picker (ISO dates)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date from DATE_MIN to DATE_MAX (the widget's min and max say so too)."""

    widget = DateInput

    def __init__(self, *, min_value: date = DATE_MIN, max_value: date = DATE_MAX, **kwargs: Any) -> None:
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs.update(min=self.min_value.isoformat(), max=self.max_value.isoformat())
        return attrs

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not self.min_value <= value <= self.max_value:
            raise ValidationError(
                _("Enter a date from %(min)s to %(max)s."),
                code="date_range",
                params={"min": formats.date_format(self.min_value), "max": formats.date_format(self.max_value)},
            )


# For a ModelAdmin or inline: its date fields take the same range (formfield_overrides).
ADMIN_DATE_RANGE: dict[type[models.Field], dict[str, Any]] = {models.DateField: {"form_class": DateField}}


def _bounded_id(value: Any) -> bool:
    """False for a value that is a number too large for a key (so no key has it)."""
    try:
        return abs(int(str(value).strip())) <= ID_MAX
    except ValueError:
        return True  # not a number: the field's own lookup refuses it


class ModelChoiceField(forms.ModelChoiceField):
    """ModelChoiceField that refuses an id too large for a key before the lookup."""

    def to_python(self, value: Any) -> Any:
        if self.to_field_name is None and value not in self.empty_values and not _bounded_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses ids too large for a key before the lookup."""

    def clean(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, (list, tuple)):
            for pk in value:
                if not _bounded_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super().clean(value)


class IdField(forms.IntegerField):
    """The id of a row a form edits (a hidden field), within what a key can hold."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)
