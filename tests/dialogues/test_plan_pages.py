"""Reading plans: everyone in the region reads, only editors see the edit links, the list
and the page run a fixed number of queries however many plans and activities there are."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues import access, selectors, services
from dialogues.models import Plan
from tests.dialogues.conftest import activity_data
from values import services as values_services

pytestmark = pytest.mark.django_db


def test_an_employee_reads_the_plan_but_sees_no_way_to_edit_it(org, plan, make_activity, client):
    make_activity(plan)
    client.force_login(org.users["employee"])
    body = client.get(reverse("dialogues:plan_detail", args=[plan.pk])).content.decode()
    assert "Dialog om tillid" in body
    for name in ("activity_create", "plan_translation_edit", "plan_co_owners_edit", "plan_submit"):
        assert reverse(f"dialogues:{name}", args=[plan.pk]) not in body, name


def test_the_owner_sees_the_edit_links(org, plan, make_activity, client):
    make_activity(plan)
    client.force_login(org.users["leader2"])
    body = client.get(reverse("dialogues:plan_detail", args=[plan.pk])).content.decode()
    for name in ("activity_create", "plan_translation_edit", "plan_check"):
        assert reverse(f"dialogues:{name}", args=[plan.pk]) in body, name


def test_the_plan_of_the_unit_above_shows_how_the_units_below_carried_it_on(org, rollout, client):
    above = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    below = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"], carry_on=True)
    client.force_login(org.users["employee"])
    body = client.get(reverse("dialogues:plan_detail", args=[above.pk])).content.decode()
    assert reverse("dialogues:plan_detail", args=[below.pk]) in body
    assert "startet ud fra denne plan" in body


def test_the_front_page_links_to_the_own_units_plan(org, plan, client):
    client.force_login(org.users["leader2"])
    assert reverse("dialogues:my_plan") in client.get("/").content.decode()
    response = client.get(reverse("dialogues:my_plan"))
    assert response["Location"] == plan.get_absolute_url()


def test_without_a_plan_the_shortcut_leads_to_the_rollout(org, rollout, client):
    client.force_login(org.users["leader3"])
    assert client.get(reverse("dialogues:my_plan"))["Location"] == rollout.get_absolute_url()


def test_the_header_menu_has_plans(org, client):
    client.force_login(org.users["employee"])
    assert 'href="/planer/"' in client.get("/").content.decode()


_codes = itertools.count()


def _grow(org, rollout, plan, n):
    """n more plans (units made for it) with two activities each, and n activities on `plan`."""
    from ledelse.models import Person, Unit

    principles = list(services.Item.objects.filter(version=rollout.framework_version, kind="principle"))
    for i in range(n):
        n_unit = next(_codes)
        unit = Unit.objects.add_child(
            Unit.objects.get(code="B"),
            create_kwargs={"code": f"B-{n_unit}", "name": f"Afsnit B{n_unit}", "region": org.region},
        )
        Person.objects.create(employee_id=f"E{unit.pk}", name=f"Leder {i}", unit=unit, is_leader=True)
        other = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=Unit.objects.get(pk=unit.pk))
        for _ in range(2):
            services.activity_create(
                plan=other,
                data=activity_data(org, responsible=org.people["leader3"], principles=tuple(principles[:2])),
            )
        services.activity_create(
            plan=plan,
            data=activity_data(
                org,
                principles=tuple(principles),
                participants=(org.people["employee"], org.people["leader2"]),
                date=services.date(2026, 9, 1 + i),
            ),
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["plan_list", "plan_detail", "rollout_detail"])
def test_query_counts_do_not_grow_with_the_data(org, rollout, plan, client, name):
    client.force_login(org.users["leader"])
    url = reverse(
        f"dialogues:{name}", args=[] if name == "plan_list" else [plan.pk if name == "plan_detail" else rollout.pk]
    )
    _grow(org, rollout, plan, 2)
    if name == "plan_list":
        client.get(url)  # the filter's items, kept in the process under their version's stamp
    small = _count(client, url)
    _grow(org, rollout, plan, 6)
    large = _count(client, url)
    assert small == large
    # The plan page reads the plan with what its rights need in one query (selectors.plan_get_for_page,
    # its rights asked of that row: access.plan_rights_of_read_plan). Here its content is read afresh
    # (the data just grew); test_plan_page_cache.py has its exact count once the content is kept.
    assert large <= {"plan_list": 7, "plan_detail": 17, "rollout_detail": 12}[name]
    # The list: the sign-in's four and the unread count, its filter's choices, and its page of
    # rows with their number in one query (selectors.plan_list_page_for_user).
    assert name != "plan_list" or large == 7


def test_the_filtered_list_has_the_same_count(org, rollout, plan, client, principles):
    client.force_login(org.users["leader"])
    url = (
        reverse("dialogues:plan_list") + f"?kind=temadag&state=kladde&principle={principles[0].pk}&rollout={rollout.pk}"
    )
    _grow(org, rollout, plan, 2)
    client.get(url)  # the filter's items, kept in the process under their version's stamp
    small = _count(client, url)
    _grow(org, rollout, plan, 5)
    assert _count(client, url) == small <= 20


def test_the_list_filters_by_kind_principle_and_state(org, rollout, plan, client, principles, make_activity):
    other = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    make_activity(plan, kind="temadag", principles=(principles[0],))
    make_activity(other, kind="lus", responsible=org.people["leader3"], principles=(principles[1],))
    client.force_login(org.users["employee"])

    def units(query):
        response = client.get(reverse("dialogues:plan_list") + query)
        return [Plan.objects.get(pk=p.pk).unit.code for p in response.context["plans"]]

    assert units("") == ["A1", "B"]
    assert units("?kind=temadag") == ["A1"]
    assert units(f"?principle={principles[1].pk}") == ["B"]
    assert units("?state=indsendt") == []


def test_another_regions_plans_are_not_listed(org, plan, client):
    client.force_login(org.users["employee"])
    link = f'href="{reverse("dialogues:plan_detail", args=[plan.pk])}"'
    assert link in client.get(reverse("dialogues:plan_list")).content.decode()  # the table kept in the process
    client.force_login(org.users["outsider"])
    response = client.get(reverse("dialogues:plan_list"))
    assert list(response.context["plans"]) == [] and link not in response.content.decode()


def test_a_principles_page_links_to_the_plans_that_work_with_it(
    org, plan, client, principles, make_activity, framework
):
    make_activity(plan, principles=(principles[0],))
    client.force_login(org.users["employee"])
    body = client.get(reverse("values:item_detail", args=[framework.slug, principles[0].key])).content.decode()
    assert "Planer, der arbejder med det" in body
    assert reverse("dialogues:plan_detail", args=[plan.pk]) in body
    assert "Afdeling A1</a>" in body and "(Udrulning 2026)" in body  # the unit and the rollout it is in
    body = client.get(reverse("values:item_detail", args=[framework.slug, principles[1].key])).content.decode()
    assert "Ingen lokal plan arbejder med det endnu." in body


def test_the_frameworks_do_not_import_the_plans():
    from pathlib import Path

    for path in Path("values").rglob("*.py"):
        assert "dialogues" not in path.read_text(), path


def test_the_list_shows_a_page_at_a_time_with_each_plans_activity_count(org, rollout, plan, client, monkeypatch):
    monkeypatch.setattr("dialogues.views.PLANS_PER_PAGE", 2)
    _grow(org, rollout, plan, 3)  # four plans: `plan` with three activities, three with two
    client.force_login(org.users["leader"])
    first = client.get(reverse("dialogues:plan_list"))
    second = client.get(reverse("dialogues:plan_list") + "?page=2")
    assert first.context["page_obj"].paginator.count == 4
    assert len(first.context["plans"]) == len(second.context["plans"]) == 2
    shown = list(first.context["plans"]) + list(second.context["plans"])
    assert {p.pk: p.activity_count for p in shown} == {p.pk: p.activities.count() for p in Plan.objects.all()}
    assert 'class="pagination"' in first.content.decode()


def test_the_filters_choices_are_the_rollouts_and_principles_read_in_one_query_once_kept(
    org, rollout, plan, django_assert_num_queries
):
    user = org.users["employee"]
    access.rollouts_visible_to(user).exists()  # the roles, read once per request
    selectors._FILTER_ITEMS.clear()
    with django_assert_num_queries(2):  # the rollouts, then their versions' items
        selectors.plan_filter_choices(user=user)
    with django_assert_num_queries(1):  # the items kept under their version's stamp
        choices = selectors.plan_filter_choices(user=user)
    assert choices.rollouts == [(r.pk, r.title) for r in access.rollouts_visible_to(user).order_by("-starts_on")]
    expected = [
        (i.pk, f"{i.heading} ({i.version.framework.title})") for i in selectors.principles_for_filter(user=user)
    ]
    assert choices.principles == expected and expected


def test_the_list_reads_its_page_and_the_count_in_one_query(org, rollout, plan, django_assert_num_queries):
    user = org.users["employee"]
    access.plans_visible_to(user).exists()  # the roles, read once per request
    with django_assert_num_queries(1):
        page = selectors.plan_list_page_for_user(user=user, per_page=50)
    assert page.paginator.count == 1 and [row.pk for row in page.object_list] == [plan.pk]
    row = page.object_list[0]
    assert row.url == reverse("dialogues:plan_detail", args=[plan.pk])
    assert (row.unit_name, row.owner_name, row.state) == (plan.unit.name, plan.owner.name, plan.state)


@pytest.mark.parametrize(
    ("asked", "shown"),
    [(None, 1), ("x", 1), ("2.0", 1), ("2", 2), ("3", 2), ("99", 2), ("0", 2), ("-1", 2), ("9" * 30, 2)],
)
def test_a_page_number_out_of_range_shows_the_last_page_and_not_a_number_the_first(org, rollout, plan, asked, shown):
    _grow(org, rollout, plan, 2)  # three plans, two a page
    page = selectors.plan_list_page_for_user(user=org.users["employee"], number=asked, per_page=2)
    assert page.number == shown and page.paginator.count == 3 and page.paginator.num_pages == 2
    assert len(page.object_list) == (2 if shown == 1 else 1)


def test_without_plans_the_list_is_one_empty_page(org, rollout):
    page = selectors.plan_list_page_for_user(user=org.users["employee"], number="5", per_page=2)
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


def test_the_list_shows_each_change_to_its_rows_at_once(org, rollout, plan, client, make_activity):
    """The table is kept rendered under its rows (ledelse.fragments): each change to what a
    row shows is on the next page view."""
    from ledelse.models import Person, Unit

    client.force_login(org.users["employee"])
    url = reverse("dialogues:plan_list")

    def row() -> str:
        body = client.get(url).content.decode()
        return body[body.index("<tbody>") : body.index("</tbody>")]

    assert f'<a href="{reverse("dialogues:plan_detail", args=[plan.pk])}">{plan.unit.name}</a>' in row()
    assert "<td>0</td>" in row()
    make_activity(plan)
    assert "<td>1</td>" in row()
    Unit.objects.filter(pk=plan.unit_id).update(name="Afdeling A1 (nyt navn)")
    assert "Afdeling A1 (nyt navn)</a>" in row()
    Person.objects.filter(pk=plan.owner_id).update(name="Ny Ejer")
    assert "<td>Ny Ejer</td>" in row()
    rollout.title = "Udrulning 2026, ny titel"
    rollout.save(update_fields=["title"])
    assert "<td>Udrulning 2026, ny titel</td>" in row()
    before = row()
    services.plan_transition(user=org.users["leader2"], plan=plan, action="submit")
    assert row() != before and "Indsendt" in row()


def test_the_filters_choices_show_a_change_to_the_framework_or_the_rollouts_at_once(
    org, rollout, framework, principles
):
    user = org.users["employee"]
    before = selectors.plan_filter_choices(user=user)
    assert (principles[0].pk, f"{principles[0].heading} ({framework.title})") in before.principles
    values_services.framework_update(user=org.users["admin"], framework=framework, changes={"title": "Nyt navn"})
    after = selectors.plan_filter_choices(user=user)
    assert (principles[0].pk, f"{principles[0].heading} (Nyt navn)") in after.principles
    assert len(after.principles) == len(before.principles)
    services.rollout_update(rollout=rollout, data=replace(_rollout_data(rollout), title="Udrulning, ny titel"))
    assert selectors.plan_filter_choices(user=user).rollouts == [(rollout.pk, "Udrulning, ny titel")]


def _rollout_data(rollout) -> services.RolloutData:
    return services.RolloutData(
        title=rollout.title,
        scope_unit=rollout.scope_unit,
        framework_version=rollout.framework_version,
        starts_on=rollout.starts_on,
        deadline=rollout.deadline,
    )


def test_the_pagination_keeps_each_requests_filter(org, rollout, plan, client, monkeypatch):
    """The same rows under two filters: the table is kept per query, so each page's links
    keep its own filter."""
    monkeypatch.setattr("dialogues.views.PLANS_PER_PAGE", 1)
    _grow(org, rollout, plan, 1)
    client.force_login(org.users["employee"])
    url = reverse("dialogues:plan_list")
    first = client.get(url + "?state=kladde").content.decode()
    second = client.get(url + f"?rollout={rollout.pk}").content.decode()
    assert "?state=kladde&amp;page=2" in first and "rollout=" not in first.split('class="pagination"')[1]
    assert f"?rollout={rollout.pk}&amp;page=2" in second and "state=kladde" not in second


def test_a_new_rollout_is_in_the_filter_at_once(org, rollout, framework, client):
    client.force_login(org.users["employee"])
    url = reverse("dialogues:plan_list")
    assert "Udrulning 2027" not in client.get(url).content.decode()
    services.rollout_create(
        user=org.users["koncern"],
        data=replace(
            _rollout_data(rollout),
            title="Udrulning 2027",
            starts_on=services.date(2027, 1, 4),
            deadline=services.date(2027, 6, 30),
        ),
    )
    assert "Udrulning 2027</option>" in client.get(url).content.decode()
