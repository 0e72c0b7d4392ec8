"""The one-time keys of creating forms (see ledelse.concurrency.once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SubmissionKey(models.Model):
    """A creating form's one-time key, claimed in the transaction that makes the thing, with
    where the user landed: a second POST with the same key lands there too."""

    key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_key")]

    def __str__(self) -> str:
        return self.key
