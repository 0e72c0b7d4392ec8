"""A document made in the background (too large to render within a request): who asked,
what (a registered kind and its parameters), and the file once it is ready."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DocumentJob(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_jobs", verbose_name=_("requested by")
    )
    kind = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # kind + params, canonical: an identical request while one is pending reuses it.
    request_key = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=300)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    file_name = models.CharField(_("file in storage"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, default="dokument.pdf")
    reused = models.BooleanField(_("reused an existing file"), default=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When its task was last handed to the broker (None: not yet, e.g. the broker was down),
    # when a worker started it, and that worker's last sign of life while rendering: the
    # sweep sends again only a job no live worker has (documents_sweep).
    enqueued_at = models.DateTimeField(_("sent to a worker"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["pending", "ready", "failed"]), name="document_job_state"),
            models.CheckConstraint(condition=~Q(state="ready") | ~Q(file_name=""), name="ready_document_has_a_file"),
            # One pending job per user and request: a second click waits for the first.
            models.UniqueConstraint(
                fields=["requested_by", "request_key"],
                condition=Q(state="pending"),
                name="one_pending_document_per_request",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:job", args=[self.pk])
