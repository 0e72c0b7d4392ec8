"""LUS forms. Fields check shapes; the services check the rules (and say why in Danish)."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ledelse.concurrency.forms import OnceFormMixin, VersionedFormMixin
from ledelse.form_fields import DateField, IdField, ModelChoiceField, ModelMultipleChoiceField
from ledelse.models import Person, Unit
from ledelse.text import PlainTextField
from lus.models import FollowUp, Round
from values.models import FrameworkVersion, Item

RATING_CHOICES = [
    ("", _("Not rated")),
    ("1", _("1 – Not at all")),
    ("2", _("2 – To a small degree")),
    ("3", _("3 – To some degree")),
    ("4", _("4 – To a high degree")),
    ("5", _("5 – To a very high degree")),
]

# Bounds on what one field takes: generous for what people write in a LUS, and a limit
# with a clear message instead of megabytes in the PDFs and the export.
TEXT_MAX_LENGTH = 5000
NOTES_MAX_LENGTH = 20_000

DEFAULT_QUESTIONS = [
    _("What went well in the past year?"),
    _("What was hard?"),
    _("What do I want to develop in the coming year?"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RoundForm(VersionedFormMixin, OnceFormMixin, forms.Form):
    conflict_labels = {"common_items": capfirst(_("themes and principles in common"))}

    name = PlainTextField(label=_("Name"), max_length=200)
    scope = ModelChoiceField(label=_("For leaders in"), queryset=Unit.objects.none())
    framework_version = ModelChoiceField(
        label=_("Framework"),
        queryset=FrameworkVersion.objects.filter(status=FrameworkVersion.Status.UDGIVET)
        .select_related("framework")
        .order_by("framework__title"),
    )
    period_start = DateField(label=_("Period from"), widget=DateInput())
    period_end = DateField(label=_("Period to"), widget=DateInput())
    preparation_opens = DateField(label=_("Preparation opens"), widget=DateInput())
    held_by = DateField(label=_("Conversations held by"), widget=DateInput())
    confirmed_by = DateField(label=_("Agreements confirmed by"), widget=DateInput())
    questions = PlainTextField(
        label=_("General questions"),
        help_text=_("One question a line."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    time_categories = PlainTextField(
        label=_("Leadership time categories"),
        help_text=_("One category a line. Empty: the framework's themes."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, scopes: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes
        self.fields["framework_version"].label_from_instance = lambda v: f"{v.framework.title} (version {v.number})"
        if not self.is_bound and "questions" not in self.initial:
            self.initial["questions"] = "\n".join(str(q) for q in DEFAULT_QUESTIONS)

    def clean_questions(self) -> list[str]:
        questions = _lines(self.cleaned_data["questions"])
        if not questions:
            raise forms.ValidationError(_("Write at least one question."))
        return questions

    def clean_time_categories(self) -> list[str]:
        return _lines(self.cleaned_data.get("time_categories") or "")

    # The dates, the scope and the framework's region are the round's rules: checked in
    # lus.services.round_check (for create and update alike), not here.


class ItemsForm(forms.Form):
    items = ModelMultipleChoiceField(
        label=_("Themes and principles"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices: list[Item], with_framework: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Item.objects.filter(pk__in=[i.pk for i in choices])
        if with_framework:  # items of several frameworks: name the framework in each label
            queryset = queryset.select_related("version__framework").order_by("version__framework__title", "position")
            self.fields["items"].label_from_instance = lambda i: f"{i.version.framework.title}: {i.title}"
            self.fields["items"].help_text = _("None ticked: the chosen framework's themes.")
        else:
            queryset = queryset.order_by("position")
        self.fields["items"].queryset = queryset
        self.choices = choices


class PersonForm(forms.Form):
    who = PlainTextField(label=_("Name, user name or e-mail"), max_length=200)


class PartnerForm(forms.Form):
    """HR's choice of conversation partner: only the leaders the rule allows are offered
    (lus.selectors.partner_candidates, without the acting user); the service checks again."""

    partner = forms.ModelChoiceField(label=_("New conversation partner"), queryset=Person.objects.none())

    def __init__(self, *args, candidates: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Person.objects.filter(pk__in=[p.pk for p in candidates]).select_related(
            "unit"
        )
        self.fields["partner"].label_from_instance = lambda p: f"{p.name}, {p.title} ({p.unit.name})"


class PreparationForm(VersionedFormMixin, forms.Form):
    """Generated from the LUS: a rating and an example per item, one answer per general
    question, and (for the leader) the time split now and wanted per category."""

    def __init__(
        self, *args, items: list[Item], questions: list[str], categories: list[str], role: str = "leader", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.items = items
        # The partner's form speaks to the partner about the leader, not in the leader's voice.
        partner = role == "partner"
        self.score_label = _("How well does the leader succeed?") if partner else _("How well do you succeed?")
        self.questions = questions
        self.categories = categories
        # The conflict page (ledelse.concurrency) names each rating and example by its item.
        labels: dict[str, object] = {"topics": capfirst(_("chosen topics"))}
        for item in items:
            labels[f"score_{item.pk}"] = f"{item.heading}: {_('Rating')}"
            labels[f"note_{item.pk}"] = item.heading
            self.fields[f"score_{item.pk}"] = forms.TypedChoiceField(
                label=_("Rating"),
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": _("A rating must be from 1 to 5.")},
            )
            self.fields[f"note_{item.pk}"] = PlainTextField(
                label=_("An example I have seen") if partner else _("An example from my practice"),
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.conflict_labels = labels
        for n, question in enumerate(questions):
            self.fields[f"answer_{n}"] = PlainTextField(
                label=question, required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
            )
        for n, category in enumerate(categories):
            for when in ("now", "wanted"):
                self.fields[f"time_{when}_{n}"] = forms.IntegerField(
                    label=category, required=False, min_value=0, max_value=100, widget=forms.NumberInput()
                )

    def rows(self):
        return [(item, self[f"score_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def answer_fields(self):
        return [self[f"answer_{n}"] for n in range(len(self.questions))]

    def time_rows(self):
        return [(c, self[f"time_now_{n}"], self[f"time_wanted_{n}"]) for n, c in enumerate(self.categories)]

    def time_totals(self) -> tuple[int, int]:
        """The running totals (now, wanted) of what the fields hold, shown under the table
        (static/js/lus-time.js keeps them current while typing)."""

        def total(when: str) -> int:
            n = 0
            for i in range(len(self.categories)):
                try:
                    n += int(self[f"time_{when}_{i}"].value() or 0)
                except (TypeError, ValueError):
                    pass
            return n

        return total("now"), total("wanted")

    def ratings(self) -> dict[int, tuple[int | None, str]]:
        return {i.pk: (self.cleaned_data[f"score_{i.pk}"], self.cleaned_data[f"note_{i.pk}"]) for i in self.items}

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{n}"] for n in range(len(self.questions))]

    def split(self, when: str) -> dict[str, int]:
        return {
            c: self.cleaned_data[f"time_{when}_{n}"] or 0
            for n, c in enumerate(self.categories)
            if self.cleaned_data[f"time_{when}_{n}"] is not None
        }


class BookingForm(VersionedFormMixin, forms.Form):
    date = DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    location = PlainTextField(label=_("Place"), max_length=200)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=15,
        max_value=480,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 15}),
    )


class RecordForm(VersionedFormMixin, forms.Form):
    conflict_labels = {"agreements": _("Agreements")}

    notes = PlainTextField(
        label=_("Notes"), required=False, max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    held_on = forms.DateField(
        label=_("The conversation was held on"),
        help_text=_("Only when it was held before the booked time (or without a booking)."),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, partner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not partner:  # only the partner states that the conversation was held earlier
            del self.fields["held_on"]


class AgreementForm(forms.Form):
    id = IdField(required=False)
    what = PlainTextField(label=_("What"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    how = PlainTextField(label=_("How"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = DateField(label=_("By when"), required=False, widget=DateInput())
    support = PlainTextField(label=_("What support"), required=False, max_length=1000)
    principle = ModelChoiceField(label=_("Principle"), queryset=Item.objects.none(), required=False)
    delete = forms.BooleanField(label=_("Remove this agreement"), required=False)

    def __init__(self, *args, principles: QuerySet[Item] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if principles is not None:
            self.fields["principle"].queryset = principles

    def clean(self):
        data = super().clean()
        if data.get("delete") or not (data.get("what") or "").strip():
            return data
        if not data.get("due_on"):
            self.add_error("due_on", _("Give a date for the agreement."))
        return data


MAX_AGREEMENTS = 20  # the service (lus.services.MAX_AGREEMENTS) enforces it as well
AgreementFormSet = forms.formset_factory(
    AgreementForm, extra=2, max_num=MAX_AGREEMENTS, validate_max=True, absolute_max=MAX_AGREEMENTS
)


class FollowUpDateForm(forms.Form):
    date = DateField(label=_("Date of the follow-up talk"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())


class FollowUpForm(VersionedFormMixin, forms.Form):
    date = DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices, required=False)
    note = PlainTextField(label=_("Short status"), max_length=300, required=False)


def principle_choices(*, lus_round: Round) -> QuerySet[Item]:
    return Item.objects.filter(
        Q(kind=Item.Kind.PRINCIPLE) | Q(kind=Item.Kind.THEME), version_id=lus_round.framework_version_id
    ).order_by("position")
