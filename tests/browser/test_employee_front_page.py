"""An employee's front page in a real browser, on a desktop and a phone: the unit's plan and
what it agreed, the activity they are invited to with its calendar file, their MED seat and
a question for the unit; no LUS in the menu; axe (WCAG 2 A and AA) finds nothing."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from tests.browser.test_accessibility import _violations
from tests.conftest import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _unit_with_a_plan(org):
    from dialogues import services
    from dialogues.models import Plan, PlanTranslation
    from ledelse.services import med_committee_set, med_memberships_set
    from tests.values.factories import make_framework
    from values.models import Item, ReflectionQuestion

    framework = make_framework(region="Region Test")
    version = framework.current_version
    items = list(Item.objects.filter(version=version))
    ReflectionQuestion.objects.bulk_create(
        ReflectionQuestion(item=i, text=f"Hvad betyder {i.key} for os?") for i in items
    )
    today = timezone.localdate()
    rollout = services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Udrulning 2026",
            scope_unit=org.units["RT"],
            framework_version=version,
            starts_on=today - timedelta(days=30),
            deadline=today + timedelta(days=60),
        ),
    )
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    themes = [i for i in items if i.kind == Item.Kind.THEME]
    PlanTranslation.objects.create(
        plan=plan, theme=themes[0], text="Vi tager den svære samtale tidligt og taler med hinanden, ikke om hinanden."
    )
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.GODKENDT)
    plan.refresh_from_db()
    services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="dialog_ledergruppe",
            title="Personalemøde om tillid",
            responsible=org.people["leader2"],
            participants=(org.people["employee"],),
            date=today + timedelta(days=7),
            start_time=time(14, 0),
            end_time=time(15, 0),
            location="Mødelokale 3, Afdeling A1",
        ),
    )
    committee = med_committee_set(unit=org.units["A1"], kind="lokal", name="Lokal-MED, Afdeling A1")
    med_memberships_set(
        committee=committee, seats=[(org.people["leader2"], "formand"), (org.people["employee"], "naestformand")]
    )
    return plan


@pytest.fixture
def axe_page(browser):
    # Django's CSP forbids injected scripts; axe is injected by the test only.
    context = browser.new_context(locale="da-DK", bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_an_employee_sees_what_they_take_part_in_and_the_page_passes_axe(org, axe_page, live_server, width):
    _unit_with_a_plan(org)
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(page, live_server, "employee")
    main = page.locator("main")
    assert main.get_by_role("heading", name="Din enheds plan").is_visible()
    assert main.get_by_role("link", name="Afdeling A1 – Udrulning 2026").is_visible()
    assert main.get_by_text("Vi tager den svære samtale tidligt").is_visible()
    assert main.get_by_role("link", name="Personalemøde om tillid", exact=True).is_visible()
    assert main.get_by_role("link", name="Føj “Personalemøde om tillid” til din kalender").is_visible()
    assert main.get_by_text("Lokal-MED, Afdeling A1: Næstformand").is_visible()
    assert main.get_by_role("heading", name="Et spørgsmål til din enhed").is_visible()
    assert "Intet venter på dig lige nu" not in page.content()
    assert page.locator('a[href="/lus/"]').count() == 0  # no LUS in the menu for her
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/employee-front-page-{width}.png", full_page=True)
    assert _violations(page) == []
    # The invitation is a calendar file she may download.
    with page.expect_download() as download:
        main.get_by_role("link", name="Føj “Personalemøde om tillid” til din kalender").click()
    assert download.value.suggested_filename.endswith(".ics")
