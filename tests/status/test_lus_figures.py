"""The current LUS round's counts on the status page: per branch, the development themes and
"LUS behind", with every count below 3 shown as "<3" (page, CSV and XLSX alike).

The round covers Region Test. LUS by the leader's unit, computed by hand:

    Region Test (RT)   koncern: confirmed                         → total 1
    ├── Hospital A     leader: held; leader2 (A1): prepared        → total 2, prepared 2, held 1, confirmed 0
    ├── Hospital B     leader3, b1, b2 (sections under B): confirmed; b3: not started → total 4, prepared 3, held 3, confirmed 3
    └── HR-afdeling    none                                        → "–"
    Total 7: prepared 6, held 5, confirmed 4.

Agreements: three at p11 (B's), one at p12, one at the first theme itself: theme 1 → 5,
p11 → 3, p12 → "<3", theme 2 and its principles → "<3".
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from ledelse.models import Person, Unit
from lus.models import Agreement, Conversation, Round


def _leader_under_b(org, n: int) -> Person:
    """A leader of a new section under Hospital B (one leader per unit)."""
    parent = Unit.objects.get(pk=org.units["B"].pk)
    unit = Unit.objects.add_child(
        parent, create_kwargs={"code": f"B-s{n}", "name": f"Afsnit B{n}", "kind": "section", "region": parent.region}
    )
    return Person.objects.create(employee_id=f"B{n}", name=f"B-leder {n}", unit=unit, is_leader=True)


@pytest.fixture
def lus_round(org, status_data):
    today = status_data.today
    lus_round = Round.objects.create(
        name="LUS i år",
        region=org.units["RT"].region,
        scope=org.units["RT"],
        framework_version=status_data.framework.current_version,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=200),
        preparation_opens=today - timedelta(days=30),
        held_by=today - timedelta(days=1),  # past: LUS not held are behind
        confirmed_by=today + timedelta(days=30),
    )
    b_leaders = [_leader_under_b(org, n) for n in (1, 2, 3)]
    states = [
        (org.people["koncern"], "confirmed"),
        (org.people["leader"], "held"),
        (org.people["leader2"], "prepared"),
        (org.people["leader3"], "confirmed"),
        (b_leaders[0], "confirmed"),
        (b_leaders[1], "confirmed"),
        (b_leaders[2], "not_started"),
    ]
    conv = {p.pk: Conversation.objects.create(round=lus_round, leader=p, state=s) for p, s in states}
    p11, p12, _p21, _p22 = status_data.principles
    for person in (org.people["leader3"], *b_leaders[:2]):
        Agreement.objects.create(conversation=conv[person.pk], what="Hemmelig aftale", due_on=today, principle=p11)
    Agreement.objects.create(conversation=conv[org.people["leader"].pk], what="x", due_on=today, principle=p12)
    Agreement.objects.create(
        conversation=conv[org.people["koncern"].pk], what="y", due_on=today, principle=status_data.themes[0]
    )
    return lus_round


def _rows(response):
    return {r.unit.code: r for r in response.context["table"].rows}


def test_each_branch_shows_prepared_held_and_confirmed_with_small_counts_masked(client, org, lus_round):
    client.force_login(org.users["koncern"])
    response = client.get("/status/")
    rows = _rows(response)
    assert rows["RT"].lus.cells == ["<3 / <3", "<3 / <3", "<3 / <3"]
    assert rows["A"].lus.cells == ["<3 / <3", "<3 / <3", "<3 / <3"]
    assert rows["B"].lus.cells == ["3 / 4 (75 %)", "3 / 4 (75 %)", "3 / 4 (75 %)"]
    assert rows["HR"].lus.cells == ["–", "–", "–"]
    assert response.context["table"].lus_total.cells == ["6 / 7 (86 %)", "5 / 7 (71 %)", "4 / 7 (57 %)"]
    html = response.content.decode()
    assert "3 / 4 (75 %)" in html and "&lt;3 / &lt;3" in html
    # Counts only: no agreement text and no LUS person's name on the page.
    assert "Hemmelig aftale" not in html and "B-leder" not in html


def test_the_development_themes_count_agreements_per_theme_and_principle(client, org, status_data, lus_round):
    client.force_login(org.users["koncern"])
    themes = client.get("/status/").context["lus_themes"]
    p11, p12, p21, p22 = status_data.principles
    shown = [(t.title, t.shown) for t in themes]
    t1, t2 = status_data.themes
    assert shown == [
        (t1.title, 5),
        (p11.title, 3),
        (p12.title, "<3"),
        (t2.title, "<3"),
        (p21.title, "<3"),
        (p22.title, "<3"),
    ]


def test_a_branch_with_three_lus_behind_lags_and_fewer_do_not_tell(client, org, lus_round):
    client.force_login(org.users["koncern"])
    lagging = {u.unit.code: u for u in client.get("/status/").context["lagging"]}
    # Held by is past: leader2 (A1, prepared) and b3 (B, not started) are behind; RT's subtree
    # holds both, no branch holds three, so no unit lags for LUS.
    assert all(u.lus_behind == 0 for u in lagging.values())
    Conversation.objects.create(round=lus_round, leader=_leader_under_b(org, 4), state="prepared")
    Conversation.objects.create(round=lus_round, leader=_leader_under_b(org, 5))
    lagging = {u.unit.code: u for u in client.get("/status/?sort=lus").context["lagging"]}
    assert lagging["RT"].lus_behind == 4 and lagging["B"].lus_behind == 3
    assert "A" not in lagging or lagging["A"].lus_behind == 0


def test_the_exports_mask_the_same_counts(client, org, lus_round):
    client.force_login(org.users["koncern"])
    text = client.get("/status/status.csv").content.decode("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(text), delimiter=";")}
    b = rows["Hospital B"]
    assert b[-4:] == ["4", "3", "3", "3"]
    assert rows["Hospital A"][-4:] == ["<3", "<3", "<3", "<3"]
    wb = load_workbook(io.BytesIO(client.get("/status/status.xlsx").content))
    status = {r[0]: r for r in wb["Status"].iter_rows(values_only=True)}
    assert list(status["Hospital A"][-4:]) == ["<3", "<3", "<3", "<3"]
    assert list(status["Hospital B"][-4:]) == [4, 3, 3, 3]
    themes = (
        list(wb["Udviklingstemaer"].iter_rows(values_only=True))
        if "Udviklingstemaer" in wb
        else list(wb["Development themes"].iter_rows(values_only=True))
    )
    assert [r[1] for r in themes[1:]] == [5, 3, "<3", "<3", "<3", "<3"]


def test_leaders_see_no_lus_counts(client, org, lus_round):
    # lus.access.rounds_counted_by: counts are for koncernledelse and HR in scope only.
    client.force_login(org.users["leader"])
    response = client.get("/status/")
    assert response.context["lus_round"] is None
    assert "LUS" not in client.get("/status/status.csv").content.decode("utf-8-sig").splitlines()[0]
