"""leader2 makes a plan with two activities and submits it; leader (leader2's own leader)
approves it; employee reads it and finds no way to edit it."""

from __future__ import annotations

import pytest

from dialogues.models import Plan
from tests.dialogues.conftest import framework, rollout  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_activity(page, title: str, kind: str, day: str, principle: str) -> None:
    page.get_by_role("link", name="Tilføj en aktivitet").click()
    page.select_option("select[name=kind]", label=kind)
    page.fill("input[name=title]", title)
    page.fill("textarea[name=description]", "Vi tager afsæt i dialogkortene.")
    page.get_by_label(principle).check()
    page.fill("input[name=date]", day)
    page.fill("input[name=start_time]", "09:00")
    page.fill("input[name=end_time]", "10:30")
    page.get_by_role("button", name="Gem aktiviteten").click()
    page.wait_for_load_state()
    assert "Aktiviteten er gemt." in page.content()


def test_a_plan_is_made_submitted_approved_and_read(org, rollout, page, live_server, sign_in):  # noqa: F811
    sign_in("leader2")
    page.get_by_role("link", name="Din enheds plan").first.click()
    # No plan yet: the shortcut leads to the rollout, where the unit shows "ingen plan".
    assert page.locator("h1").inner_text() == "Udrulning 2026"
    page.get_by_role("link", name="Opret plan for Afdeling A1").click()
    page.get_by_role("button", name="Opret planen").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Plan for Afdeling A1"

    page.get_by_role("link", name="Redigér oversættelsen").click()
    page.get_by_role("textbox", name="Tema 1").fill("Hos os betyder det, at vi spørger før vi beslutter.")
    page.get_by_label("Princip 1.1").check()
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state()
    assert "Hos os betyder det, at vi spørger før vi beslutter." in page.content()

    _add_activity(page, "Dialog i ledergruppen", "Dialog i ledergruppen", "2026-09-15", "Princip 1.1")
    _add_activity(page, "Personalemøde om tillid", "Personalemøde", "2026-10-06", "Princip 2.2")
    page.get_by_role("link", name="Tjek og indsend planen").click()
    assert page.locator("h1").inner_text() == "Tjek din plan"
    page.get_by_role("button", name="Indsend til godkendelse").click()
    page.wait_for_load_state()
    assert "Planen er indsendt til godkendelse." in page.content()
    plan = Plan.objects.get()
    assert plan.state == "indsendt" and plan.activities.count() == 2
    page.get_by_role("button", name="Log af").first.click()

    sign_in("leader")
    page.goto(f"{live_server.url}/planer/{plan.pk}/")
    page.get_by_role("button", name="Godkend planen").click()
    page.wait_for_load_state()
    assert "Planen er godkendt." in page.content()
    plan.refresh_from_db()
    assert plan.state == "godkendt"
    history = page.locator(".plan-history li")
    assert history.count() == 3 and "Lene Leder" in history.nth(2).inner_text()
    page.get_by_role("button", name="Log af").first.click()

    sign_in("employee")
    page.goto(f"{live_server.url}/planer/")
    page.get_by_role("link", name="Afdeling A1").click()
    assert page.locator("h1").inner_text() == "Plan for Afdeling A1"
    assert page.get_by_text("Personalemøde om tillid").first.is_visible()
    for name in ("Tilføj en aktivitet", "Redigér oversættelsen", "Skift medejere"):
        assert page.get_by_role("link", name=name).count() == 0, name
    assert page.locator("main form[method=post]").count() == 0
    assert (
        page.locator(
            "a[href*='/rediger'], a[href*='/aktiviteter/']:not([href$='.ics']):not([href$='.pdf']):not([href$='.pptx']):not([href$='/praesentation/']):not([href$='/spoergsmaal/'])"
        ).count()
        == 0
    )
    # The invitation is there for everyone who reads the plan.
    assert page.locator("a[href$='kalender.ics']").count() == 2
