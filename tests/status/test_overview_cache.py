"""The figures of the leader's own plan on Mit overblik are shared through the cache under the
plan's change stamp and the day (ledelse.status.overview._own_plan_figures): every change
that moves a figure shows at once, on the next request.

The cast (tests/status/conftest.py): the leader's own plan is Hospital A's (approved; a1
done, a2 overdue, a3 in 10 days, a4 cancelled); leader3's is Hospital B's (a draft; c1 in 5
days)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogues import services
from dialogues.models import Activity, Plan
from ledelse.access import roles_for
from ledelse.status.overview import overview_for
from tests.status.conftest import _activity, set_state


def _figures(org, who="leader", today=None):
    own = overview_for(user=org.users[who], today=today).own_plan
    return (own.activities_planned, own.activities_done, own.activities_overdue, own.next_activity_on)


def _activity_data(activity: Activity, **changes) -> services.ActivityData:
    data = services.ActivityData(
        kind=activity.kind,
        title=activity.title,
        responsible=activity.responsible,
        date=activity.date,
        status=activity.status,
        principles=tuple(activity.principles.all()),
    )
    return replace(data, **changes)


def test_the_figures_are_counted_once_and_then_read_from_the_cache(org, status_data):
    roles_for(org.users["leader"])  # the roles are read once a request (kept on the user)
    with CaptureQueriesContext(connection) as first:
        before = _figures(org)
    with CaptureQueriesContext(connection) as second:
        assert _figures(org) == before
    assert len(second.captured_queries) == len(first.captured_queries) - 1


def test_a_new_activity_shows_at_once(org, status_data):
    today = status_data.today
    assert _figures(org) == (3, 1, 1, today + timedelta(days=10))
    _activity(status_data.plans.a, org, "ny", days=2)
    assert _figures(org) == (4, 1, 1, today + timedelta(days=2))


def test_an_activity_marked_done_shows_at_once(org, status_data):
    today = status_data.today
    assert _figures(org) == (3, 1, 1, today + timedelta(days=10))
    services.activity_outcome_save(activity=status_data.activities.a2, outcome="Godt møde", done=True)
    assert _figures(org) == (3, 2, 0, today + timedelta(days=10))


def test_an_activity_moved_or_cancelled_shows_at_once(org, status_data):
    today = status_data.today
    a2, a3 = status_data.activities.a2, status_data.activities.a3
    assert _figures(org) == (3, 1, 1, today + timedelta(days=10))
    services.activity_update(activity=a2, data=_activity_data(a2, date=today + timedelta(days=3)))
    assert _figures(org) == (3, 1, 0, today + timedelta(days=3))
    a3.refresh_from_db()
    services.activity_update(activity=a3, data=_activity_data(a3, status=Activity.Status.AFLYST))
    assert _figures(org) == (2, 1, 0, today + timedelta(days=3))


def test_a_removed_activity_shows_at_once(org, status_data):
    today = status_data.today
    assert _figures(org, "leader3") == (1, 0, 0, today + timedelta(days=5))
    services.activity_delete(activity=status_data.activities.c1)
    assert _figures(org, "leader3") == (0, 0, 0, None)


def test_the_plans_state_shows_at_once(org, status_data):
    """A completed plan has nothing overdue and nothing next (the state is in the key, also
    when it is changed without a service, as the admin's list action may)."""
    assert _figures(org)[2:] == (1, status_data.today + timedelta(days=10))
    set_state(status_data.plans.a, Plan.State.AFSLUTTET)
    assert _figures(org)[2:] == (0, None)


def test_the_next_day_counts_afresh(org, status_data):
    today = status_data.today
    assert _figures(org, today=today) == (3, 1, 1, today + timedelta(days=10))
    # Eleven days on: a3 (in 10 days) is overdue too, and nothing is next.
    assert _figures(org, today=today + timedelta(days=11)) == (3, 1, 2, None)


def test_the_front_page_shows_a_new_activity_at_once(client, org, status_data):
    client.force_login(org.users["leader"])
    html = client.get("/").content.decode()
    assert "1 / 3" in html
    _activity(status_data.plans.a, org, "ny", days=2)
    html = client.get("/").content.decode()
    assert "1 / 4" in html and "1 / 3" not in html


# --- An employee's unit plan: what it says per theme (ledelse.status.taking_part._agreed) ----------


def _employee_page(client, org) -> str:
    client.force_login(org.users["employee"])
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_text_saved_in_the_units_plan_shows_at_once(client, org, status_data):
    plan = status_data.plans.a1  # the employee's unit's plan
    set_state(plan, Plan.State.KLADDE)
    theme = status_data.themes[0]
    services.plan_translation_save(plan=plan, texts={theme.pk: "Vi taler om tillid."}, focus_principles=[])
    assert "Vi taler om tillid." in _employee_page(client, org)
    plan.refresh_from_db()
    services.plan_translation_save(plan=plan, texts={theme.pk: "Vi taler om ansvar."}, focus_principles=[])
    html = _employee_page(client, org)
    assert "Vi taler om ansvar." in html and "Vi taler om tillid." not in html


def test_a_text_changed_in_the_admin_shows_at_once(client, org, status_data):
    """The admin changes the row and names the plan (services.plan_changed_outside)."""
    from dialogues.models import PlanTranslation

    plan, theme = status_data.plans.a1, status_data.themes[0]
    PlanTranslation.objects.create(plan=plan, theme=theme, text="Vi taler om tillid.")
    services.plan_changed_outside(plan_ids=[plan.pk])
    assert "Vi taler om tillid." in _employee_page(client, org)
    PlanTranslation.objects.filter(plan=plan, theme=theme).update(text="Vi taler om ansvar.")
    services.plan_changed_outside(plan_ids=[plan.pk])
    html = _employee_page(client, org)
    assert "Vi taler om ansvar." in html and "Vi taler om tillid." not in html


def test_a_theme_retitled_in_its_framework_shows_at_once(client, org, status_data):
    """A change to the framework version's text bumps its `changed_at` (values.services)."""
    from dialogues.models import PlanTranslation
    from values.models import FrameworkVersion

    plan, theme = status_data.plans.a1, status_data.themes[0]
    PlanTranslation.objects.create(plan=plan, theme=theme, text="Vi taler om tillid.")
    services.plan_changed_outside(plan_ids=[plan.pk])
    assert f"<dt>{theme.heading}</dt>" in _employee_page(client, org)
    type(theme).objects.filter(pk=theme.pk).update(title="Et nyt navn")
    FrameworkVersion.objects.filter(pk=theme.version_id).update(changed_at=timezone.now())
    assert "<dt>Et nyt navn</dt>" in _employee_page(client, org)


def test_what_the_plan_says_is_read_from_the_cache_the_second_time(client, org, status_data):
    from dialogues.models import PlanTranslation

    plan, theme = status_data.plans.a1, status_data.themes[0]
    PlanTranslation.objects.create(plan=plan, theme=theme, text="Vi taler om tillid.")
    _employee_page(client, org)
    with CaptureQueriesContext(connection) as ctx:
        _employee_page(client, org)
    assert not any('FROM "dialogues_plantranslation"' in q["sql"] for q in ctx.captured_queries)
