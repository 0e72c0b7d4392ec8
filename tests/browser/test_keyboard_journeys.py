"""The plan and the LUS preparation with the keyboard alone: every field is reached with Tab
(and Shift+Tab), options are chosen with keys, buttons and links are pressed with Enter or
Space, and the focused control shows where the focus is. No clicks, no fill(): page.goto
starts each page, everything else is keyboard.press and keyboard.type."""

from __future__ import annotations

import pytest

from dialogues.models import Activity, Plan, PlanTranslation
from lus.models import Preparation
from tests.conftest import PASSWORD
from tests.dialogues.conftest import framework, rollout  # noqa: F401 - fixtures
from tests.lus.conftest import make_lus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_FOCUSED = """([selector, text]) => {
    const el = document.activeElement;
    if (!el || !el.matches(selector)) return false;
    if (!text) return true;
    const label = el.labels && el.labels.length ? [...el.labels].map(l => l.textContent).join(' ') : '';
    return (el.textContent + ' ' + label + ' ' + (el.value || '')).includes(text);
}"""

_FOCUS_SHOWN = """() => {
    const s = getComputedStyle(document.activeElement);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
}"""


def tab_to(page, selector: str, text: str = "", *, backwards: bool = False, limit: int = 250) -> None:
    """Press Tab (Shift+Tab) until the focus is on `selector` (whose text or label holds
    `text`); fail when it cannot be reached."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(_FOCUSED, [selector, text]):
            return
    raise AssertionError(f"{selector} {text!r} cannot be reached with {key}")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def assert_focus_shown(page) -> None:
    assert page.evaluate(_FOCUS_SHOWN), page.evaluate("() => document.activeElement.outerHTML")


def sign_in_with_keyboard(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(username)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    press_and_wait(page, "Enter")
    assert "/accounts/login/" not in page.url


def test_a_plan_is_started_translated_given_an_activity_and_submitted_with_the_keyboard(
    org,
    rollout,  # noqa: F811
    page,
    live_server,
):
    sign_in_with_keyboard(page, live_server, "leader2")
    page.goto(f"{live_server.url}/planer/udrulninger/{rollout.pk}/")
    tab_to(page, "a", "Opret plan for Afdeling A1")
    press_and_wait(page, "Enter")
    tab_to(page, "button[type=submit]", "Opret planen")
    assert_focus_shown(page)
    press_and_wait(page, "Space")
    plan = Plan.objects.get()

    # The local translation: a text for each theme, a principle in focus.
    tab_to(page, "a", "Redigér oversættelsen")
    press_and_wait(page, "Enter")
    tab_to(page, "textarea", "Tema 1")
    page.keyboard.type("Hos os spørger vi, før vi beslutter.")
    tab_to(page, "textarea", "Tema 2")
    page.keyboard.type("Vi giver plads til at prøve noget nyt.")
    tab_to(page, "textarea", "Tema 1", backwards=True)  # back to correct the first
    page.keyboard.press("End")
    page.keyboard.type(" Altid.")
    tab_to(page, "input[type=checkbox]", "Princip 1.1")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]", "Gem")
    assert_focus_shown(page)
    press_and_wait(page, "Enter")
    assert "Oversættelsen er gemt." in page.content()
    texts = sorted(PlanTranslation.objects.filter(plan=plan).values_list("text", flat=True))
    assert texts == ["Hos os spørger vi, før vi beslutter. Altid.", "Vi giver plads til at prøve noget nyt."]
    assert [p.title for p in plan.focus_principles.all()] == ["Princip 1.1"]

    # An activity: the kind chosen with the arrow keys, a title, a principle, a status by letter.
    tab_to(page, "a", "Tilføj en aktivitet")
    press_and_wait(page, "Enter")
    tab_to(page, "select[name=kind]")
    first_kind = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("ArrowDown")
    chosen_kind = page.evaluate("() => document.activeElement.value")
    assert chosen_kind != first_kind
    tab_to(page, "input[name=title]")
    page.keyboard.type("Dialog i ledergruppen")
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("Vi tager afsæt i dialogkortene.")
    tab_to(page, "input[type=checkbox]", "Princip 1.1")
    page.keyboard.press("Space")
    tab_to(page, "input[name=location]")
    page.keyboard.type("Mødelokale 2")
    tab_to(page, "button[type=submit]", "Gem aktiviteten")
    assert_focus_shown(page)
    press_and_wait(page, "Space")
    assert "Aktiviteten er gemt." in page.content()
    activity = Activity.objects.get(plan=plan)
    assert (activity.kind, activity.title, activity.location) == (chosen_kind, "Dialog i ledergruppen", "Mødelokale 2")
    assert [p.title for p in activity.principles.all()] == ["Princip 1.1"]

    tab_to(page, "a", "Tjek og indsend planen")
    press_and_wait(page, "Enter")
    tab_to(page, "button[type=submit]", "Indsend til godkendelse")
    assert_focus_shown(page)
    press_and_wait(page, "Enter")
    assert "Planen er indsendt til godkendelse." in page.content()
    plan.refresh_from_db()
    assert plan.state == "indsendt"


def test_a_lus_preparation_is_made_and_shared_with_the_keyboard(org, page, live_server):
    lus = make_lus(org)
    conversation = lus.conversation
    sign_in_with_keyboard(page, live_server, "leader2")
    page.goto(f"{live_server.url}/lus/{conversation.pk}/forberedelse/")

    # Two own topics, ticked with Space.
    tab_to(page, "input[type=checkbox]", "Princip 1.1")
    page.keyboard.press("Space")
    tab_to(page, "input[type=checkbox]", "Princip 2.1")
    page.keyboard.press("Space")
    # One form: the topics are saved with the same button as the ratings.
    tab_to(page, "button[type=submit]", "Gem forberedelse")
    assert_focus_shown(page)
    press_and_wait(page, "Enter")
    assert "Din forberedelse er gemt." in page.content()

    # A rating for every item, chosen by typing its number; an example for the first.
    scores = page.locator("select[name^=score_]").count()
    assert scores == 5  # three themes in common, two own topics
    for n in range(scores):
        tab_to(page, "select[name^=score_]")
        page.keyboard.type(str(4 - n % 2))
        if n == 0:
            tab_to(page, "textarea[name^=note_]")
            page.keyboard.type("Et eksempel fra min hverdag")
    tab_to(page, "textarea[name=answer_0]")
    page.keyboard.type("Dialogen i afdelingen")
    for name, value in (("time_now_0", "25"), ("time_now_1", "25"), ("time_now_2", "25"), ("time_now_3", "25")):
        tab_to(page, f"input[name={name}]")
        page.keyboard.type(value)
    tab_to(page, "button[type=submit]", "Gem forberedelse")
    assert_focus_shown(page)
    press_and_wait(page, "Enter")
    assert "Din forberedelse er gemt." in page.content()
    preparation = Preparation.objects.get(conversation=conversation, role="leader")
    assert preparation.prepared_at is not None
    assert sorted(preparation.ratings.values_list("score", flat=True)) == [3, 3, 4, 4, 4]
    assert preparation.ratings.exclude(note="").get().note == "Et eksempel fra min hverdag"
    assert preparation.answers[0] == "Dialogen i afdelingen"
    assert preparation.time_now == {"Ledelse op": 25, "Ledelse ned": 25, "Ledelse på tværs": 25, "Ledelse ind": 25}

    tab_to(page, "button[type=submit]", "Gem og del min forberedelse")
    assert_focus_shown(page)
    press_and_wait(page, "Space")
    preparation.refresh_from_db()
    assert preparation.shared_at is not None
