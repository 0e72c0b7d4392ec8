"""Two co-owners edit the plan's translation at once in two browsers (issue 17): the second
save shows what the first one changed meanwhile, with a choice per field, and saving again
keeps both; the conflict page passes axe. A double click on "Gem aktiviteten" makes one
activity."""

from __future__ import annotations

import pytest

from dialogues import services
from dialogues.models import Activity, Plan
from tests.browser.test_accessibility import _violations
from tests.conftest import browser_sign_in
from tests.dialogues.conftest import framework, rollout  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, username: str, *, bypass_csp: bool = False):
    context = browser.new_context(locale="da-DK", bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_sign_in(page, live_server, username)
    return context, page


@pytest.fixture
def plan(org, rollout):  # noqa: F811
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    return plan


def test_the_second_co_owner_sees_the_first_ones_change_and_keeps_both(org, plan, browser, live_server):
    url = f"{live_server.url}/planer/{plan.pk}/oversaettelse/"
    owner_context, owner = _signed_in(browser, live_server, "leader2")
    co_context, co_owner = _signed_in(browser, live_server, "employee", bypass_csp=True)
    try:
        owner.goto(url)
        co_owner.goto(url)
        owner.get_by_role("textbox", name="Tema 1 (frivilligt)").fill("Ejerens ord om tema 1")
        owner.get_by_role("button", name="Gem").click()
        owner.wait_for_load_state()
        assert "Oversættelsen er gemt." in owner.content()

        co_owner.get_by_role("textbox", name="Tema 2 (frivilligt)").fill("Medejerens ord om tema 2")
        co_owner.get_by_role("button", name="Gem").click()
        co_owner.wait_for_load_state()
        assert co_owner.get_by_role("heading", name="En anden har gemt, mens du redigerede").is_visible()
        assert "Ejerens ord om tema 1" in co_owner.content()
        assert co_owner.get_by_label("Tag den andens").is_checked()
        assert _violations(co_owner) == []
        co_owner.get_by_role("button", name="Gem").click()
        co_owner.wait_for_load_state()
        assert "Oversættelsen er gemt." in co_owner.content()
    finally:
        owner_context.close()
        co_context.close()
    texts = set(Plan.objects.get(pk=plan.pk).translations.values_list("text", flat=True))
    assert texts == {"Ejerens ord om tema 1", "Medejerens ord om tema 2"}


def test_a_double_click_on_save_makes_one_activity(org, plan, browser, live_server):
    context, page = _signed_in(browser, live_server, "leader2")
    try:
        page.goto(f"{live_server.url}/planer/{plan.pk}/aktiviteter/ny/")
        page.fill("input[name=title]", "Dialog om mod")
        page.get_by_role("button", name="Gem aktiviteten").dblclick()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert Activity.objects.filter(plan=plan).count() == 1
