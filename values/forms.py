from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ledelse.text import PlainTextField
from values.models import Framework
from values.selectors import SearchInputError, search_terms


class SearchForm(forms.Form):
    # No max_length on the field itself: an over-long query gets our own clear message
    # rather than being cut off by the browser.
    q = PlainTextField(
        label=_("Search terms"), strip=True, error_messages={"required": _("Enter one or more search terms.")}
    )
    framework = forms.ChoiceField(
        label=_("Framework"), required=False, error_messages={"invalid_choice": _("Choose a framework from the list.")}
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, error_messages={"invalid_choice": _("Choose a region from the list.")}
    )

    def __init__(self, *args: Any, frameworks: Sequence[Framework] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", _("All frameworks"))] + [(f.slug, f.title) for f in frameworks]
        regions = {f.region.slug: f.region.name for f in frameworks}
        self.fields["region"].choices = [("", _("All regions")), *sorted(regions.items(), key=lambda r: r[1])]

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        try:
            search_terms(q)
        except SearchInputError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return q


_CHOICE_ERRORS = {"invalid_choice": _("Choose a framework from the list."), "required": _("Choose a framework.")}


class CompareForm(forms.Form):
    # Radio buttons, not selects: a closed select cuts a long title on a phone, a radio
    # label wraps.
    a = forms.ChoiceField(label=_("First framework"), error_messages=_CHOICE_ERRORS, widget=forms.RadioSelect)
    b = forms.ChoiceField(label=_("Second framework"), error_messages=_CHOICE_ERRORS, widget=forms.RadioSelect)

    def __init__(self, *args: Any, frameworks: Sequence[Framework] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_slug = {f.slug: f for f in frameworks}
        # The region only where the title does not name it already: shorter options.
        choices = [
            (f.slug, f.title if f.region.name in f.title else f"{f.title} ({f.region.name})") for f in frameworks
        ]
        self.fields["a"].choices = self.fields["b"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("Choose two different frameworks."))
        for name in ("a", "b"):
            if name in data:
                data[name] = self._by_slug[data[name]]
        return data
