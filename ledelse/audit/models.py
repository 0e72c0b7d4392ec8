"""The audit log: who did what to which object, and when; never the content.

Append-only: the model refuses saves of existing rows and deletes, and on PostgreSQL a
trigger refuses UPDATE always and DELETE except inside the cleanup
(`ledelse.audit.services`: entries past their period, and entries of objects that are gone,
which set a transaction-local flag).

The object is a reference, not a foreign key: its model's label and its primary key as text
(`object_type="lus.conversation"`, `object_id="42"`), so the log knows no other app's models
and an entry never blocks or follows a delete.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def audit_object_type(obj: models.Model | type[models.Model]) -> str:
    """The label an object is logged under ("lus.conversation")."""
    return obj._meta.label_lower


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit entries are removed only by audit_entries_remove_expired")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Signed out")
        ROLE_ADDED = "role_added", _("Role added")
        ROLE_REMOVED = "role_removed", _("Role removed")
        # Generic verbs for other apps' objects (a LUS read or changed): the object says
        # what, `detail` which part; never the content.
        READ = "read", _("Read")
        CHANGE = "change", _("Changed")

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No foreign-key constraint and nothing happens on delete: an entry outlives the
    # account it names (actor_label keeps the username as it was).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    actor_label = models.CharField(_("account"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # A short, content-free qualifier: a role and its scope ("hr:A1"), a sign-in method.
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-time"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "time"]), models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit entries are removed only by audit_entries_remove_expired")
