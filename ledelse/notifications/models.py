"""Reminders and in-app notifications: one row per person, thing, kind and due date.

The row is the claim: it is inserted (unique constraint) before anything is sent, so a
second sweep or a second worker finds it taken and sends nothing. The same row is the
in-app notification the person sees on /notifikationer/.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DIGEST = "digest", _("Waiting for the weekly digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=100, help_text=_("The e-mail template's name."))
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    due_on = models.DateField(_("due on"))
    key = models.CharField(_("key"), max_length=100, blank=True, default="")
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500)
    context = models.JSONField(_("template context"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("enqueued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when the notice's task is done (an approved plan, a prepared LUS) or when it is not
    # shown in-app at all (a calendar invitation): it leaves the list and the unread count.
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    # Riding out outages (services.reminder_send, recovery): a worker is sending it since
    # (no row lock across the SMTP call; a delivered message is never marked failed); when it
    # failed after its retries, how often the sweep has tried it again since, and when it was
    # given up (too old: the administrators are told).
    sending_since = models.DateTimeField(_("being sent since"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    retry_rounds = models.PositiveSmallIntegerField(_("tried again after failing"), default=0)
    given_up_at = models.DateTimeField(_("given up"), null=True, blank=True)
    # The batch that inserted the row: after an INSERT ... ON CONFLICT DO NOTHING it tells
    # which rows this claim made (and so must enqueue) and which another sweep had taken.
    claim = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "due_on", "key"], name="reminder_claimed_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed", "digest"]), name="reminder_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["claim"], name="reminder_claim_idx"),
            # The sweep's "pending whose task was lost" and the digest's "waiting" reads.
            models.Index(fields=["state", "enqueued_at"], name="reminder_state_idx"),
            # The header's unread count.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="reminder_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="reminder_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def open_url(self) -> str:
        """Opening the notice here marks it read and leads on to its thing."""
        from django.urls import reverse

        return reverse("notifications:open", args=[self.pk])


class NotificationSettings(models.Model):
    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per notification")
        WEEKLY = "weekly", _("Once a week, one e-mail with all notifications")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    delivery = models.CharField(
        _("e-mail delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"
