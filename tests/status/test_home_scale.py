"""The front page (Mit overblik) and a principle's page run the same queries at a small and
at a ten times larger generated region (ledelse.scale, as `make bench` uses at full size),
for each kind of reader, with the shared cache filled as the load finds it; the key figures
and reflection questions come from the shared cache and no reader gets another's."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import scale_probe
from ledelse.models import RoleAssignment
from ledelse.scale.generator import Sizes, region_generate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 1)
BASE = Sizes(units=100, leaders=250, people=4000, notifications=2000)


class _Undo(Exception):
    pass


def _counts() -> dict[str, int]:
    people = scale_probe._people()
    people["hr"] = RoleAssignment.objects.filter(role="hr").select_related("person__user").order_by("pk").first().person
    principle = next(p for p in scale_probe._pages(people) if p["name"] == "Et princip")["path"]
    out = {}
    for role, path in [("leader", "/"), ("koncern", "/"), ("hr", "/"), ("employee", "/"), ("employee", principle)]:
        client = Client()
        client.force_login(people[role].user)
        assert client.get(path).status_code == 200  # fills the shared cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        out[f"{role} {path}"] = len(ctx.captured_queries)
    return out


def _counted_at(factor: float) -> dict[str, int]:
    cache.clear()
    try:
        with transaction.atomic():
            region_generate(seed=1, sizes=BASE.scaled(factor), today=TODAY)
            counts = _counts()
            raise _Undo
    except _Undo:
        pass
    return counts


def test_the_front_page_and_a_principle_run_the_same_queries_at_a_tenth_and_at_ten_times_that(settings):
    settings.STATUS_CACHE_SECONDS = 60
    small = _counted_at(0.1)
    large = _counted_at(1.0)
    assert small == large
    # The koncern front page reads the key figures from the shared cache: far fewer queries
    # than counting them (the status table, lagging units, LUS figures: 8 or more).
    assert large["koncern /"] <= large["leader /"] + 2
