"""LUS (lederudviklingssamtale): rounds, conversations, preparations, records, agreements,
follow-ups and shares.

The content (ratings, notes, answers, the record, agreements) is personal data: who may read
it is decided in lus/access.py only, and every read and change is written to the shared audit
log (ledelse.audit; the parts are `AuditPart`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ledelse.models import Person, Region, Unit
from values.models import FrameworkVersion, Item


class Round(models.Model):
    """HR's LUS round for a scope (a region's top unit or any subtree)."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    scope = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("scope"))
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework version")
    )
    common_items = models.ManyToManyField(
        Item, blank=True, related_name="+", verbose_name=_("themes and principles in common")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    preparation_opens = models.DateField(_("preparation opens"))
    held_by = models.DateField(_("conversations held by"))
    confirmed_by = models.DateField(_("agreements confirmed by"))
    # Templates HR edits per round: a list of question texts and a list of time categories.
    questions = models.JSONField(_("general questions"), default=list)
    time_categories = models.JSONField(_("leadership time categories"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("LUS round")
        verbose_name_plural = _("LUS rounds")
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="lus_round_period_order"),
            models.CheckConstraint(
                condition=Q(preparation_opens__lte=F("held_by")) & Q(held_by__lte=F("confirmed_by")),
                name="lus_round_deadline_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    """One leader's LUS in a round, with their conversation partner (their own leader)."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        PREPARED = "prepared", _("Prepared")
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Agreements confirmed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("round"))
    leader = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("leader"))
    partner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("partner")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED)
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    booking_sequence = models.PositiveIntegerField(default=0, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # Raised by every change of the record (ledelse.concurrency): forms and confirmations name it.
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    leader_confirmed_at = models.DateTimeField(null=True, blank=True)
    partner_confirmed_at = models.DateTimeField(null=True, blank=True)
    held_on = models.DateField(_("held"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "leader__name"]
        verbose_name = _("LUS")
        verbose_name_plural = _("LUS")
        constraints = [
            models.UniqueConstraint(fields=["round", "leader"], name="lus_one_per_leader_per_round"),
            models.CheckConstraint(condition=~Q(partner=F("leader")), name="lus_partner_not_leader"),
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return f"{self.round} – {self.leader}"

    @property
    def is_locked(self) -> bool:
        return bool(self.leader_confirmed_at and self.partner_confirmed_at)


class Preparation(models.Model):
    """One party's preparation: chosen topics, ratings, answers and (the leader's) time split.
    Private to its author until shared."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        PARTNER = "partner", _("Partner")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="preparations", verbose_name=_("LUS")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    topics = models.ManyToManyField(Item, blank=True, related_name="+", verbose_name=_("chosen topics"))
    answers = models.JSONField(_("answers"), default=list, blank=True)
    time_now = models.JSONField(_("leadership time now"), default=dict, blank=True)
    time_wanted = models.JSONField(_("leadership time wanted"), default=dict, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")
        constraints = [models.UniqueConstraint(fields=["conversation", "role"], name="lus_one_preparation_per_role")]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.role}"


class Rating(models.Model):
    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"))
    note = models.TextField(_("example or note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["preparation", "item"], name="lus_one_rating_per_item"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="lus_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.preparation_id}: {self.item_id}"


class Agreement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="agreements")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.TextField(_("what"))
    how = models.TextField(_("how"), blank=True)
    due_on = models.DateField(_("by when"))
    support = models.TextField(_("support"), blank=True)
    principle = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("principle")
    )

    # Put on by the reads (lus.selectors.agreements_for, agreements_by_conversation): the
    # agreement's follow-ups by date.
    followup_list: list[FollowUp]

    class Meta:
        ordering = ["conversation", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.position}"


class FollowUp(models.Model):
    class Status(models.TextChoices):
        NONE = "", _("No status yet")
        ON_TRACK = "paa_vej", _("På vej")
        REACHED = "naaet", _("Nået")
        DROPPED = "droppet", _("Droppet")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="followups")
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True, default="")
    note = models.CharField(_("short status"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency

    class Meta:
        ordering = ["agreement", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.date}"


class RecordRevision(models.Model):
    """The confirmed record as it stood before a later change: kept, visible, never edited."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [models.UniqueConstraint(fields=["conversation", "number"], name="lus_unique_revision")]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.number}"


class Share(models.Model):
    """The leader lets someone else read their LUS (read-only) until they revoke it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "person"], condition=Q(revoked_at__isnull=True), name="lus_one_active_share"
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.person_id}"


class AuditPart(models.TextChoices):
    """Which part of a LUS an entry in the audit log (ledelse.audit, object
    "lus.conversation") names: its `detail`. Never the content itself."""

    RECORD = "record", _("Record and agreements")
    LEADER_PREPARATION = "preparation-leader", _("The leader's preparation")
    PARTNER_PREPARATION = "preparation-partner", _("The partner's preparation")
    EXPORT = "export", _("Data export")
    BOOKING = "booking", _("Booking")
    SHARING = "sharing", _("Sharing")
    PARTNER = "partner", _("Conversation partner")
