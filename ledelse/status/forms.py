"""The status page's filters (a GET form: rollout / framework version, region, unit kind;
the part of the tree is the `unit` the page is drilled down to)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dialogues.models import Rollout
from ledelse.models import Region, Unit


def _rollout_label(rollout: Rollout) -> str:
    return f"{rollout.title} – {rollout.framework_version} ({rollout.region})"


class StatusFilterForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    rollout = forms.ModelChoiceField(
        label=_("Rollout and framework version"), queryset=Rollout.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Unit kind"), required=False)

    def __init__(self, *args, rollouts: QuerySet[Rollout], **kwargs):
        super().__init__(*args, **kwargs)
        rollout_list = list(rollouts)
        region_ids = {r.region_id for r in rollout_list}
        self.fields["region"].queryset = Region.objects.filter(pk__in=region_ids).order_by("name")
        self.fields["region"].empty_label = _("All regions")
        self.fields["rollout"].queryset = rollouts
        self.fields["rollout"].label_from_instance = _rollout_label
        self.fields["rollout"].empty_label = None
        self.fields["kind"].choices = [("", _("All kinds")), *Unit.Kind.choices]
        self.show_region = len(region_ids) > 1
