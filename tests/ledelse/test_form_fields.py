"""The shared form fields (ledelse.form_fields, ledelse.text): dates within 2000–2099,
forged ids refused as a form error on every database, Word's line breaks kept as line
breaks while other control characters are refused."""

from datetime import date

import pytest
from django import forms

from ledelse.form_fields import DATE_MAX, DATE_MIN, DateField, IdField, ModelChoiceField, ModelMultipleChoiceField
from ledelse.models import Unit
from ledelse.text import PlainTextField

pytestmark = pytest.mark.sqlite  # the forged ids are the SQLite driver's OverflowError

HUGE = "99999999999999999999999"


class DatesForm(forms.Form):
    on = DateField(label="Dato", required=False)


class IdsForm(forms.Form):
    unit = ModelChoiceField(label="Enhed", queryset=Unit.objects.all(), required=False)
    units = ModelMultipleChoiceField(label="Enheder", queryset=Unit.objects.all(), required=False)
    row = IdField(required=False)


class TextForm(forms.Form):
    text = PlainTextField(label="Tekst")


@pytest.mark.parametrize("value", ["2000-01-01", "2026-06-04", "2099-12-31"])
def test_a_date_in_the_range_is_accepted(value):
    form = DatesForm(data={"on": value})
    assert form.is_valid(), form.errors
    assert DATE_MIN <= form.cleaned_data["on"] <= DATE_MAX


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_a_date_outside_the_range_gets_a_danish_message(value):
    form = DatesForm(data={"on": value})
    assert not form.is_valid()
    assert form.errors["on"] == ["Skriv en dato fra 1. januar 2000 til 31. december 2099."]


def test_the_date_picker_knows_the_range():
    html = str(DatesForm()["on"])
    assert 'type="date"' in html and 'min="2000-01-01"' in html and 'max="2099-12-31"' in html
    assert DateField(min_value=date(2026, 1, 1)).widget.attrs["min"] == "2026-01-01"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"unit": HUGE}, {"units": [HUGE]}, {"units": ["1", f"-{HUGE}"]}, {"row": HUGE}])
def test_an_id_too_large_for_a_key_is_a_form_error(data):
    form = IdsForm(data=data)
    assert not form.is_valid()  # no OverflowError from the database driver
    assert set(form.errors) == set(data)


@pytest.mark.django_db
def test_a_real_id_is_still_found(org):
    unit = org.units["A"]
    form = IdsForm(data={"unit": str(unit.pk), "units": [str(unit.pk)], "row": "7"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == unit and list(form.cleaned_data["units"]) == [unit]


def test_words_line_and_page_breaks_become_line_breaks():
    form = TextForm(data={"text": "\x0bFørste linje\x0bAnden linje\x0cNy side\x0c"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == "Første linje\nAnden linje\nNy side"


@pytest.mark.parametrize("control", ["\x01", "\x07", "\x1b", "\x7f", "\x85"])
def test_other_control_characters_are_still_refused(control):
    form = TextForm(data={"text": f"a{control}b"})
    assert not form.is_valid()
    assert "usynligt kontroltegn" in form.errors["text"][0]


def test_the_admin_of_rollouts_and_activities_takes_the_same_range(rf, org):
    from django.contrib.admin.sites import site

    from dialogues.models import Plan, Rollout

    request = rf.get("/")
    request.user = org.users["admin"]
    rollout_form = site._registry[Rollout].get_form(request)()
    assert isinstance(rollout_form.fields["deadline"], DateField)
    inline = next(i for i in site._registry[Plan].get_inline_instances(request) if i.model.__name__ == "Activity")
    assert isinstance(inline.get_formset(request).form.base_fields["date"], DateField)
