"""Koncernledelse's front page: the key figures of their scope (plans by state, activities
done, LUS held, lagging units), each linked to the status page. The figures are the status
page's own (ledelse.status.selectors, LUS masked by lus.masking).

Like the status page's figures (ledelse.status.views._body) they are counted over the whole
viewed part of the region, the same for everyone who sees that part, so they are counted
once and shared through the cache for STATUS_CACHE_SECONDS under the part, the day and the
LUS round the reader may see: the rollout, the part and the round are resolved for each
reader first (their scope), so no one gets figures outside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from dialogues.models import Rollout
from ledelse.models import Unit
from ledelse.status import selectors
from ledelse.status.access import AnyUser
from ledelse.status.selectors import STATES, Figures, StatusFilter, state_label
from lus import masking
from lus.models import Round


@dataclass(frozen=True)
class KeyFigures:
    rollout: Rollout
    root: Unit
    figures: Figures
    states: list[tuple[str, str, int]]  # key, label, units
    lagging: int
    lus_round: Round | None
    lus_held: int | None  # None: masked (too few to show)
    lus_total: int
    status_url: str


@dataclass(frozen=True)
class _Counted:
    """What is counted over the part (shared by the readers of the same part and round)."""

    figures: Figures
    lagging: int
    lus_held: int | None
    lus_total: int


def _count(*, user: AnyUser, filters: StatusFilter, lus_round: Round | None) -> _Counted:
    table = selectors.status_table(user=user, filters=filters)
    report = masking.lus_report(lus_round=lus_round, today=filters.today) if lus_round else None
    return _Counted(
        figures=table.total,
        lagging=len(selectors.lagging_units(filters=filters)),
        lus_held=report.total.cell("held") if report else None,
        lus_total=report.total.total if report else 0,
    )


def koncern_key_figures(*, user: AnyUser, today: date) -> KeyFigures | None:
    """The newest rollout the user sees, at the top of their scope; None without one."""
    rollout = selectors.rollouts_for_status(user=user).first()
    if rollout is None:
        return None
    root = selectors.default_root(user=user, rollout=rollout)
    if root is None:
        return None
    filters = StatusFilter(rollout=rollout, root=root, today=today)
    lus_round = selectors.lus_round(rounds=selectors.lus_rounds(user=user, filters=filters), filters=filters)
    key = f"status:key-figures:{rollout.pk}:{root.pk}:{today.isoformat()}:{lus_round.pk if lus_round else 0}:{get_language()}"
    counted = cache.get(key) if settings.STATUS_CACHE_SECONDS else None
    if counted is None:
        counted = _count(user=user, filters=filters, lus_round=lus_round)
        if settings.STATUS_CACHE_SECONDS:
            cache.set(key, counted, settings.STATUS_CACHE_SECONDS)
    return KeyFigures(
        rollout=rollout,
        root=root,
        figures=counted.figures,
        states=[(s, state_label(s), counted.figures.states[s]) for s in STATES],
        lagging=counted.lagging,
        lus_round=lus_round,
        lus_held=counted.lus_held,
        lus_total=counted.lus_total,
        status_url=reverse("status:page") + "?" + urlencode({"rollout": rollout.pk, "unit": root.pk}),
    )
