"""The LUS round's figures on the status page (lus.masking): fixed groups of the
round, counts shown only when they and their complement in the group are at least 3, a
complementary group hidden where one is, the development themes as leaders per theme.

The round covers Region Test. LUS by the leader's unit, computed by hand:

    Region Test (RT)   koncern: confirmed
    ├── Hospital A     leader: held; leader2 (A1): prepared
    ├── Hospital B     leader3, b1, b2 (sections under B): confirmed; b3: not started
    └── HR-afdeling    none
    7 LUS: prepared 6, held 5, confirmed 4; behind (held by is past) 2.

No branch has 6 LUS, so the round is one group, "Øvrige ledere i Region Test": prepared
(complement 1) and held (complement 2) are hidden, confirmed 4 of 7 is shown; behind 2 is
hidden. Agreements: leader3, b1, b2 at p11, leader at p12, koncern at theme 1 itself: theme
1 has 5 of 7 leaders (complement 2: hidden), p11 3 (shown), p12 1 and theme 2 0 (hidden).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from ledelse.models import Person, Unit
from lus.models import Agreement, Conversation, Round


def _leader_under(org, code: str, n: int) -> Person:
    """A leader of a new section under `code` (one leader per unit)."""
    parent = Unit.objects.get(pk=org.units[code].pk)
    unit = Unit.objects.add_child(
        parent,
        create_kwargs={"code": f"{code}-s{n}", "name": f"Afsnit {code}{n}", "kind": "section", "region": parent.region},
    )
    return Person.objects.create(employee_id=f"{code}{n}", name=f"{code}-leder {n}", unit=unit, is_leader=True)


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
    b_leaders = [_leader_under(org, "B", n) for n in (1, 2, 3)]
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


def test_a_round_of_small_branches_is_one_group_with_small_counts_hidden(client, org, lus_round):
    client.force_login(org.users["koncern"])
    response = client.get("/status/")
    report = response.context["lus"]
    assert [g.label for g in report.groups] == ["Øvrige ledere i Region Test"]
    assert report.total.total == 7
    assert report.total.cells == [None, None, 4, None]
    assert report.total.texts() == ["skjult", "skjult", "4 af 7 (57 %)", "skjult"]
    html = response.content.decode()
    assert "4 af 7 (57 %)" in html and "skjult" in html
    # Counts only: no agreement text and no LUS person's name on the page.
    assert "Hemmelig aftale" not in html and "B-leder" not in html


def test_the_development_themes_count_leaders_per_theme_and_principle(client, org, status_data, lus_round):
    client.force_login(org.users["koncern"])
    themes = client.get("/status/").context["lus"].themes
    p11, p12, p21, p22 = status_data.principles
    t1, t2 = status_data.themes
    assert [(t.title, t.count) for t in themes] == [
        (t1.title, None),
        (p11.title, 3),
        (p12.title, None),
        (t2.title, None),
        (p21.title, None),
        (p22.title, None),
    ]


def test_big_branches_are_groups_and_a_hidden_group_hides_a_complement(client, org, lus_round):
    """Add four held and four not started under A, and four confirmed and one more not
    started under B (B: 4 confirmed + 4 new confirmed... see the sums below)."""
    Conversation.objects.filter(round=lus_round).exclude(leader=org.people["koncern"]).delete()
    for n in range(10, 14):
        Conversation.objects.create(round=lus_round, leader=_leader_under(org, "A", n), state="held")
        Conversation.objects.create(round=lus_round, leader=_leader_under(org, "A", n + 10), state="not_started")
        Conversation.objects.create(round=lus_round, leader=_leader_under(org, "B", n), state="confirmed")
        Conversation.objects.create(round=lus_round, leader=_leader_under(org, "B", n + 10), state="not_started")
    # A: 8 (prepared 4, held 4, confirmed 0); B: 8 (4, 4, 4); RT's own koncern: 1 (confirmed).
    # The others (1) are below 6, so the smaller named group (A, by name at equal size) joins
    # them: "Øvrige" 9 (prepared 5, held 5, confirmed 1). Confirmed: Øvrige (1 of 9) is
    # hidden, and B's 4 with it (else 5 - 4 gives 1 back); the total 5 of 17 is shown.
    client.force_login(org.users["koncern"])
    report = client.get("/status/").context["lus"]
    groups = {g.label: g for g in report.groups}
    assert set(groups) == {"Hospital B", "Øvrige ledere i Region Test"}
    assert groups["Hospital B"].cells[:3] == [4, 4, None]
    assert groups["Øvrige ledere i Region Test"].cells[:3] == [5, 5, None]
    assert report.total.cells[:3] == [9, 9, 5]


def test_the_workbook_has_the_same_figures_with_hidden_cells_empty_and_noted(client, org, lus_round):
    client.force_login(org.users["koncern"])
    wb = load_workbook(io.BytesIO(client.get("/status/status.xlsx").content))
    rows = list(wb["LUS"].iter_rows(values_only=True))
    assert rows[0] == ("Gruppe", "LUS i runden", "LUS forberedt", "LUS holdt", "LUS-aftaler bekræftet", "LUS bagud")
    total = next(r for r in rows if r[0] == "Alle LUS i runden")
    assert total[1:] == (7, None, None, 4, None)
    cell = next(c for c in wb["LUS"]["C"] if c.row > 1 and c.value is None and c.comment)
    assert "skjult" in cell.comment.text
    themes = list(wb["Udviklingstemaer"].iter_rows(values_only=True))
    assert [r[1] for r in themes[1:7]] == [None, 3, None, None, None, None]


def test_the_round_can_be_chosen(client, org, status_data, lus_round, settings):
    settings.STATUS_CACHE_SECONDS = 0  # read the figures from the context on every request
    older = Round.objects.create(
        name="LUS sidste år",
        region=org.units["RT"].region,
        scope=org.units["RT"],
        framework_version=status_data.framework.current_version,
        period_start=status_data.today - timedelta(days=400),
        period_end=status_data.today - timedelta(days=200),
        preparation_opens=status_data.today - timedelta(days=400),
        held_by=status_data.today - timedelta(days=300),
        confirmed_by=status_data.today - timedelta(days=250),
    )
    client.force_login(org.users["koncern"])
    assert client.get("/status/").context["lus"].round == lus_round
    response = client.get(f"/status/?lus={older.pk}")
    assert response.context["lus"].round == older
    assert f'<option value="{older.pk}" selected>' in response.content.decode()
    # An unknown round falls back to the newest.
    assert client.get("/status/?lus=999999").context["lus"].round == lus_round


def test_leaders_see_no_lus_counts(client, org, lus_round):
    # lus.access.rounds_counted_by: counts are for koncernledelse and HR in scope only.
    client.force_login(org.users["leader"])
    response = client.get("/status/")
    assert response.context["lus"] is None and 'id="status-lus"' not in response.content.decode()
    assert "LUS" not in client.get("/status/status.csv").content.decode("utf-8-sig")
    wb = load_workbook(io.BytesIO(client.get("/status/status.xlsx").content))
    assert "LUS" not in wb.sheetnames
