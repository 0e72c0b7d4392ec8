"""Local translation and activation plans: a rollout asks every unit in part of the tree
for a plan; a plan translates the framework's themes into the unit's own words and lists
the activities that bring it into daily practice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledelse.models import MedCommittee, MedMembership, Person, Region, Unit
from values.models import FrameworkVersion, Item


class Rollout(models.Model):
    """HR (for its scope) or koncernledelse (for its region) asks the units under
    `scope_unit` for a plan on one framework version by a deadline."""

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rollouts", verbose_name=_("region"))
    scope_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="rollouts",
        verbose_name=_("part of the organisation"),
        help_text=_("Every unit from here and down is asked for a plan."),
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="rollouts", verbose_name=_("framework version")
    )
    starts_on = models.DateField(_("start date"))
    deadline = models.DateField(_("deadline for plans"))
    activity_due_days = models.PositiveSmallIntegerField(
        _("remind of an activity (days before)"), default=7, help_text=_("To the person responsible.")
    )
    plan_missing_days = models.PositiveSmallIntegerField(
        _("remind of a missing plan (days before the deadline)"), default=14, help_text=_("To the unit's leader.")
    )
    approval_wait_days = models.PositiveSmallIntegerField(
        _("remind of a plan waiting for approval (days)"), default=7, help_text=_("To the approver.")
    )
    requires_med_treatment = models.BooleanField(
        _("the MED committee treats the plan before it is submitted"),
        default=False,
        help_text=_("A plan cannot be submitted until the committee's treatment is recorded."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("rollout")
        verbose_name_plural = _("rollouts")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("starts_on")), name="rollout_deadline_after_start"),
            models.CheckConstraint(
                condition=Q(activity_due_days__lte=365, plan_missing_days__lte=365, approval_wait_days__lte=365),
                name="rollout_reminder_days_within_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dialogues:rollout_detail", args=[self.pk])


class Plan(models.Model):
    class State(models.TextChoices):
        KLADDE = "kladde", _("Draft")
        INDSENDT = "indsendt", _("Submitted")
        GODKENDT = "godkendt", _("Approved")
        I_GANG = "i_gang", _("In progress")
        AFSLUTTET = "afsluttet", _("Completed")

    rollout = models.ForeignKey(Rollout, on_delete=models.PROTECT, related_name="plans", verbose_name=_("rollout"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_plans", verbose_name=_("owner"))
    co_owners = models.ManyToManyField(Person, blank=True, related_name="co_owned_plans", verbose_name=_("co-owners"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.KLADDE)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_on_by",
        verbose_name=_("based on the plan of"),
    )
    focus_principles = models.ManyToManyField(
        Item, blank=True, related_name="focus_of_plans", verbose_name=_("principles in focus")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Raised by every change of the plan or its activities (ledelse.concurrency): the
    # translation form and the approval name it.
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["rollout", "unit"], name="one_plan_per_unit_per_rollout"),
            models.CheckConstraint(
                condition=Q(state__in=["kladde", "indsendt", "godkendt", "i_gang", "afsluttet"]),
                name="plan_state_valid",
            ),
            # The approval reminder counts from the submission.
            models.CheckConstraint(
                condition=~Q(state="indsendt") | Q(submitted_at__isnull=False), name="submitted_plan_has_a_date"
            ),
            models.CheckConstraint(condition=~Q(based_on=F("id")), name="plan_not_based_on_itself"),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.rollout}"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:plan_detail", args=[self.pk])

    @property
    def framework_version(self) -> FrameworkVersion:
        return self.rollout.framework_version


class PlanTranslation(models.Model):
    """What one theme of the framework means here, in the unit's own words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="translations", verbose_name=_("plan"))
    theme = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"))
    text = models.TextField(_("what it means here, in our words"), blank=True)

    class Meta:
        ordering = ["plan", "theme__position"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [models.UniqueConstraint(fields=["plan", "theme"], name="one_translation_per_theme")]

    def __str__(self) -> str:
        return f"{self.plan} – {self.theme}"


class PlanTranslationRevision(models.Model):
    """A text of a theme that was replaced (by an edit or by copying another plan's), kept
    so it can be read and taken back: the theme's history, shown on the plan."""

    class Reason(models.TextChoices):
        EDITED = "edited", _("Edited")
        COPIED = "copied", _("Replaced by a copy")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("plan"))
    theme = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"))
    text = models.TextField(_("the text replaced"))
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    source = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from the plan of"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    replaced_at = models.DateTimeField(_("replaced"))

    class Meta:
        ordering = ["plan", "theme", "-replaced_at", "-id"]
        verbose_name = _("replaced translation")
        verbose_name_plural = _("replaced translations")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="revision_keeps_a_text"),
            models.CheckConstraint(condition=Q(reason__in=["edited", "copied"]), name="revision_reason_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.theme} ({self.replaced_at:%Y-%m-%d})"


class Activity(models.Model):
    class Kind(models.TextChoices):
        DIALOG_LEDERGRUPPE = "dialog_ledergruppe", _("Dialogue in the leadership group")
        DIALOG_MED = "dialog_med", _("Dialogue in the MED committee")
        PERSONALEMOEDE = "personalemoede", _("Staff meeting")
        TEMADAG = "temadag", _("Theme day")
        CASE = "case", _("Case work")
        REKRUTTERING = "rekruttering", _("Recruitment")
        ONBOARDING = "onboarding", _("Onboarding")
        LUS = "lus", _("LUS")
        ANDET = "andet", _("Other")

    class Status(models.TextChoices):
        PLANLAGT = "planlagt", _("Planned")
        I_GANG = "i_gang", _("In progress")
        GENNEMFOERT = "gennemfoert", _("Done")
        AFLYST = "aflyst", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    principles = models.ManyToManyField(
        Item, blank=True, related_name="activities", verbose_name=_("principles it works with")
    )
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="responsible_for_activities",
        verbose_name=_("responsible"),
    )
    participants = models.ManyToManyField(
        Person, blank=True, related_name="activities_taking_part", verbose_name=_("taking part")
    )
    participants_note = models.CharField(
        _("also taking part"), max_length=300, blank=True, help_text=_("For example the MED committee or all staff.")
    )
    date = models.DateField(
        _("date or deadline"), null=True, blank=True, help_text=_("Without a time, the date is a deadline.")
    )
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANLAGT)
    outcome = models.TextField(_("what came out of it"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    # Raised whenever the date or time changes, so a calendar updates its invitation.
    calendar_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    # Not fields: what dialogues.selectors.plan_page sets on each activity for the page.
    participant_names: list[str]
    principle_headings: list[str]
    links: dict[str, str]
    kind_label: str
    status_label: str
    html: dict[str, str]  # dialogues.views.plan_detail: its reader-independent HTML, from the cache
    edit_link: str  # dialogues.views.plan_detail: the reader's link to edit it or write its outcome
    copy_form: str  # dialogues.views.plan_detail: the reader's form to copy it into their plan

    class Meta:
        ordering = ["plan", F("date").asc(nulls_last=True), "start_time", "position", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "dialog_ledergruppe",
                        "dialog_med",
                        "personalemoede",
                        "temadag",
                        "case",
                        "rekruttering",
                        "onboarding",
                        "lus",
                        "andet",
                    ]
                ),
                name="activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planlagt", "i_gang", "gennemfoert", "aflyst"]), name="activity_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="activity_has_a_title"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(date__isnull=False), name="activity_time_needs_a_date"
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False, end_time__gt=F("start_time")),
                name="activity_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["date"]), models.Index(fields=["follow_up_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dialogues:plan_detail", args=[self.plan_id]) + f"#aktivitet-{self.pk}"

    @property
    def is_meeting(self) -> bool:
        return self.start_time is not None


class PlanEvent(models.Model):
    """One change of a plan's state: who, when, from what to what, and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events", verbose_name=_("plan"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"))
    from_state = models.CharField(_("from"), max_length=20, choices=Plan.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Plan.State.choices)
    comment = models.TextField(_("comment"), blank=True)
    # What the plan held at this step (translation by theme id, activities by id), kept when
    # it is sent back and when it is submitted, so the approver sees what changed between.
    snapshot = models.JSONField(_("the plan at this step"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["plan", "at", "id"]
        verbose_name = _("plan history entry")
        verbose_name_plural = _("plan history")
        constraints = [
            models.CheckConstraint(condition=~Q(from_state=F("to_state")), name="plan_event_changes_state"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_state or '–'} → {self.to_state}"


class Hearing(models.Model):
    """A høring: the plan's owners open the draft for comments until a date, for the unit's
    employees, its MED committee or both (dialogues.hearings). Open while not closed and
    its closing date has not passed: the calendar decides, whether or not the nightly task
    has written the closing yet."""

    class Audience(models.TextChoices):
        EMPLOYEES = "employees", _("The unit's employees")
        MED = "med", _("The MED committee")
        BOTH = "both", _("The unit's employees and the MED committee")

    class ClosedHow(models.TextChoices):
        BY_OWNER = "owner", _("Closed by the owner")
        BY_DATE = "date", _("Closed when its closing date had passed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("plan"))
    audience = models.CharField(_("who is asked"), max_length=20, choices=Audience.choices)
    closes_on = models.DateField(_("open for comments until"))
    opened_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )
    closed_how = models.CharField(_("how it closed"), max_length=10, choices=ClosedHow.choices, blank=True)

    class Meta:
        ordering = ["plan", "opened_at", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(closed_at__isnull=True), name="one_open_hearing_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["employees", "med", "both"]), name="hearing_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_how="")
                | Q(closed_at__isnull=False, closed_how__in=["owner", "date"]),
                name="hearing_closed_says_how",
            ),
            models.CheckConstraint(
                condition=Q(closed_by__isnull=True) | Q(closed_how="owner"), name="hearing_closed_by_only_by_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.closes_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:plan_detail", args=[self.plan_id]) + "#hoering"

    @property
    def is_open(self) -> bool:
        """Open by the calendar: through the whole of its closing date."""
        return self.closed_at is None and timezone.localdate() <= self.closes_on


class HearingInvitation(models.Model):
    """Who a hearing invited, fixed when it opened (dialogues.hearings.hearing_audience_people):
    they were told, they comment while it is open and read the plan and the comments during
    and after it."""

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("hearing")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="hearing_invitations", verbose_name=_("person")
    )
    as_employee = models.BooleanField(_("as an employee of the unit"), default=False)
    as_med = models.BooleanField(_("as a member of the MED committee"), default=False)

    class Meta:
        ordering = ["hearing", "person__name"]
        verbose_name = _("invitation to a hearing")
        verbose_name_plural = _("invitations to hearings")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "person"], name="one_invitation_per_person_per_hearing"),
            models.CheckConstraint(condition=Q(as_employee=True) | Q(as_med=True), name="invitation_says_why"),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} – {self.person}"


HEARING_TEXT_LENGTH = 2000


class HearingComment(models.Model):
    """One named comment on one theme of the plan's translation in a hearing, and the
    owners' answer. The comments and answers stay with the plan and are shown to its
    approver."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="comments", verbose_name=_("hearing"))
    theme = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"))
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    author_name = models.CharField(_("written by (name)"), max_length=200)
    text = models.CharField(_("comment"), max_length=HEARING_TEXT_LENGTH)
    created_at = models.DateTimeField(_("written"))
    answer = models.CharField(_("answer"), max_length=HEARING_TEXT_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        ordering = ["hearing", "theme__position", "created_at", "id"]
        verbose_name = _("comment in a hearing")
        verbose_name_plural = _("comments in hearings")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="hearing_comment_has_a_text"),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="hearing_answer_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:plan_detail", args=[self.hearing.plan_id]) + f"#kommentar-{self.pk}"


class ActivityQuestion(models.Model):
    """One of the framework's reflection questions the person responsible asks those taking
    part ahead of the meeting (at most two an activity). It keeps the question as asked:
    the text, and where it came from (the reflection question and its item's key), since the
    framework's data and the admin may change the question later."""

    MAX_PER_ACTIVITY = 2

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="questions", verbose_name=_("activity")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    source = models.ForeignKey(
        "values.ReflectionQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reflection question"),
    )
    # The framework item the question belongs to (values.data/questions.toml's `item`): the
    # key follows a framework from version to version.
    item_key = models.SlugField(_("framework item"), max_length=150)
    text = models.TextField(_("question as asked"))
    asked_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    asked_at = models.DateTimeField(_("asked"))

    class Meta:
        ordering = ["activity", "position"]
        verbose_name = _("question before the meeting")
        verbose_name_plural = _("questions before the meeting")
        constraints = [
            # At most two an activity: positions 1 and 2, each once.
            models.UniqueConstraint(fields=["activity", "position"], name="one_question_per_position"),
            models.CheckConstraint(condition=Q(position__in=[1, 2]), name="at_most_two_questions_per_activity"),
            models.UniqueConstraint(fields=["activity", "source"], name="a_question_asked_once_per_activity"),
            models.CheckConstraint(condition=~Q(text=""), name="activity_question_has_a_text"),
        ]

    def __str__(self) -> str:
        return self.text


class ActivityAnswer(models.Model):
    """A participant's answer to a question before the meeting: one a person and question,
    editable until the meeting starts. Shown without names, and only once at least
    ledelse.privacy.MIN_GROUP_SIZE people have answered (dialogues.activity_questions)."""

    MAX_LENGTH = 1_000

    question = models.ForeignKey(
        ActivityQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("answered by"))
    text = models.TextField(_("answer"))
    answered_at = models.DateTimeField(_("answered"))
    changed_at = models.DateTimeField(_("changed"))
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("answer before the meeting")
        verbose_name_plural = _("answers before the meeting")
        constraints = [
            models.UniqueConstraint(fields=["question", "person"], name="one_answer_per_person_per_question"),
            models.CheckConstraint(condition=~Q(text=""), name="activity_answer_has_a_text"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), 1_000), name="activity_answer_within_its_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.pk}"


class MedTreatment(models.Model):
    """The MED committee's treatment of a plan: when it met, what it said (its udtalelse),
    agreed or with reservations, and who recorded it (the committee's formand or
    næstformand, with the committee and role as they were). One per plan: a new treatment
    replaces it (`lock_version` for the edit). The rules are in dialogues.med."""

    class Outcome(models.TextChoices):
        ENIGHED = "enighed", _("Agreed")
        FORBEHOLD = "forbehold", _("Agreed with reservations")

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="med_treatment", verbose_name=_("plan"))
    committee = models.ForeignKey(
        MedCommittee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    committee_name = models.CharField(_("committee (name)"), max_length=200)
    meeting_on = models.DateField(_("meeting date"))
    statement = models.TextField(_("the committee's statement"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_by_name = models.CharField(_("recorded by (name)"), max_length=200)
    recorded_role = models.CharField(_("role in the committee"), max_length=20, choices=MedMembership.Role.choices)
    recorded_at = models.DateTimeField(_("recorded"))
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        verbose_name = _("MED treatment")
        verbose_name_plural = _("MED treatments")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=["enighed", "forbehold"]), name="med_outcome_valid"),
            models.CheckConstraint(
                condition=Q(recorded_role__in=["formand", "naestformand"]), name="med_recorded_by_chair"
            ),
            models.CheckConstraint(condition=~Q(statement=""), name="med_treatment_has_a_statement"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.committee_name} ({self.meeting_on:%Y-%m-%d})"
