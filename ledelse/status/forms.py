"""The status page's filters (a GET form: rollout / framework version, region, unit kind;
the part of the tree is the `unit` the page is drilled down to). The choices are the
rollouts the view has already read, so the form adds no query."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.models import Rollout
from ledelse.models import Unit
from ledelse.status.selectors import MED_NO, MED_YES


def _rollout_label(rollout: Rollout) -> str:
    return f"{rollout.title} – {rollout.framework_version} ({rollout.region})"


MED_CHOICES = [("", _("All")), (MED_YES, _("Yes")), (MED_NO, _("No"))]


class StatusFilterForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, empty_value=None, required=False)
    rollout = forms.TypedChoiceField(
        label=_("Rollout and framework version"), coerce=int, empty_value=None, required=False
    )
    kind = forms.ChoiceField(label=_("Unit kind"), required=False)
    # HR and koncernledelse only (ledelse.status.access.can_filter_by_med).
    med = forms.ChoiceField(
        label=_("Treated by MED"),
        required=False,
        choices=MED_CHOICES,
    )
    # The LUS round: its choices are the rounds the user may count (set by the view once
    # the rollout is known); an unknown value falls back to the newest round.
    lus = forms.IntegerField(label=_("LUS round"), required=False, min_value=1, widget=forms.Select)

    def __init__(self, *args, rollouts: list[Rollout], **kwargs):
        super().__init__(*args, **kwargs)
        regions = {r.region_id: r.region for r in rollouts}
        self.fields["region"].choices = [("", _("All regions"))] + [
            (pk, region.name) for pk, region in sorted(regions.items(), key=lambda kv: kv[1].name)
        ]
        self.fields["rollout"].choices = [(r.pk, _rollout_label(r)) for r in rollouts]
        self.fields["kind"].choices = [("", _("All kinds")), *Unit.Kind.choices]
        self.show_region = len(regions) > 1
        self.show_med = False
        self.show_lus = False

    def set_rounds(self, rounds: list) -> None:
        self.fields["lus"].widget.choices = [("", "–"), *((r.pk, f"{r.name} ({r.scope.name})") for r in rounds)]
        self.show_lus = bool(rounds)
