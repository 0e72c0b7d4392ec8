"""The høring in a real browser on a phone-sized screen, axe-core on every new page: leader2
sends the draft for comments to the unit's employees; employee is told, follows the notice
and comments on two themes; leader2 answers both, closes the hearing and submits; leader
reads the comments and the answers beside the themes and approves.

Each journey runs at one width, alternating between journeys (the hearing and the questions
at 390 px, MED at 1280 px); test_accessibility walks its pages at both widths."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import HearingComment, Plan
from tests.browser.test_accessibility import _violations
from tests.conftest import browser_sign_in
from tests.dialogues.conftest import activity_data, framework, rollout  # noqa: F401 - fixtures
from values.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_page(browser):
    # Django's CSP forbids injected scripts; axe is injected by the test only.
    context = browser.new_context(locale="da-DK", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _axe(page, problems: dict, name: str) -> None:
    found = _violations(page)
    if found:
        problems[name] = found


def _fits(page) -> None:
    """Nothing wider than the screen (no sideways scrolling on a phone)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390])
def test_a_hearing_from_opening_to_approval(org, rollout, axe_page, live_server, width):  # noqa: F811
    page, problems = axe_page, {}
    page.set_viewport_size({"width": width, "height": 900})
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    themes = list(Item.objects.filter(version_id=rollout.framework_version_id, kind="theme").order_by("position"))
    services.plan_translation_save(
        plan=plan,
        texts={themes[0].pk: "Vi spørger, før vi beslutter.", themes[1].pk: "Vi deler det, vi lærer."},
        focus_principles=[],
    )
    services.activity_create(plan=plan, data=activity_data(org, date=date(2026, 12, 20)))
    plan_url = f"{live_server.url}/planer/{plan.pk}/"

    # leader2 sends the draft for comments.
    browser_sign_in(page, live_server, "leader2")
    page.goto(plan_url)
    page.get_by_role("link", name="Send i høring").click()
    assert page.locator("h1").inner_text() == "Send i høring"
    _axe(page, problems, "send i høring")
    page.get_by_label("Enhedens medarbejdere (1 personer)").check()
    closes_on = timezone.localdate() + timedelta(days=5)
    page.fill("input[name=closes_on]", closes_on.isoformat())
    page.get_by_role("button", name="Send i høring").click()
    page.wait_for_load_state()
    assert "Planen er sendt i høring. De inviterede har fået besked." in page.content()
    _fits(page)

    # employee is told, follows the notice and comments on two themes.
    browser_sign_in(page, live_server, "employee")
    page.goto(f"{live_server.url}/notifikationer/")
    page.get_by_role("link", name="Lars Leder To beder om dine kommentarer til planen for Afdeling A1").first.click()
    page.wait_for_load_state()
    assert "Du er inviteret til at kommentere planen." in page.content()
    _axe(page, problems, "planen (medarbejder)")
    _fits(page)
    for theme, text in zip(themes[:2], ("Husk nattevagterne.", "Kan vi dele det på tavlemødet?"), strict=True):
        page.get_by_label(f"Din kommentar til “{theme.heading}”").fill(text)
        page.get_by_role("button", name=re.compile(f"Gem kommentaren.*{theme.heading}")).click()
        page.wait_for_load_state()
        assert "Din kommentar er gemt." in page.content()
    assert HearingComment.objects.filter(author=org.people["employee"]).count() == 2
    hearing = plan.hearings.get()
    page.goto(f"{live_server.url}/planer/{plan.pk}/hoering/{hearing.pk}/tema/{themes[0].pk}/")
    _axe(page, problems, "kommentarside")

    # leader2 answers both, closes the hearing and submits the plan.
    browser_sign_in(page, live_server, "leader2")
    page.goto(plan_url)
    _axe(page, problems, "planen (ejer)")
    _fits(page)
    for comment, answer in zip(
        HearingComment.objects.order_by("created_at"), ("Godt punkt, vi retter det.", "Ja, det gør vi."), strict=True
    ):
        page.fill(f"#svar-{comment.pk}", answer)
        page.locator(f"#kommentar-{comment.pk}").get_by_role("button", name="Gem svaret").click()
        page.wait_for_load_state()
        assert "Dit svar er gemt, og Emil Medarbejder har fået besked." in page.content()
    first = HearingComment.objects.order_by("created_at").first()
    page.goto(f"{live_server.url}/planer/{plan.pk}/hoering/kommentarer/{first.pk}/svar/")
    _axe(page, problems, "svarside")
    page.goto(plan_url)
    page.get_by_role("button", name="Luk høringen nu").click()
    page.wait_for_load_state()
    assert "Høringen er lukket." in page.content()
    assert "(2 kommentarer)" in page.locator(".plan-history").inner_text()
    page.get_by_role("link", name="Tjek og indsend planen").click()
    page.get_by_role("button", name="Indsend til godkendelse").click()
    page.wait_for_load_state()
    assert "Planen er indsendt til godkendelse." in page.content()

    # leader sees the comments and the answers beside the themes, and approves.
    browser_sign_in(page, live_server, "leader")
    page.goto(plan_url)
    body = page.locator("main").inner_text()
    for text in (
        "Husk nattevagterne.",
        "Godt punkt, vi retter det.",
        "Kan vi dele det på tavlemødet?",
        "Ja, det gør vi.",
    ):
        assert text in body, text
    _axe(page, problems, "planen (godkender)")
    _fits(page)
    page.get_by_role("button", name="Godkend planen").click()
    page.wait_for_load_state()
    assert "Planen er godkendt." in page.content()
    assert Plan.objects.get(pk=plan.pk).state == "godkendt"
    assert problems == {}
