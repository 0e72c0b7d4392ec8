"""Form fields render through Django (FORM_RENDERER, templates/forms/field.html): each
widget keeps its own attributes, inside DKFDS's form group, with the hint and the error
that the widget's aria-describedby names."""

import re

import pytest
from django import forms
from django.template import Context, Template


class DaysForm(forms.Form):
    days = forms.IntegerField(label="Dage", min_value=1, max_value=365, help_text="Mellem 1 og 365.")
    note = forms.CharField(label="Note", required=False, max_length=40, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label="Slags", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    agree = forms.BooleanField(label="Enig", required=False)


def _input(html: str, name: str) -> str:
    match = re.search(rf"<(?:input|textarea|select)[^>]*name=\"{name}\"[^>]*>", html)
    assert match, html
    return match.group(0)


def test_a_number_field_keeps_its_min_and_max():
    html = str(DaysForm()["days"].as_field_group())
    days = _input(html, "days")
    assert 'min="1"' in days and 'max="365"' in days and 'type="number"' in days
    assert 'class="form-input"' in days
    assert '<div class="form-group">' in html and '<label class="form-label" for="id_days">Dage</label>' in html
    assert 'id="id_days_helptext"' in html and 'aria-describedby="id_days_helptext"' in days


def test_the_include_renders_the_same_group_with_its_options():
    html = Template('{% include "includes/form_field.html" with field=form.days width="xs" %}').render(
        Context({"form": DaysForm()})
    )
    days = _input(html, "days")
    assert 'min="1"' in days and 'max="365"' in days
    assert 'class="form-input input-width-xs"' in days


def test_an_error_marks_the_group_and_the_widget_points_at_it():
    form = DaysForm(data={"days": "400", "kind": "a"})
    assert not form.is_valid()
    html = str(form["days"].as_field_group())
    days = _input(html, "days")
    assert 'class="form-group form-error"' in html
    assert 'id="id_days_error"' in html and "365" in html
    assert 'aria-invalid="true"' in days and 'aria-describedby="id_days_helptext id_days_error"' in days


def test_hiding_the_hint_leaves_no_reference_to_it():
    html = Template('{% include "includes/form_field.html" with field=form.days hide_help=True %}').render(
        Context({"form": DaysForm()})
    )
    assert "_helptext" not in html


@pytest.mark.parametrize(
    ("name", "expected"),
    [("note", ['maxlength="40"', 'rows="3"', 'class="form-input"']), ("agree", ['class="form-checkbox"'])],
)
def test_other_widgets_keep_their_attributes_with_the_dkfds_class(name, expected):
    html = str(DaysForm()[name].as_field_group())
    widget = _input(html, name)
    for attribute in expected:
        assert attribute in widget
    if name == "note":
        assert "(frivilligt)" in html or "(optional)" in html


def test_radio_buttons_are_a_fieldset_with_dkfds_radios():
    html = str(DaysForm()["kind"].as_field_group())
    assert "<fieldset" in html and '<legend class="form-label">Slags' in html
    assert html.count('class="form-group-radio"') == 2
    assert html.count('class="form-radio"') == 2 and html.count("required") == 2


class PairForm(forms.Form):
    """The compare page's two fields (templates/values/_compare_fields.html renders a and b)."""

    a = forms.ChoiceField(label="Første", widget=forms.RadioSelect)
    b = forms.ChoiceField(label="Anden", widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = self.fields["b"].choices = choices


def _fresh(form) -> str:
    from django.template.loader import render_to_string

    return render_to_string("values/_compare_fields.html", {"form": form})


def test_form_html_is_kept_under_the_forms_exact_choices_and_values():
    from ledelse.forms_rendering import form_html

    choices = [("x", "X"), ("y", "Y")]
    first = form_html(PairForm(initial={"a": "x", "b": "y"}, choices=choices), "values/_compare_fields.html")
    again = PairForm(initial={"a": "x", "b": "y"}, choices=choices)
    assert form_html(again, "values/_compare_fields.html") is first  # kept
    assert first == _fresh(again)
    # Another value, another choice's label, a bound form: each its own markup, as rendered.
    for other in (
        PairForm(initial={"a": "y", "b": "x"}, choices=choices),
        PairForm(initial={"a": "x", "b": "y"}, choices=[("x", "X"), ("y", "Yy")]),
        PairForm({"a": "y", "b": "x"}, choices=choices),
    ):
        html = form_html(other, "values/_compare_fields.html")
        assert html != first and html == _fresh(other)


def test_form_html_renders_a_form_with_errors_each_time():
    from ledelse.forms_rendering import form_html

    form = PairForm({"a": "nope"}, choices=[("x", "X")])
    html = form_html(form, "values/_compare_fields.html")
    assert 'aria-invalid="true"' in html and html == _fresh(form)
    assert form_html(PairForm({"a": "nope"}, choices=[("x", "X")]), "values/_compare_fields.html") is not html
