"""Koncernledelse's front page: the key figures of their scope (plans by state, activities
done, LUS held, lagging units), each linked to the status page. The figures are the status
page's own (ledelse.status.selectors, LUS masked by ledelse.status.masking)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode

from dialogues.models import Rollout
from ledelse.models import Unit
from ledelse.status import masking, selectors
from ledelse.status.access import AnyUser
from ledelse.status.selectors import STATES, Figures, StatusFilter, state_label


@dataclass(frozen=True)
class KeyFigures:
    rollout: Rollout
    root: Unit
    figures: Figures
    states: list[tuple[str, str, int]]  # key, label, units
    lagging: int
    lus: masking.LusReport | None
    status_url: str

    @property
    def lus_held(self) -> int | None:
        return self.lus.total.cell("held") if self.lus else None


def koncern_key_figures(*, user: AnyUser, today: date) -> KeyFigures | None:
    """The newest rollout the user sees, at the top of their scope; None without one."""
    rollout = selectors.rollouts_for_status(user=user).first()
    if rollout is None:
        return None
    root = selectors.default_root(user=user, rollout=rollout)
    if root is None:
        return None
    filters = StatusFilter(rollout=rollout, root=root, today=today)
    table = selectors.status_table(user=user, filters=filters)
    round = selectors.lus_round(rounds=selectors.lus_rounds(user=user, filters=filters), filters=filters)
    return KeyFigures(
        rollout=rollout,
        root=root,
        figures=table.total,
        states=[(s, state_label(s), table.total.states[s]) for s in STATES],
        lagging=len(selectors.lagging_units(filters=filters)),
        lus=masking.lus_report(round=round, today=today) if round else None,
        status_url=reverse("status:page") + "?" + urlencode({"rollout": rollout.pk, "unit": root.pk}),
    )
