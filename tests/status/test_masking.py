"""LUS figures that cannot be subtracted away (lus.masking): the attacks of
issue 20 performed as koncernledelse, and the rule's parts on their own.

The round is scoped to Hospital A with five LUS: the hospital director (Lene Leder, unit A)
has prepared but not held hers, the four department leaders under A have held theirs. The
director's agreement and three of the department leaders' are on theme 1. Before the fix,
`?unit=A` said 5/5 prepared and 4/5 held and `&kind=department` 4/4 and 4/4 (the director
has not held hers), theme 1 was 4 without the filter and 3 with it (her agreement is on
it), and the round page showed koncernledelse the unmasked count of each state.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from ledelse.models import Person, Unit
from lus.masking import MIN_COUNT, passes, suppress
from lus.models import Agreement, Conversation, Round


def _department(code: str, n: int) -> Person:
    parent = Unit.objects.get(code="A")
    unit = Unit.objects.add_child(
        parent,
        create_kwargs={"code": f"A-d{n}", "name": f"Afdeling D{n}", "kind": "department", "region": parent.region},
    )
    return Person.objects.create(employee_id=f"D{n}", name=f"Afdelingsleder {n}", unit=unit, is_leader=True)


@pytest.fixture
def hospital_round(org, status_data):
    today = status_data.today
    lus_round = Round.objects.create(
        name="LUS på Hospital A",
        region=org.units["A"].region,
        scope=org.units["A"],
        framework_version=status_data.framework.current_version,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=200),
        preparation_opens=today - timedelta(days=30),
        held_by=today + timedelta(days=10),
        confirmed_by=today + timedelta(days=30),
    )
    director = Conversation.objects.create(round=lus_round, leader=org.people["leader"], state="prepared")
    departments = [org.people["leader2"], *(_department("A", n) for n in (2, 3, 4))]
    held = [Conversation.objects.create(round=lus_round, leader=p, state="held") for p in departments]
    theme = status_data.themes[0]
    for c in (director, *held[:3]):
        Agreement.objects.create(conversation=c, what="Hemmelig aftale", due_on=today, principle=theme)
    return lus_round


def _lus_section(html: str) -> str:
    found = re.search(r'<section aria-labelledby="status-lus">.*?</section>', html, re.S)
    return found.group(0) if found else ""


def _variants(org):
    a = org.units["A"].pk
    rt = org.units["RT"].pk
    a1 = org.units["A1"].pk
    for unit in (rt, a, a1):
        for kind in ("", "department", "hospital", "region"):
            for sort in ("overdue", "unit"):
                yield f"unit={unit}&sort={sort}" + (f"&kind={kind}" if kind else "")


def test_no_view_reveals_the_directors_lus(client, org, hospital_round):
    client.force_login(org.users["koncern"])
    sections = set()
    for query in _variants(org):
        html = client.get(f"/status/?{query}").content.decode()
        assert "Hemmelig aftale" not in html
        # The figures: 5/5 prepared, 4/5 held, 4/4 with the kind filter.
        for leak in ("5 / 5", "4 / 5", "4 / 4", "5 af 5", "4 af 5", "4 af 4"):
            assert leak not in html, (query, leak)
        sections.add(_lus_section(html))
    # Every level, filter and sort shows the very same LUS figures: nothing to subtract.
    assert len(sections) == 1 and sections != {""}
    section = sections.pop()
    assert "skjult" in section


def test_the_development_theme_does_not_differ_by_filter(client, org, hospital_round):
    client.force_login(org.users["koncern"])
    shown = set()
    for query in _variants(org):
        report = client.get(f"/status/?{query}").context["lus"]
        shown.add(tuple((t.title, t.count) for t in report.themes))
    assert len(shown) == 1
    # 4 of the round's 5 leaders: its complement (1) is below 3, so it is hidden.
    assert dict(shown.pop())["Tema 1"] is None


def test_the_exports_give_no_differences(client, org, hospital_round):
    client.force_login(org.users["koncern"])
    sheets = set()
    for query in ("unit={}", "unit={}&kind=department", "unit={}&kind=hospital"):
        q = query.format(org.units["A"].pk)
        wb = load_workbook(io.BytesIO(client.get(f"/status/status.xlsx?{q}").content))
        sheets.add(
            (
                tuple(wb["LUS"].iter_rows(values_only=True)),
                tuple(wb["Udviklingstemaer"].iter_rows(values_only=True)),
            )
        )
        text = client.get(f"/status/status.csv?{q}").content.decode("utf-8-sig")
        assert "LUS" not in text and "Hemmelig" not in text
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert all(len(r) == len(rows[0]) for r in rows)
    assert len(sheets) == 1
    lus, themes = sheets.pop()
    # Five LUS are one group below the minimum: every count is an empty cell.
    total = next(r for r in lus if r[0] == "Alle LUS i runden")
    assert total[1] == 5 and total[2:] == (None, None, None, None)
    assert themes[1][1] is None


def test_the_round_page_shows_koncernledelse_masked_figures_only(client, org, hospital_round):
    client.force_login(org.users["koncern"])
    response = client.get(f"/lus/runder/{hospital_round.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["status"] is None
    assert _lus_section(html) != ""
    # The unmasked counts by state ("Held 4", "Prepared 1") are not on the page.
    assert not re.search(r"<td>\s*4\s*</td>", html) and not re.search(r"<td>\s*1\s*</td>", html)
    status_page = client.get(f"/status/?unit={org.units['A'].pk}").content.decode()
    assert _lus_section(html) == _lus_section(status_page)


def test_hr_in_scope_still_follows_the_round_person_by_person(client, org, hospital_round):
    client.force_login(org.users["hr"])
    response = client.get(f"/lus/runder/{hospital_round.pk}/")
    assert response.context["status"].total == 5 and response.context["masked"] is None


def test_the_report_shows_the_same_masked_figures(client, org, hospital_round):
    from pypdf import PdfReader

    client.force_login(org.users["koncern"])
    response = client.get(f"/status/status.pdf?unit={org.units['A'].pk}&kind=department")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "LUS på Hospital A" in text and "skjult" in text
    assert "4 af 5" not in text and "4 af 4" not in text


# --- The rule on its own --------------------------------------------------------------------


def test_a_count_and_its_complement_must_both_reach_three():
    assert passes(3, 6) and not passes(2, 6) and not passes(4, 6) and not passes(5, 5) and not passes(0, 10)
    assert MIN_COUNT == 3


def test_one_masked_group_takes_a_complement_with_it():
    # Group 0 (held 1 of 6) is masked; group 1 and 2 pass. Without a second masked group,
    # total minus the others gives group 0 back: the smallest other group is masked too.
    masked, total_masked = suppress([(1, 6), (5, 10), (3, 7)], (9, 23))
    assert masked == {0, 2} and not total_masked


def test_the_total_is_masked_when_no_complement_makes_the_masked_sum_safe():
    masked, total_masked = suppress([(0, 6), (6, 6)], (6, 12))
    assert masked == {0, 1} and not total_masked
    masked, total_masked = suppress([(1, 6), (5, 6)], (6, 12))
    assert masked == {0, 1} and not total_masked
    masked, total_masked = suppress([(1, 3)], (1, 3))
    assert masked == {0} and total_masked
