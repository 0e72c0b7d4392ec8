"""The status page: the table, the drill-down and its breadcrumbs, filters, charts."""

import re
from datetime import timedelta

from ledelse.status.services import snapshots_take, week_of


def _row_cells(html: str, name: str) -> list[str]:
    """The cells of the status table's row for the unit `name`, as text."""
    table = html[html.index('class="table table--zebra status-table"') :]
    table = table[: table.index("</table>")]
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        if cells and cells[0].startswith(name):
            return cells
    raise AssertionError(f"no row for {name}")


def test_koncern_sees_the_region_and_drills_down(client, org, status_data):
    client.force_login(org.users["koncern"])
    html = client.get("/status/").content.decode()
    # Unit, own plan, units, 6 states, done/planned, overdue, last activity.
    a = _row_cells(html, "Hospital A")
    assert a[1:12] == ["Godkendt", "3", "1", "0", "1", "1", "0", "0", "2 / 5", "2", a[11]]
    link = f'href="/status/?rollout={status_data.rollout.pk}&amp;unit={org.units["A"].pk}"'
    assert link in html
    drilled = client.get(f"/status/?rollout={status_data.rollout.pk}&unit={org.units['A'].pk}")
    crumbs = [c.label for c in drilled.context["breadcrumbs"]]
    assert crumbs == ["Forside", "Implementeringsstatus", "Region Test", "Hospital A"]
    assert _row_cells(drilled.content.decode(), "Afdeling A1")[1:3] == ["Indsendt", "2"]


def test_the_unit_kind_filter_narrows_the_table(client, org, status_data):
    client.force_login(org.users["koncern"])
    response = client.get(f"/status/?rollout={status_data.rollout.pk}&kind=hospital")
    assert [r.unit.code for r in response.context["table"].rows] == ["A", "B"]


def test_a_region_filter_chooses_that_regions_rollout(client, org, status_data):
    from dialogues import services
    from tests.values.factories import make_framework

    framework = make_framework(slug="andet", title="Andet grundlag", region="Region Anden")
    other = services.rollout_create(
        user=org.users["admin"],
        data=services.RolloutData(
            title="Anden udrulning",
            scope_unit=org.units["RA"],
            framework_version=framework.current_version,
            starts_on=status_data.rollout.starts_on,
            deadline=status_data.rollout.deadline,
        ),
    )
    client.force_login(org.users["admin"])
    response = client.get(f"/status/?region={org.other_region.pk}")
    assert response.context["filters"].rollout == other and response.context["filters"].root == org.units["RA"]
    assert 'name="region"' in response.content.decode()
    response = client.get(f"/status/?region={org.region.pk}&rollout={other.pk}")
    assert response.context["filters"].rollout == status_data.rollout
    # Koncernledelse in one region gets no region choice.
    client.force_login(org.users["koncern"])
    assert 'name="region"' not in client.get("/status/").content.decode()


def test_the_lagging_units_can_be_sorted(client, org, status_data):
    client.force_login(org.users["koncern"])
    by_unit = client.get("/status/?sort=unit").context["lagging"]
    assert [u.unit.code for u in by_unit] == ["A", "A1"]
    html = client.get("/status/?sort=planned").content.decode()
    assert 'aria-sort="ascending"' in html


def test_the_heat_map_marks_what_no_one_works_with(client, org, status_data):
    client.force_login(org.users["koncern"])
    html = client.get("/status/").content.decode()
    assert 'class="status-heat status-heat--0">0</td>' in html
    assert "Princip 2.2" in html


def test_the_trend_is_drawn_with_its_numbers_as_a_table(client, org, status_data):
    from ledelse.status.models import Snapshot

    snapshots_take()
    # A week earlier: copied from this week with one plan fewer approved.
    this_week = week_of(status_data.today)
    for s in Snapshot.objects.all():
        Snapshot.objects.create(
            rollout=s.rollout,
            unit=s.unit,
            taken_on=this_week - timedelta(weeks=1),
            plan_state="kladde",
            activities_planned=s.activities_planned,
            activities_done=0,
            activities_overdue=0,
        )
    client.force_login(org.users["koncern"])
    html = client.get("/status/").content.decode()
    assert "<svg" in html and "<polyline" in html and "style=" not in html[html.index("<main") :]
    sr_table = html[html.index("Uge") :]
    assert re.search(r"<th scope=\"row\">\d+\. [a-z]+ \d{4}</th><td>0</td><td>0</td>", sr_table)
    assert re.search(r"<th scope=\"row\">\d+\. [a-z]+ \d{4}</th><td>1</td><td>2</td>", sr_table)


def test_without_two_snapshots_the_page_says_so(client, org, status_data):
    client.force_login(org.users["koncern"])
    assert "<polyline" not in client.get("/status/").content.decode()


def test_the_trend_ends_on_todays_figures(client, org, status_data, settings):
    """The last point of the trend is the table's own total, not last Monday's snapshot."""
    from datetime import timedelta

    from ledelse.status.models import Snapshot
    from ledelse.status.services import week_of

    settings.STATUS_CACHE_SECONDS = 0
    this_week = week_of(status_data.today)
    for weeks in (2, 1, 0):
        Snapshot.objects.create(
            rollout=status_data.rollout,
            unit=org.units["A"],
            taken_on=this_week - timedelta(weeks=weeks),
            plan_state="kladde",
        )
    client.force_login(org.users["koncern"])
    response = client.get("/status/")
    trend, total = response.context["trend"], response.context["table"].total
    assert trend[-1].week == status_data.today
    assert (trend[-1].approved, trend[-1].activities_done) == (total.approved, total.activities_done) == (1, 2)
    assert [p.week for p in trend[:-1]] == [this_week - timedelta(weeks=2), this_week - timedelta(weeks=1)]


def test_the_heat_map_has_a_legend_and_says_no_more_than_the_data(client, org, status_data):
    client.force_login(org.users["koncern"])
    html = client.get("/status/").content.decode()
    assert "Farver (aktiviteter i en enheds celle)" in html
    assert "ikke at ingen arbejder med det" in html and "som ingen arbejder med endnu" not in html
    assert 'class="status-swatch status-heat status-heat--4"' in html
