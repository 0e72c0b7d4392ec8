"""Weekly snapshots of the plans, so the status page can draw the trend over time."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogues.models import Plan, Rollout
from ledelse.models import Unit


class Snapshot(models.Model):
    """One unit's plan in one rollout, as it stood in one week (taken on the Monday).

    Units without a plan have no row: they count as "ingen plan" when the trend is drawn.
    Per unit rather than per subtree, so any part of the tree sums its own trend with one
    grouped query over the path prefix."""

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="+", verbose_name=_("rollout"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    taken_on = models.DateField(_("week of"))
    plan_state = models.CharField(_("plan state"), max_length=20, choices=Plan.State.choices)
    activities_planned = models.PositiveIntegerField(_("activities planned"), default=0)
    activities_done = models.PositiveIntegerField(_("activities done"), default=0)
    activities_overdue = models.PositiveIntegerField(_("activities overdue"), default=0)
    created_at = models.DateTimeField(_("taken"), auto_now=True)

    class Meta:
        ordering = ["rollout", "taken_on", "unit__path"]
        verbose_name = _("status snapshot")
        verbose_name_plural = _("status snapshots")
        constraints = [
            models.UniqueConstraint(fields=["rollout", "unit", "taken_on"], name="status_one_snapshot_per_week"),
            # Always a Monday (ISO weekday 1), so the weeks of different runs line up.
            models.CheckConstraint(condition=Q(taken_on__iso_week_day=1), name="status_snapshot_on_a_monday"),
            models.CheckConstraint(
                condition=Q(activities_done__lte=models.F("activities_planned"))
                & Q(activities_overdue__lte=models.F("activities_planned")),
                name="status_snapshot_counts_within_planned",
            ),
        ]
        indexes = [models.Index(fields=["rollout", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.rollout} – {self.unit} – {self.taken_on}"
