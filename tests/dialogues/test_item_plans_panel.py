"""The panel of plans on a theme's or principle's page (dialogues.panels.plans_for_item):
which plans it lists (dialogues.selectors.plans_for_item, plain SQL, checked here against the
rule written with the ORM), for whom, and that a change shows at once (the panel's HTML is
kept in the process by the rows it shows, never by a reader or a stamp)."""

from __future__ import annotations

from itertools import count

import pytest
from django.db.models import Exists, OuterRef
from django.urls import reverse

from dialogues import access, selectors, services
from dialogues.models import Activity, Plan, PlanTranslation
from ledelse.models import Person, Unit, User
from values.models import Item

# Also in the SQLite leg: the page reads written as plain SQL must work on make run's database.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

_codes = count(1)


def _rule(user, item: Item) -> list[tuple[int, str, str]]:
    """The rule as the ORM writes it (what plans_for_item did before its plain SQL)."""
    same = Item.objects.filter(key=item.key, version__framework_id=item.version.framework_id)
    q = (
        Exists(Activity.principles.through.objects.filter(activity__plan_id=OuterRef("pk"), item__in=same))
        | Exists(Plan.focus_principles.through.objects.filter(plan_id=OuterRef("pk"), item__in=same))
        | Exists(PlanTranslation.objects.filter(plan_id=OuterRef("pk"), theme__in=same).exclude(text=""))
    )
    rows = access.plans_visible_to(user).filter(q).order_by("unit__path")
    return list(rows.values_list("pk", "unit__name", "rollout__title")[:50])


def _listed(user, item: Item) -> list[tuple[int, str, str]]:
    return [(p.pk, p.unit_name, p.rollout_title) for p in selectors.plans_for_item(user=user, item=item)]


def _plan_in_new_unit(org, rollout) -> Plan:
    code = next(_codes)
    unit = Unit.objects.add_child(
        Unit.objects.get(code="B"), create_kwargs={"code": f"P-{code}", "name": f"Afsnit P{code}", "region": org.region}
    )
    Person.objects.create(employee_id=f"PL{unit.pk}", name=f"Leder P{code}", unit=unit, is_leader=True)
    return services.plan_create(user=org.users["leader3"], rollout=rollout, unit=Unit.objects.get(pk=unit.pk))


def _page(client, framework, item: Item) -> str:
    return client.get(reverse("values:item_detail", args=[framework.slug, item.key])).content.decode()


def test_it_lists_the_plans_working_with_the_item_in_each_way_as_the_rule_says(
    org, rollout, plan, principles, make_activity, framework
):
    themes = list(Item.objects.filter(version=framework.current_version, kind="theme").order_by("position"))
    make_activity(plan, principles=(principles[0],))
    focus = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    services.plan_translation_save(plan=focus, texts={}, focus_principles=[principles[0], principles[1]])
    translated = _plan_in_new_unit(org, rollout)
    services.plan_translation_save(plan=translated, texts={themes[0].pk: "Vores ord"}, focus_principles=[])
    empty = _plan_in_new_unit(org, rollout)
    services.plan_translation_save(plan=empty, texts={themes[1].pk: ""}, focus_principles=[])
    user = User.objects.get(pk=org.users["employee"].pk)

    assert {row[0] for row in _listed(user, principles[0])} == {plan.pk, focus.pk}
    assert [row[0] for row in _listed(user, principles[1])] == [focus.pk]
    assert [row[0] for row in _listed(user, themes[0])] == [translated.pk]
    assert _listed(user, themes[1]) == []  # an empty translation is no work with the theme
    for item in [*principles, *themes]:
        assert _listed(user, item) == _rule(user, item), item.key
    # Through the reader's access rule: another region's reader sees none of them.
    outsider = User.objects.get(pk=org.users["outsider"].pk)
    assert _listed(outsider, principles[0]) == [] == _rule(outsider, principles[0])


def test_the_page_shows_a_change_at_once(org, rollout, plan, principles, make_activity, framework, client):
    client.force_login(org.users["employee"])
    assert "Ingen lokal plan arbejder med det endnu." in _page(client, framework, principles[1])
    activity = make_activity(plan, principles=(principles[1],))
    html = _page(client, framework, principles[1])
    assert reverse("dialogues:plan_detail", args=[plan.pk]) in html and "Afdeling A1</a>" in html
    unit = plan.unit
    unit.name = "Afdeling A1 Nyt Navn"
    unit.save(update_fields=["name"])
    assert "Afdeling A1 Nyt Navn</a>" in _page(client, framework, principles[1])
    services.activity_delete(activity=activity)
    assert "Ingen lokal plan arbejder med det endnu." in _page(client, framework, principles[1])


def test_the_principles_page_runs_as_many_queries_with_more_plans(
    org, rollout, plan, principles, make_activity, framework, client
):
    client.force_login(org.users["employee"])
    make_activity(plan, principles=(principles[0],))
    _page(client, framework, principles[0])  # the version's text is cached from here on

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(reverse("values:item_detail", args=[framework.slug, principles[0].key])).status_code == 200
            )
        return len(ctx.captured_queries)

    small = queries()
    for _ in range(4):
        other = _plan_in_new_unit(org, rollout)
        make_activity(other, responsible=Person.objects.get(unit=other.unit), principles=(principles[0],))
    # Session, user, the item, person and roles, the plans panel, the unread notices.
    assert queries() == small == 7
    assert _page(client, framework, principles[0]).count("/planer/") >= 5
