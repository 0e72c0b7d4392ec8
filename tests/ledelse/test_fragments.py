"""ledelse.fragments.fragment_html: a fragment kept under exactly what it is made of."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy, override

from dialogues.selectors import PlanRow as Row  # the rows the plan list keeps its table by
from ledelse import fragments
from ledelse.fragments import fragment_html

TEMPLATE = "dialogues/_plan_table.html"


def _html(rows: list[Row]) -> str:
    return fragment_html(TEMPLATE, {"plans": rows, "page_obj": None, "query": {}}, made_of=(rows,))


def test_a_fragment_is_kept_under_its_values_and_a_changed_value_is_a_new_fragment():
    row = Row(1, "/planer/1/", "Afdeling A1", "Udrulning", "Leder A1", "kladde", 2)
    first = _html([row])
    assert _html([Row(1, "/planer/1/", "Afdeling A1", "Udrulning", "Leder A1", "kladde", 2)]) is first
    for changed in (
        Row(1, "/planer/1/", "Afdeling A2", "Udrulning", "Leder A1", "kladde", 2),
        Row(1, "/planer/1/", "Afdeling A1", "Udrulning", "Leder A1", "godkendt", 2),
        Row(1, "/planer/1/", "Afdeling A1", "Udrulning", "Leder A1", "kladde", 3),
    ):
        html = _html([changed])
        assert html != first and changed.unit_name in html and f"<td>{changed.activity_count}</td>" in html


def test_the_language_is_part_of_the_key():
    row = Row(1, "/planer/1/", "Afdeling A1", "Udrulning", "Leder A1", "kladde", 2)
    with override("da"):
        danish = _html([row])
    with override("en"):
        english = _html([row])
    assert "Enhed" in danish and "Unit" in english


def test_a_value_that_does_not_name_its_content_is_refused():
    with pytest.raises(TypeError):
        fragment_html(TEMPLATE, {}, made_of=(gettext_lazy("Unit"),))
    with pytest.raises(TypeError):
        fragment_html(TEMPLATE, {}, made_of=(object(),))


def test_the_kept_fragments_are_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "_FRAGMENTS", {})
    monkeypatch.setattr(fragments, "_FRAGMENTS_KEPT", 3)
    for n in range(7):
        _html([Row(n, f"/planer/{n}/", "A", "U", "L", "kladde", 0)])
        assert len(fragments._FRAGMENTS) <= 3
