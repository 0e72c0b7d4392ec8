"""Issue 19 walked in a real browser, at 1280 and 390 px, with a screenshot of each step in
PLAN_SHOTS (default /tmp/plan-shots):

leader2 (owner) writes, copies another unit's text side by side, makes employee responsible
for an activity, checks and submits; leader (approver) sends back with a comment; leader2
sees it at the top, answers and resubmits; leader sees the answer and what changed, and
approves with a comment; employee opens their activity and records the outcome; leader3
(outsider in the region) cannot manage co-owners; hr and koncern find the rollouts in the
menu and filter the units.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Plan
from tests.dialogues.conftest import framework, rollout  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("PLAN_SHOTS", "/tmp/plan-shots"))
WIDTHS = {"wide": 1280, "narrow": 390}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        # Nothing is cut off: the page is never wider than the window.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (name, label)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_out(page) -> None:
    page.get_by_role("button", name="Log af").first.click()
    page.wait_for_load_state()


@pytest.fixture
def other_plan(org, rollout):  # noqa: F811
    """Hospital B's plan, with text under both themes: the one leader2 copies from."""
    plan = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    themes = list(rollout.framework_version.items.filter(kind="theme").order_by("position"))
    services.plan_translation_save(
        plan=plan,
        texts={themes[0].pk: "Hospital B's ord om tema 1.", themes[1].pk: "Hospital B om tema 2."},
        focus_principles=[],
    )
    return plan


def test_the_plan_journey_of_issue_19(org, rollout, other_plan, page, live_server, sign_in):  # noqa: F811
    base = live_server.url
    mine = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    day = (timezone.localdate() + timedelta(days=11)).isoformat()

    # --- leader2, the owner -----------------------------------------------------------------------
    sign_in("leader2")
    page.goto(f"{base}/planer/{mine.pk}/oversaettelse/")
    page.get_by_role("textbox", name="Tema 1").fill("Vores egne ord om tema 1.")
    page.get_by_label("Tema 2", exact=True).first.check()  # a theme itself can be in focus
    _shot(page, "01-translation-form")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state()

    # Copy Hospital B's translation: the written theme is shown side by side, the empty one filled.
    page.goto(f"{base}/planer/{other_plan.pk}/")
    page.get_by_role("button", name="Kopiér").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Kopiér en oversættelse"
    _shot(page, "02-copy-side-by-side")
    page.get_by_label("Behold din egen tekst").check()
    page.get_by_role("button", name="Kopiér").click()
    page.wait_for_load_state()
    assert "Vores egne ord om tema 1." in page.content() and "Hospital B om tema 2." in page.content()

    # An activity with employee responsible, then the co-owners page (only people near).
    page.get_by_role("link", name="Tilføj en aktivitet").click()
    page.select_option("select[name=kind]", label="Personalemøde")
    page.fill("input[name=title]", "Personalemøde om dialog")
    page.select_option("select[name=responsible]", label="Emil Medarbejder, Afdeling A1")
    page.fill("input[name=date]", day)
    _shot(page, "03-activity-form")
    page.get_by_role("button", name="Gem aktiviteten").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Skift medejere").click()
    assert page.get_by_label("Lise Leder Tre, Hospital B").count() == 0
    _shot(page, "04-co-owners")
    page.goto(f"{base}/planer/{mine.pk}/")

    page.get_by_role("link", name="Tjek og indsend planen").click()
    assert page.locator("h1").inner_text() == "Tjek din plan"
    _shot(page, "05-check-your-plan")
    page.get_by_role("button", name="Indsend til godkendelse").click()
    page.wait_for_load_state()
    assert "Planen er indsendt til godkendelse." in page.content()
    _shot(page, "06-submitted-owner")
    _sign_out(page)

    # --- leader, the approver: sends back ------------------------------------------------------------
    sign_in("leader")
    page.goto(f"{base}/planer/{mine.pk}/")
    page.get_by_role("link", name="Send tilbage med en kommentar").click()
    page.get_by_role("button", name="Send tilbage").click()
    page.wait_for_load_state()
    assert "så ejerne ved, hvad de skal ændre" in page.content()
    page.get_by_role("textbox", name="Kommentar til ejerne").fill("Skriv mere om, hvordan MED-udvalget er med.")
    page.get_by_role("button", name="Send tilbage").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Tjek og indsend planen").count() == 0  # not the approver's step
    _shot(page, "07-sent-back-approver")
    _sign_out(page)

    # --- leader2 sees the comment at the top, changes the plan and answers ------------------------------
    sign_in("leader2")
    page.goto(f"{base}/planer/{mine.pk}/")
    assert "Skriv mere om, hvordan MED-udvalget er med." in page.locator(".plan-sent-back").inner_text()
    _shot(page, "08-sent-back-owner")
    page.get_by_role("link", name="Redigér oversættelsen").click()
    page.get_by_role("textbox", name="Tema 1").fill("Vores egne ord om tema 1, også i MED-udvalget.")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state()
    assert "Tidligere tekst (1)" in page.content()
    page.get_by_role("link", name="Tjek og indsend planen").click()
    page.get_by_role("textbox", name="Dit svar på kommentaren").fill("MED-udvalget er nu med under tema 1.")
    page.get_by_role("button", name="Indsend til godkendelse").click()
    page.wait_for_load_state()
    _sign_out(page)

    # --- leader sees the answer and the change, and approves with a comment --------------------------
    sign_in("leader")
    page.goto(f"{base}/planer/{mine.pk}/")
    changes = page.locator(".plan-changes").inner_text()
    assert "MED-udvalget er nu med under tema 1." in changes and "også i MED-udvalget" in changes
    _shot(page, "09-changes-approver")
    page.get_by_role("textbox", name="Kommentar til ejerne").fill("Fin plan.")
    page.get_by_role("button", name="Godkend planen").click()
    page.wait_for_load_state()
    mine.refresh_from_db()
    assert mine.state == Plan.State.GODKENDT
    _sign_out(page)

    # --- employee: told, opens the activity, records the outcome -----------------------------------
    sign_in("employee")
    page.goto(f"{base}/notifikationer/")
    _shot(page, "10-employee-notifications")
    page.get_by_role(
        "link", name="Du er ansvarlig for “Personalemøde om dialog” i planen for Afdeling A1"
    ).first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=title]").count() == 0
    page.get_by_role("textbox", name="Hvad kom der ud af det").fill("Vi aftalte tre ting.")
    page.get_by_label("Markér aktiviteten som gennemført").check()
    page.get_by_role("button", name="Gem, hvad der kom ud af det").click()
    page.wait_for_load_state()
    assert "den kan markeres som gennemført fra den dag" in page.content()  # its day has not come
    _shot(page, "11-employee-outcome-refused")
    page.get_by_label("Markér aktiviteten som gennemført").uncheck()
    page.get_by_role("button", name="Gem, hvad der kom ud af det").click()
    page.wait_for_load_state()
    assert mine.activities.get().outcome == "Vi aftalte tre ting."
    _sign_out(page)

    # --- leader3: reads the plan, may not manage co-owners --------------------------------------------
    sign_in("leader3")
    page.goto(f"{base}/planer/{mine.pk}/")
    assert page.get_by_role("link", name="Skift medejere").count() == 0
    response = page.goto(f"{base}/planer/{mine.pk}/medejere/")
    assert response.status == 403
    page.goto(f"{base}/planer/{mine.pk}/")
    _shot(page, "12-outsider-reads")
    _sign_out(page)

    # --- hr and koncern find the rollouts in the menu and filter the units ---------------------------
    for who in ("hr", "koncern"):
        sign_in(who)
        page.locator("nav").get_by_role("link", name="Udrulninger").first.click()
        page.get_by_role("link", name="Udrulning 2026").click()
        page.get_by_role("textbox", name="Enhedens navn").fill("afsnit")
        page.get_by_role("button", name="Find").click()
        page.wait_for_load_state()
        assert page.locator("table.rollout-units tbody tr").count() == 1
        _shot(page, f"13-rollout-{who}")
        _sign_out(page)
