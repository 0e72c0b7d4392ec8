"""leader2 holds the dialogue from the screen: steps through the cards with the keyboard
(arrow keys, Page Down, space, as a clicker sends them), runs the timer, and writes what
came out of it into the plan's activity."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from dialogues import services
from dialogues.models import Activity
from tests.dialogues.conftest import activity_data, framework, plan, principles, rollout  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


def test_the_cards_are_presented_with_the_keyboard_and_the_outcome_saved(
    org,
    plan,  # noqa: F811
    principles,  # noqa: F811
    page,
    live_server,
    sign_in,
):
    activity = services.activity_create(
        plan=plan,
        data=activity_data(org, title="Dialog om tillid", principles=(principles[0], principles[1], principles[2])),
    )
    sign_in("leader2")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/planer/{plan.pk}/")
    page.get_by_role("link", name="Vis kortene til “Dialog om tillid” på skærmen").click()
    visible = page.locator("[data-slide]:visible")
    expect(page.locator("#deck-count")).to_have_text("1 / 4")  # once the deferred script ran
    assert visible.locator("h1").inner_text() == "Princip 1.1"
    _shot(page, "presentation-1")
    page.keyboard.press("ArrowRight")
    assert visible.locator("h1").inner_text() == "Princip 1.2"
    page.keyboard.press("PageDown")
    assert visible.locator("h1").inner_text() == "Princip 2.1"
    page.keyboard.press("PageUp")
    assert visible.locator("h1").inner_text() == "Princip 1.2"
    page.select_option("#deck-timer", "3")
    assert page.locator("#deck-clock").is_visible()
    assert page.locator("#deck-clock").inner_text() in ("3:00", "2:59")
    _shot(page, "presentation-timer")
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    assert page.locator("#deck-count").inner_text() == "4 / 4"
    assert page.locator("#deck-clock").is_hidden()  # no timer on the outcome
    page.get_by_label("Hvad kom der ud af det?").fill("Vi aftalte at øve åben feedback hver uge.")
    page.keyboard.press("ArrowLeft")  # typing in the form does not move the slide
    assert page.locator("#deck-count").inner_text() == "4 / 4"
    page.get_by_label("Markér aktiviteten som gennemført").check()
    _shot(page, "presentation-outcome")
    page.get_by_role("button", name="Gem i planen").click()
    page.wait_for_load_state()
    assert "Udbyttet er gemt i planen." in page.content()
    activity.refresh_from_db()
    assert activity.outcome == "Vi aftalte at øve åben feedback hver uge."
    assert activity.status == Activity.Status.GENNEMFOERT
