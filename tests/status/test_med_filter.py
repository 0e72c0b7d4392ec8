"""MED's treatment on the status page: per unit whether its own plan is treated, the number
of treated plans per branch, and the filter "MED-behandlet: ja/nej/alle" for HR and
koncernledelse, whose counts agree with each other and with the exports (see
tests/status/conftest.py for the data: A1's and B's plans are treated here)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import timezone

from dialogues.models import MedTreatment
from ledelse.status import selectors
from ledelse.status.selectors import STATES, StatusFilter
from tests.status.conftest import grow
from tests.status.test_exports import _csv
from tests.status.test_queries import _count
from tests.status.test_status_page import _row_cells


def _treat(plan) -> MedTreatment:
    return MedTreatment.objects.create(
        plan=plan,
        committee_name="LokalMED",
        meeting_on=timezone.localdate(),
        statement="Enig",
        outcome="enighed",
        recorded_by_name="Emil Medarbejder",
        recorded_role="naestformand",
        recorded_at=timezone.now(),
    )


@pytest.fixture
def treated(status_data):
    _treat(status_data.plans.a1)
    _treat(status_data.plans.b)
    return status_data


def _total(org, data, med: str):
    filters = StatusFilter(rollout=data.rollout, root=org.units["RT"], today=data.today, med=med)
    return selectors.status_table(user=org.users["koncern"], filters=filters).total


def test_yes_and_no_add_up_to_all_and_the_treated_count_is_the_yes_units(org, treated):
    everything, yes, no = (_total(org, treated, m) for m in ("", "ja", "nej"))
    assert (everything.units, yes.units, no.units) == (6, 2, 4)
    assert everything.med_treated == yes.units == yes.med_treated == 2 and no.med_treated == 0
    for state in STATES:
        assert yes.states[state] + no.states[state] == everything.states[state], state
    assert yes.states["indsendt"] == 1 and yes.states["kladde"] == 1
    assert yes.activities_planned + no.activities_planned == everything.activities_planned


def test_the_table_shows_each_units_own_plan_and_the_branch_count(client, org, treated):
    client.force_login(org.users["koncern"])
    html = client.get("/status/").content.decode()
    a, b, hr = (_row_cells(html, name) for name in ("Hospital A", "Hospital B", "HR-afdeling"))
    assert a[-2:] == ["Nej", "1"]  # A's own plan is not treated; A1's below it is
    assert b[-2:] == ["Ja", "1"]
    assert hr[-2:] == ["–", "0"]  # no plan


def test_koncern_filters_and_the_exports_hold_the_same_counts(client, org, treated):
    client.force_login(org.users["koncern"])
    html = client.get("/status/?med=ja").content.decode()
    assert 'name="med"' in html
    total = _row_cells(html, "I alt")
    assert total[2] == "2" and total[-1] == "2"
    rows = _csv(client, "?med=ja")
    header, top = rows[0], rows[1]
    assert header[-2:] == ["Egen plan MED-behandlet", "MED-behandlede planer"]
    assert top[1] == "I alt: Region Test" and top[4] == "2" and top[-1] == "2"
    assert _csv(client, "?med=nej")[1][4] == "4"
    assert _csv(client)[1][4] == "6" and _csv(client)[1][-1] == "2"
    assert client.get("/status/status.xlsx?med=ja").status_code == 200
    assert client.get("/status/status.pdf?med=ja").status_code == 200


def test_hr_filters_too(client, org, treated):
    client.force_login(org.users["hr"])
    assert 'name="med"' in client.get("/status/").content.decode()
    assert _csv(client, "?med=ja")[1][4] == "1"  # Hospital A's part: A1's plan


def test_a_leader_neither_sees_nor_uses_the_filter(client, org, treated):
    client.force_login(org.users["leader"])
    assert 'name="med"' not in client.get("/status/").content.decode()
    assert _csv(client, "?med=ja")[1][4] == _csv(client)[1][4] == "3"


def test_the_filter_is_part_of_the_shared_figures_key(client, org, treated, settings):
    settings.STATUS_CACHE_SECONDS = 60
    client.force_login(org.users["koncern"])
    assert _row_cells(client.get("/status/").content.decode(), "I alt")[2] == "6"
    assert _row_cells(client.get("/status/?med=ja").content.decode(), "I alt")[2] == "2"


def test_the_filtered_page_runs_a_fixed_number_of_queries(client, org, treated, settings):
    settings.STATUS_CACHE_SECONDS = 0
    client.force_login(org.users["koncern"])
    urls = ("/status/?med=ja", "/status/?med=nej", "/status/status.csv?med=ja", "/status/status.xlsx?med=nej")
    grow(org, treated.rollout, under="B", count=2)
    small = {url: _count(client, url) for url in urls}
    grow(org, treated.rollout, under="HR", count=12, activities=3)
    for plan in treated.rollout.plans.filter(unit__code__startswith="HR-x")[:5]:
        _treat(plan)
    assert {url: _count(client, url) for url in urls} == small
    assert small["/status/?med=ja"] == _count(client, "/status/")


def test_a_filter_over_a_part_counts_the_same_as_its_line_above(org, treated):
    whole = StatusFilter(rollout=treated.rollout, root=org.units["RT"], today=treated.today, med="ja")
    table = selectors.status_table(user=org.users["koncern"], filters=whole)
    a_line = next(r for r in table.rows if r.unit.code == "A")
    below = selectors.status_table(user=org.users["koncern"], filters=replace(whole, root=org.units["A"]))
    assert below.total.units == a_line.figures.units == 1
