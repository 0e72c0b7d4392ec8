"""What each calendar invitation last said, and to whom.

One row per UID: the event as last sent (`event`), its SEQUENCE, and the attendees who hold
it now. The next change is compared with it: a new time or place raises SEQUENCE and goes
to everyone as a REQUEST; a participant added gets the REQUEST, one removed a CANCEL; a
deleted or cancelled thing sends CANCEL to everyone who holds it. The row outlives the thing
(no foreign key), so its cancellation can still be sent after the thing is deleted, and
the e-mails' claims (ledelse.notifications) point at this row.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    uid = models.CharField(_("UID"), max_length=200, unique=True)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    # The event as last sent: summary, start, end, location, description, url, organizer.
    event = models.JSONField(_("event"), default=dict, blank=True)
    # Who holds the event now: [{"user_id", "name", "email"}, ...].
    attendees = models.JSONField(_("attendees"), default=list, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # The event's last day: the row (it names people, a time and a place) is removed
    # INVITATIONS_KEEP_DAYS after it (invitations_remove_expired, nightly).
    last_day = models.DateField(_("last day"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("calendar invitation")
        verbose_name_plural = _("calendar invitations")

    def __str__(self) -> str:
        return f"{self.uid} ({self.sequence})"
