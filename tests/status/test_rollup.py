"""The roll-up through the unit tree against numbers computed by hand (tests/status/conftest.py)."""

from datetime import timedelta

from ledelse.status import selectors
from ledelse.status.selectors import StatusFilter


def _table(org, data, root="RT", kind="", user="koncern"):
    filters = StatusFilter(rollout=data.rollout, root=org.units[root], kind=kind, today=data.today)
    return selectors.status_table(user=org.users[user], filters=filters)


def _by_code(table):
    return {row.unit.code: row for row in table.rows}


def test_the_region_rolls_up_each_branch_below_it(org, status_data):
    table = _table(org, status_data)
    rows = _by_code(table)
    assert list(rows) == ["RT", "A", "B", "HR"]
    assert rows["RT"].is_self and rows["RT"].plan_state == "ingen" and rows["RT"].figures.units == 1
    a = rows["A"].figures
    assert rows["A"].plan_state == "godkendt" and rows["A"].can_drill
    assert a.units == 3
    assert a.states == {"ingen": 1, "kladde": 0, "indsendt": 1, "godkendt": 1, "i_gang": 0, "afsluttet": 0}
    # a1, a2, a3, b1, b2 (a4 is cancelled); done a1, b1; overdue a2, b2; last done a1.
    assert (a.activities_planned, a.activities_done, a.activities_overdue) == (5, 2, 2)
    assert a.last_activity_on == status_data.today - timedelta(days=10)
    b = rows["B"].figures
    assert rows["B"].plan_state == "kladde" and not rows["B"].can_drill
    assert (b.units, b.states["kladde"], b.activities_planned, b.activities_done, b.activities_overdue) == (
        1,
        1,
        1,
        0,
        0,
    )
    assert b.last_activity_on is None
    assert rows["HR"].figures.no_plan == 1
    total = table.total
    assert total.units == 6 and total.no_plan == 3 and total.approved == 1
    assert (total.activities_planned, total.activities_done, total.activities_overdue) == (6, 2, 2)


def test_a_drill_down_shows_the_unit_itself_and_its_branches(org, status_data):
    table = _table(org, status_data, root="A")
    rows = _by_code(table)
    assert list(rows) == ["A", "A1"]
    own, a1 = rows["A"].figures, rows["A1"].figures
    assert (own.units, own.states["godkendt"], own.activities_planned, own.activities_done, own.activities_overdue) == (
        1,
        1,
        3,
        1,
        1,
    )
    assert (a1.units, a1.no_plan, a1.states["indsendt"], a1.activities_planned, a1.activities_overdue) == (
        2,
        1,
        1,
        2,
        1,
    )
    assert a1.last_activity_on == status_data.today - timedelta(days=20)
    assert [u.code for u in table.chain] == ["RT", "A"]


def test_the_breadcrumbs_start_at_the_top_the_user_may_see(org, status_data):
    table = _table(org, status_data, root="A1", user="leader")
    assert [u.code for u in table.chain] == ["A", "A1"]


def test_a_unit_kind_counts_only_units_of_that_kind(org, status_data):
    table = _table(org, status_data, kind="hospital")
    rows = _by_code(table)
    assert list(rows) == ["A", "B"]
    assert rows["A"].figures.units == 1 and rows["A"].figures.activities_planned == 3
    assert table.total.units == 2


def test_a_completed_plan_has_no_overdue_activities(org, status_data):
    from tests.status.conftest import set_state

    set_state(status_data.plans.a, "afsluttet")
    rows = _by_code(_table(org, status_data, root="A"))
    assert rows["A"].figures.activities_overdue == 0 and rows["A"].figures.states["afsluttet"] == 1


def test_a_rollout_over_a_part_of_the_tree_counts_only_that_part(org, status_data):
    from dialogues import services

    rollout = services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Kun A",
            scope_unit=org.units["A1"],
            framework_version=status_data.framework.current_version,
            starts_on=status_data.rollout.starts_on,
            deadline=status_data.rollout.deadline,
        ),
    )
    table = selectors.status_table(
        user=org.users["koncern"],
        filters=StatusFilter(rollout=rollout, root=org.units["RT"], today=status_data.today),
    )
    rows = _by_code(table)
    # The branch of Hospital A holds the rollout's units; A itself is above the rollout.
    assert list(rows) == ["A"] and not rows["A"].in_rollout
    assert rows["A"].figures.units == 2 and rows["A"].figures.no_plan == 2
    outside = selectors.status_table(
        user=org.users["koncern"], filters=StatusFilter(rollout=rollout, root=org.units["B"], today=status_data.today)
    )
    assert not outside.in_scope and outside.rows == []


def test_coverage_counts_activities_per_theme_and_principle(org, status_data):
    cov = selectors.coverage(table=_table(org, status_data))
    assert [c.title for c in cov.columns] == [
        "Tema 1",
        "Princip 1.1",
        "Princip 1.2",
        "Tema 2",
        "Princip 2.1",
        "Princip 2.2",
    ]
    cells = {row.unit.code: row.cells for row in cov.rows}
    # Theme 1 in A: a1, a2 (two of its principles, counted once) and b1.
    assert cells["A"] == [3, 3, 1, 1, 1, 0]
    assert cells["B"] == [1, 0, 1, 0, 0, 0]
    assert cells["RT"] == cells["HR"] == [0] * 6
    assert cov.total == [4, 3, 2, 1, 1, 0]
    # The units' cells are coloured on the scale of the largest (3): level 0 is 0, the
    # legend gives each level's counts.
    heat = {row.unit.code: row.heat for row in cov.rows}
    assert heat["A"][0] == (3, 4) and heat["A"][-1] == (0, 0) and heat["B"][0] == (1, 2)
    assert cov.legend() == [(0, 0, 0), (2, 1, 1), (3, 2, 2), (4, 3, 3)]


def test_lagging_units_are_those_with_overdue_activities(org, status_data):
    filters = StatusFilter(rollout=status_data.rollout, root=org.units["RT"], today=status_data.today)
    lagging = selectors.lagging_units(filters=filters)
    assert [(u.unit.code, u.overdue, u.leader_name) for u in lagging] == [
        ("A", 1, "Lene Leder"),
        ("A1", 1, "Lars Leder To"),
    ]


def test_near_the_deadline_units_without_a_submitted_plan_lag_too(org, status_data):
    rollout = status_data.rollout
    rollout.deadline = status_data.today + timedelta(days=rollout.plan_missing_days)
    rollout.save()
    filters = StatusFilter(rollout=rollout, root=org.units["RT"], today=status_data.today)
    lagging = selectors.lagging_units(filters=filters, sort="unit")
    assert [u.unit.code for u in lagging] == ["RT", "A", "A1", "A1a", "B", "HR"]
    by_code = {u.unit.code: u for u in lagging}
    assert by_code["B"].no_plan_near_deadline and by_code["B"].plan_state == "kladde"
    assert not by_code["A"].no_plan_near_deadline
    by_state = selectors.lagging_units(filters=filters, sort="state")
    assert [u.plan_state for u in by_state] == ["ingen", "ingen", "ingen", "kladde", "indsendt", "godkendt"]
