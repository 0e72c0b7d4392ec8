"""The presentation mode in a meeting room and on a phone (issue 22): Escape leaves it, at
390 px the counter stays on one line and the footnote shows, and an activity's presentation
of one card fills the screen.

Set SCREENSHOT_DIR=/some/folder to keep the screenshots."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues import services
from values.models import Framework, Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")
RN = "rn-ledelsesgrundlaget"


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


@pytest.fixture
def one_card(org):
    """An activity of leader2's plan on Ledelsesgrundlaget with one principle."""
    call_command("load_frameworks", verbosity=0)
    Framework.objects.filter(slug=RN).update(region=org.region)
    framework = Framework.objects.select_related("current_version").get(slug=RN)
    version = framework.current_version
    rollout = services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Ledelsesgrundlaget 2026",
            scope_unit=org.units["RT"],
            framework_version=version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    activity = services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="dialog_ledergruppe",
            title="Dialog om at skifte gear",
            responsible=org.people["leader2"],
            principles=(Item.objects.get(version=version, key="vi-skifter-gear"),),
        ),
    )
    return plan, activity


def _open(page, live_server, plan, activity, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/planer/{plan.pk}/aktiviteter/{activity.pk}/praesentation/")
    expect(page.locator("#deck-count")).to_have_text("1 / 2")


def test_one_card_fills_the_screen(org, one_card, page, live_server, sign_in):
    plan, activity = one_card
    sign_in("leader2")
    _open(page, live_server, plan, activity, 1280, 720)
    _shot(page, "one-card-1280")
    slide = page.locator("[data-slide]:visible").bounding_box()
    text = page.locator("[data-slide]:visible .slide__text").bounding_box()
    questions = page.locator("[data-slide]:visible .slide__questions").bounding_box()
    viewport = page.viewport_size
    assert slide["width"] > viewport["width"] * 0.9 and slide["height"] > viewport["height"] * 0.7
    # The text starts at the slide's left and the two columns share the width between them.
    assert text["x"] - slide["x"] < slide["width"] * 0.08
    assert text["width"] + questions["width"] > slide["width"] * 0.8
    # The text is large enough to fill a meeting room's screen, not a strip at the top.
    heading = page.locator("[data-slide]:visible .slide__heading").bounding_box()
    assert heading["height"] > 40
    # ... and all of it shows without scrolling, the footnote included.
    assert page.locator("[data-slide]:visible").evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    expect(page.locator("[data-slide]:visible .slide__own")).to_be_in_viewport()


def test_escape_leaves_the_presentation(org, one_card, page, live_server, sign_in):
    plan, activity = one_card
    sign_in("leader2")
    _open(page, live_server, plan, activity, 1280, 720)
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: "/praesentation/" not in url)
    assert page.url.endswith(f"/planer/{plan.pk}/#aktivitet-{activity.pk}")


def test_at_390_px_the_counter_is_one_line_and_the_footnote_shows(org, one_card, page, live_server, sign_in):
    plan, activity = one_card
    sign_in("leader2")
    _open(page, live_server, plan, activity, 390, 844)
    _shot(page, "one-card-390")
    count = page.locator("#deck-count")
    # The text "1 / 2" lies on one line: one rectangle, not one per line.
    lines = count.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    )
    assert lines == 1
    footnote = page.locator("[data-slide]:visible .slide__own")
    footnote.scroll_into_view_if_needed()
    expect(footnote).to_be_visible()
    assert footnote.inner_text().startswith("Spørgsmålene er skrevet til intranettet")
    box = footnote.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844
    _shot(page, "one-card-390-footnote")
