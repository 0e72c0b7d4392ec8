"""Forms of rollouts, plans and activities. The forms only parse input; the rules (state,
framework version, region) live in dialogues.services, which the views call.

Choice fields that name people or principles accept any existing one and show only the
sensible ones: a person from another region or a principle of another framework then gets
the service's clear message instead of Django's generic "invalid choice"."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogues import access, activity_questions, med, selectors, services
from dialogues.access import AnyUser
from dialogues.hearings import HEARING_LONGEST_DAYS, AudiencePeople
from dialogues.models import HEARING_TEXT_LENGTH, Activity, Hearing, MedTreatment, Plan, Rollout
from ledelse.concurrency.forms import OnceFormMixin, VersionedFormMixin
from ledelse.form_fields import DateField, ModelChoiceField, ModelMultipleChoiceField
from ledelse.models import Person, Unit
from ledelse.text import PlainTextField
from values.models import Framework, FrameworkVersion, Item, ReflectionQuestion


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-input input-width-xs", **(attrs or {})}, format="%H:%M")


_FRAMEWORK_PARTS = Item.objects.filter(kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE])


def _show_groups(form: forms.Form, name: str, groups: list) -> None:
    """Offer every theme and principle of the plan's framework, grouped as the framework
    groups them (selectors.version_choice_groups); the template reads form.groups[name]."""
    _show_only(form.fields[name], [i for g in groups for i in g.items], label=lambda i: i.heading)
    form.groups = {**getattr(form, "groups", {}), name: groups}


def grouped_options(bound_field, groups: list) -> list[tuple[str, list]]:
    """The checkboxes of `bound_field` under their groups' labels."""
    options = {str(option.data["value"]): option for option in bound_field.subwidgets}
    return [(g.label, [options[str(i.pk)] for i in g.items if str(i.pk) in options]) for g in groups]


def _show_only(field: forms.ModelChoiceField, shown: QuerySet, label=str) -> None:
    """Validate against field.queryset but list only `shown` (the queryset setter would
    reset the widget's choices, so they are set afterwards)."""
    choices = [(obj.pk, label(obj)) for obj in shown]
    if not isinstance(field, forms.ModelMultipleChoiceField):
        choices.insert(0, ("", "---------"))
    field.widget.choices = choices


class RolloutForm(VersionedFormMixin, OnceFormMixin, forms.Form):
    title = PlainTextField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the rollout a title.")}
    )
    scope_unit = ModelChoiceField(
        label=_("Part of the organisation"),
        queryset=Unit.objects.none(),
        help_text=_("Every unit from here and down is asked for a plan."),
    )
    framework = ModelChoiceField(label=_("Framework"), queryset=Framework.objects.none())
    starts_on = DateField(label=_("Start date"), widget=DateInput())
    deadline = DateField(label=_("Deadline for plans"), widget=DateInput())
    activity_due_days = forms.IntegerField(
        label=_("Remind of an activity (days before)"), min_value=1, max_value=365, initial=7
    )
    plan_missing_days = forms.IntegerField(
        label=_("Remind of a missing plan (days before the deadline)"), min_value=1, max_value=365, initial=14
    )
    approval_wait_days = forms.IntegerField(
        label=_("Remind of a plan waiting for approval (days)"), min_value=1, max_value=365, initial=7
    )
    requires_med_treatment = forms.BooleanField(
        label=_("The MED committee treats each plan before it is submitted"),
        required=False,
        help_text=_(
            "A plan can then only be submitted when the committee's formand or næstformand has recorded its statement."
        ),
    )

    def __init__(self, *args, user: AnyUser, rollout: Rollout | None = None, **kwargs):
        if rollout is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": rollout.title,
                    "scope_unit": rollout.scope_unit_id,
                    "framework": rollout.framework_version.framework_id,
                    "starts_on": rollout.starts_on,
                    "deadline": rollout.deadline,
                    "activity_due_days": rollout.activity_due_days,
                    "plan_missing_days": rollout.plan_missing_days,
                    "approval_wait_days": rollout.approval_wait_days,
                    "requires_med_treatment": rollout.requires_med_treatment,
                },
            )
        super().__init__(*args, **kwargs)
        units = access.units_for_rollouts_of(user).select_related("region")
        self.fields["scope_unit"].queryset = units
        self.fields["scope_unit"].label_from_instance = lambda u: f"{'– ' * (u.depth - 1)}{u.name}"
        self.fields["framework"].queryset = (
            Framework.objects.filter(
                current_version__status=FrameworkVersion.Status.UDGIVET,
                region_id__in=units.values("region_id"),
            )
            .select_related("region", "current_version")
            .order_by("region__name", "position", "title")
        )
        self.fields["framework"].label_from_instance = lambda f: f"{f.title} ({f.region.name})"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("deadline") and data["deadline"] < data["starts_on"]:
            self.add_error("deadline", _("The deadline cannot be before the rollout starts."))
        return data

    def rollout_data(self) -> services.RolloutData:
        d = self.cleaned_data
        return services.RolloutData(
            title=d["title"],
            scope_unit=d["scope_unit"],
            framework_version=d["framework"].current_version,
            starts_on=d["starts_on"],
            deadline=d["deadline"],
            activity_due_days=d["activity_due_days"],
            plan_missing_days=d["plan_missing_days"],
            approval_wait_days=d["approval_wait_days"],
            requires_med_treatment=d["requires_med_treatment"],
        )


class PlanStartForm(forms.Form):
    carry_on = forms.BooleanField(
        label=_("Start from the plan of the unit above"),
        required=False,
        help_text=_("The translation and the principles in focus are copied; you adapt them afterwards."),
    )


class TranslationForm(VersionedFormMixin, forms.Form):
    """One text field per theme of the plan's framework version, and the principles in focus."""

    focus_principles = ModelMultipleChoiceField(
        label=_("In focus"),
        queryset=_FRAMEWORK_PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The parts of the framework the unit chooses to work with first: values, themes or principles."),
    )

    def __init__(self, *args, plan: Plan, themes: list, focus: list[Item], **kwargs):
        initial = {"focus_principles": [i.pk for i in focus]}
        for row in themes:
            initial[f"theme_{row.theme.pk}"] = row.text
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.themes = themes
        for row in themes:
            self.fields[f"theme_{row.theme.pk}"] = PlainTextField(
                label=row.theme.heading,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("What it means here, in our words."),
            )
        _show_groups(self, "focus_principles", selectors.version_choice_groups(version_id=plan.framework_version.pk))

    def theme_fields(self):
        return [self[f"theme_{row.theme.pk}"] for row in self.themes]

    def theme_rows(self) -> list[tuple]:
        """Each theme's field beside the theme's own text in the framework."""
        return [(row.theme, self[f"theme_{row.theme.pk}"]) for row in self.themes]

    def focus_groups(self):
        return grouped_options(self["focus_principles"], self.groups["focus_principles"])

    def texts(self) -> dict[int, str]:
        return {row.theme.pk: self.cleaned_data[f"theme_{row.theme.pk}"] for row in self.themes}


def _people_near(plan: Plan) -> QuerySet[Person]:
    return selectors.plan_people_near(plan=plan)


class CoOwnersForm(VersionedFormMixin, forms.Form):
    co_owners = ModelMultipleChoiceField(
        label=_("Co-owners"),
        queryset=Person.objects.select_related("unit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Co-owners edit the plan together with the owner."),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("initial", {"co_owners": list(plan.co_owners.values_list("pk", flat=True))})
        super().__init__(*args, **kwargs)
        _show_only(self.fields["co_owners"], _people_near(plan).exclude(pk=plan.owner_id), label=_person_label)


def _person_label(person: Person) -> str:
    return f"{person.name}, {person.unit.name}"


class ActivityForm(VersionedFormMixin, OnceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = PlainTextField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the activity a title.")}
    )
    description = PlainTextField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    principles = ModelMultipleChoiceField(
        label=_("Parts of the framework it works with"),
        queryset=_FRAMEWORK_PARTS.select_related("version"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = ModelChoiceField(label=_("Responsible"), queryset=Person.objects.select_related("unit"))
    participants = ModelMultipleChoiceField(
        label=_("Taking part"),
        queryset=Person.objects.select_related("unit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_note = PlainTextField(
        label=_("Also taking part"),
        required=False,
        max_length=300,
        help_text=_("For example the MED committee or all staff."),
    )
    date = DateField(
        label=_("Date or deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Without a time, the date is a deadline."),
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), required=False, widget=TimeInput())
    location = PlainTextField(label=_("Place"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices, initial=Activity.Status.PLANLAGT)
    outcome = PlainTextField(
        label=_("What came out of it"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_on = DateField(
        label=_("Follow-up date"),
        required=False,
        widget=DateInput(),
        help_text=_("You get a reminder to write what came out of it."),
    )

    def __init__(self, *args, plan: Plan, activity: Activity | None = None, **kwargs):
        if activity is not None:
            initial = {name: getattr(activity, name) for name in services._ACTIVITY_FIELDS}
            initial["responsible"] = activity.responsible_id
            initial["principles"] = [i.pk for i in activity.principles.all()]
            initial["participants"] = [p.pk for p in activity.participants.all()]
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"responsible": plan.owner_id})
        super().__init__(*args, **kwargs)
        people = list(_people_near(plan))
        _show_only(self.fields["responsible"], people, label=_person_label)
        _show_only(
            self.fields["participants"], [p for p in people if p.unit.path.startswith(plan.unit.path)], _person_label
        )
        _show_groups(self, "principles", selectors.version_choice_groups(version_id=plan.framework_version.pk))

    def principle_groups(self):
        return grouped_options(self["principles"], self.groups["principles"])

    def activity_data(self) -> services.ActivityData:
        d = self.cleaned_data
        return services.ActivityData(
            kind=d["kind"],
            title=d["title"],
            responsible=d["responsible"],
            description=d["description"],
            principles=tuple(d["principles"]),
            participants=tuple(d["participants"]),
            participants_note=d["participants_note"],
            date=d["date"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            location=d["location"],
            status=d["status"],
            outcome=d["outcome"],
            follow_up_on=d["follow_up_on"],
        )


class CommentForm(forms.Form):
    comment = PlainTextField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SubmitForm(forms.Form):
    """The last step of "Tjek din plan": an optional word to the approver, or the answer to
    the comment the plan was sent back with."""

    comment = PlainTextField(
        label=_("Comment to the approver"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, answering: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if answering:
            self.fields["comment"].label = _("Your answer to the comment")
            self.fields["comment"].help_text = _("What you changed, or why you kept it. The approver sees it.")


class SendBackForm(forms.Form):
    comment = PlainTextField(
        label=_("Comment to the owners"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Write what the plan needs before you can approve it. The owners see it at the top of the plan and in the e-mail."
        ),
        error_messages={
            "required": _("Write what the plan needs before it can be approved, so its owners know what to change.")
        },
    )


class CopyChoiceForm(forms.Form):
    """For each theme where both plans have text: keep one's own, or take the copy."""

    OWN, THEIRS = "egen", "kopi"

    def __init__(self, *args, rows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.needs_choice]
        for row in self.rows:
            self.fields[f"theme_{row.theme.pk}"] = forms.ChoiceField(
                label=row.theme.heading,
                choices=[(self.OWN, _("Keep your own text")), (self.THEIRS, _("Use the copied text"))],
                initial=self.OWN,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose which text the theme keeps.")},
            )

    def choice_rows(self) -> list[tuple]:
        return [(row, self[f"theme_{row.theme.pk}"]) for row in self.rows]

    def replace(self) -> list[int]:
        return [row.theme.pk for row in self.rows if self.cleaned_data[f"theme_{row.theme.pk}"] == self.THEIRS]


class CopyTargetForm(forms.Form):
    target = ModelChoiceField(label=_("Into which of your plans?"), queryset=Plan.objects.none())

    def __init__(self, *args, targets: QuerySet[Plan], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda p: f"{p.unit.name} – {p.rollout.title}"


class SelectWidget(forms.Select):
    """Django's select, its options written in one template (the same markup; the name
    keeps BoundField.widget_type "select", which gives the DKFDS class)."""

    template_name = "dialogues/widgets/select.html"


class PlanFilterForm(forms.Form):
    rollout = ModelChoiceField(label=_("Rollout"), queryset=Rollout.objects.none(), required=False, widget=SelectWidget)
    state = forms.ChoiceField(label=_("State"), required=False, widget=SelectWidget)
    kind = forms.ChoiceField(label=_("Kind of activity"), required=False, widget=SelectWidget)
    principle = ModelChoiceField(
        label=_("Theme or principle"), queryset=Item.objects.none(), required=False, widget=SelectWidget
    )

    def __init__(
        self,
        *args,
        choices: selectors.PlanFilterChoices,
        rollouts: QuerySet[Rollout] | None = None,
        principles: QuerySet[Item] | None = None,
        **kwargs,
    ):
        """`choices` (read in one query) are what the selects offer; `rollouts` and
        `principles` (the same rows) check a chosen value, so a bound form needs them and an
        unbound one, which checks nothing, is made without building them."""
        super().__init__(*args, **kwargs)
        if self.is_bound and (rollouts is None or principles is None):
            raise TypeError("A bound PlanFilterForm checks its values against `rollouts` and `principles`.")
        if rollouts is not None:
            self.fields["rollout"].queryset = rollouts
        self.fields["rollout"].choices = [("", _("All")), *choices.rollouts]
        self.fields["state"].choices = [("", _("All")), *Plan.State.choices]
        self.fields["kind"].choices = [("", _("All")), *Activity.Kind.choices]
        if principles is not None:
            self.fields["principle"].queryset = principles
        self.fields["principle"].choices = [("", _("All")), *choices.principles]


class RolloutUnitFilterForm(forms.Form):
    """Find a unit on a rollout's page (GET): by name, or only those without a plan."""

    enhed = forms.CharField(label=_("Unit name"), required=False, max_length=100)
    uden_plan = forms.BooleanField(label=_("Only units without a plan"), required=False)

    def choice(self) -> tuple[str, bool]:
        if not self.is_bound or not self.is_valid():
            return "", False
        return self.cleaned_data["enhed"], self.cleaned_data["uden_plan"]


class RolloutPlansForm(forms.Form):
    """Which part of the organisation to print a rollout's plans for: the scope unit or a
    unit up to selectors.PART_LEVELS levels below it, each shown with its number of plans.
    The limit of plans per document is the service's rule (its message says what to do)."""

    enhed = ModelChoiceField(
        label=_("Part of the organisation"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a part"),
        error_messages={
            "required": _("Choose a part of the organisation."),
            "invalid_choice": _("Choose a part of the organisation the rollout covers."),
        },
    )

    def __init__(self, *args, parts: list[selectors.RolloutPart], **kwargs) -> None:
        # The rollout page's unit filter has a field `enhed` too: ids of their own.
        kwargs.setdefault("auto_id", "alle-planer-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["enhed"]
        assert isinstance(field, ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[part.unit.pk for part in parts])
        top = parts[0].unit.depth if parts else 0
        field.choices = [
            ("", field.empty_label),
            *(
                (
                    part.unit.pk,
                    "\u2003" * (part.unit.depth - top)
                    + ngettext("%(unit)s (%(n)d plan)", "%(unit)s (%(n)d plans)", part.plans)
                    % {"unit": part.unit.name, "n": part.plans},
                )
                for part in parts
            ),
        ]


class MaterialForm(forms.Form):
    """What to print or show of a framework (GET): the whole of it, one theme or chosen
    principles; cards per sheet; the booklet's page size. Anything unknown falls back to
    the defaults (a card deck ignores keys it does not have)."""

    pr_ark = forms.TypedChoiceField(
        label=_("Cards per sheet"), choices=[(4, "4"), (6, "6")], coerce=int, required=False, empty_value=6
    )
    tema = forms.SlugField(label=_("Theme"), required=False, max_length=150)
    princip = forms.MultipleChoiceField(label=_("Principles"), required=False)
    format = forms.ChoiceField(label=_("Page size"), choices=[("a4", "A4"), ("a5", "A5")], required=False)

    def __init__(self, *args, keys: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["princip"].choices = [(k, k) for k in keys]

    def choice(self) -> dict:
        self.is_valid()  # invalid fields are left out of cleaned_data: their defaults apply
        data = self.cleaned_data
        return {
            "per_sheet": data.get("pr_ark") or 6,
            "theme_key": data.get("tema") or "",
            "principle_keys": tuple(data.get("princip") or ()),
            "page_format": data.get("format") or "a4",
        }


class OutcomeForm(forms.Form):
    outcome = PlainTextField(
        label=_("What came out of it"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-input"}),
        max_length=10_000,
        error_messages={"required": _("Write what came out of the dialogue.")},
    )
    done = forms.BooleanField(label=_("Mark the activity as done"), required=False)


# --- Hearings (dialogues.hearings) ---------------------------------------------------------------


class HearingOpenForm(OnceFormMixin, forms.Form):
    """ "Send i høring": who is asked, and until when. Each choice says how many it asks."""

    audience = forms.ChoiceField(
        label=_("Who is asked for comments"),
        widget=forms.RadioSelect,
        choices=Hearing.Audience.choices,
        error_messages={
            "required": _("Choose who is asked for comments."),
            "invalid_choice": _("Choose who is asked for comments."),
        },
    )
    closes_on = DateField(
        label=_("Open for comments until"),
        widget=DateInput(),
        help_text=_("Including that day; at most %(days)d days from today.") % {"days": HEARING_LONGEST_DAYS},
        error_messages={"required": _("Choose a closing date."), "invalid": _("Write the date as dd-mm-åååå.")},
    )

    def __init__(self, *args, people: AudiencePeople, **kwargs):
        super().__init__(*args, **kwargs)
        employees, med = len(people.employees), len(people.med)
        both = len(people.of(Hearing.Audience.BOTH))
        counted = {
            Hearing.Audience.EMPLOYEES: (_("The unit's employees"), employees),
            Hearing.Audience.MED: (people.committee.name if people.committee else _("The MED committee"), med),
            Hearing.Audience.BOTH: (_("The unit's employees and the MED committee"), both),
        }
        choices = [
            (value, _("%(label)s (%(count)d people)") % {"label": label, "count": count})
            for value, (label, count) in counted.items()
            if people.committee is not None or value == Hearing.Audience.EMPLOYEES
        ]
        field = self.fields["audience"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if people.committee is None:
            field.help_text = _("No MED committee covers the unit.")


class HearingCommentForm(OnceFormMixin, forms.Form):
    text = PlainTextField(
        label=_("Your comment"),
        max_length=HEARING_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with your name to the plan's owners, the others invited and the approver."),
        error_messages={"required": _("Write your comment.")},
    )


class HearingAnswerForm(VersionedFormMixin, forms.Form):
    answer = PlainTextField(
        label=_("Your answer"),
        max_length=HEARING_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The one who wrote the comment is told; the approver sees it."),
        error_messages={"required": _("Write your answer.")},
    )


# --- Questions before the meeting (dialogues.activity_questions) ---------------------------------


class ActivityQuestionsAskForm(OnceFormMixin, forms.Form):
    """The person responsible picks one or two of the framework's reflection questions; the
    activity's principles' questions are offered first (activity_questions.question_choices)."""

    questions = ModelMultipleChoiceField(
        label=_("Questions for those taking part"),
        queryset=ReflectionQuestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or two questions.")},
    )

    def __init__(self, *args, activity: Activity, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["questions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = activity_questions.question_choices_queryset(activity=activity)
        self.question_groups = activity_questions.question_choices(activity=activity)
        shown = [q for g in self.question_groups for q in g.questions]
        field.widget.choices = [(q.pk, q.text) for q in shown]

    def grouped(self) -> list[tuple[str, list]]:
        """The checkboxes under their groups' labels (dialogues/_grouped_checkboxes.html)."""
        options = {str(option.data["value"]): option for option in self["questions"].subwidgets}
        return [(g.label, [options[str(q.pk)] for q in g.questions]) for g in self.question_groups]


class ActivityAnswerForm(VersionedFormMixin, forms.Form):
    """A participant's answer to one question; the form names its question by prefix."""

    conflict_labels = {"text": _("Your answer")}

    text = PlainTextField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-input"}),
        max_length=1_000,
        error_messages={"required": _("Write your answer.")},
        help_text=_("At most 1,000 characters. Shown without your name once at least three have answered."),
    )


class MedTreatmentForm(VersionedFormMixin, OnceFormMixin, forms.Form):
    """MED's treatment of a plan, recorded by the committee's formand or næstformand (the
    rules: dialogues.med)."""

    meeting_on = DateField(
        label=_("Date of the MED meeting"),
        widget=DateInput(),
        error_messages={"required": _("Give the date the committee met.")},
    )
    outcome = forms.ChoiceField(
        label=_("The committee's position"),
        choices=MedTreatment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the committee agreed or agreed with reservations.")},
    )
    statement = PlainTextField(
        label=_("The committee's statement"),
        max_length=med.STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the committee said about the plan, and its reservations if it has any."),
        error_messages={"required": _("Write the committee's statement on the plan.")},
    )

    def __init__(self, *args, treatment: MedTreatment | None = None, today=None, **kwargs):
        kwargs.setdefault("initial", med.med_treatment_values(treatment=treatment))
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["meeting_on"].widget.attrs["max"] = today.isoformat()

    def med_data(self) -> med.MedTreatmentData:
        d = self.cleaned_data
        return med.MedTreatmentData(meeting_on=d["meeting_on"], statement=d["statement"], outcome=d["outcome"])
