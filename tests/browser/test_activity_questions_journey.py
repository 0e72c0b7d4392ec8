"""Questions before a dialogue meeting (issue 24), walked in the browser on a phone-sized
screen: leader2 (responsible) asks one of the framework's questions from the activity's page,
three colleagues answer it there, and the answers show without names on the page and in the
meeting guide once the third has answered. axe-core finds nothing on each state of the page.

Each journey runs at one width, alternating between journeys (the hearing and the questions
at 390 px, MED at 1280 px); test_accessibility walks its pages at both widths."""

from __future__ import annotations

import os
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dialogues import services
from ledelse.models import Person, User
from tests.browser.test_accessibility import _violations
from tests.conftest import PASSWORD, browser_sign_in
from tests.dialogues.conftest import activity_data, framework, plan, principles, rollout  # noqa: F401 - fixtures
from tests.documents.conftest import text_of
from values.models import ReflectionQuestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")
QUESTION = "Hvordan giver vi hinanden ærlig feedback i hverdagen?"
ANSWERS = {
    "employee": "Vi siger det højt på tavlemødet.",
    "mette": "Alle får ordet, før vi beslutter.",
    "niels": "Åbne døre hos lederen.",
}
NAMES = ("Emil Medarbejder", "Mette Madsen", "Niels Nielsen")


@pytest.fixture
def axe_page(browser):
    # Django's CSP forbids injected scripts; axe is injected by the test only.
    context = browser.new_context(locale="da-DK", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _colleague(org, username: str, name: str) -> Person:
    user = User.objects.create_user(username, email=f"{username}@example.org", password=PASSWORD)
    return Person.objects.create(
        user=user, employee_id=f"X-{username}", name=name, email=user.email, unit=org.units["A1"]
    )


def _shot(page, name: str, width: int) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"questions-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [390])
def test_the_responsible_asks_three_answer_and_the_guide_shows_the_answers_without_names(
    org,
    plan,  # noqa: F811
    principles,  # noqa: F811
    axe_page,
    live_server,
    width,
):
    page = axe_page
    ReflectionQuestion.objects.create(item=principles[1], text=QUESTION, position=1)
    ReflectionQuestion.objects.create(item=principles[1], text="Hvad gør vi, når vi er uenige?", position=2)
    mette, niels = _colleague(org, "mette", "Mette Madsen"), _colleague(org, "niels", "Niels Nielsen")
    activity = services.activity_create(
        plan=plan,
        data=activity_data(
            org,
            title="Dialogmøde om tillid",
            date=timezone.localdate() + timedelta(days=10),
            start_time=time(9, 0),
            end_time=time(10, 0),
            principles=(principles[1],),
            participants=(org.people["employee"], mette, niels),
        ),
    )
    url = f"{live_server.url}/planer/{plan.pk}/aktiviteter/{activity.pk}/spoergsmaal/"
    page.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, list[str]] = {}

    def check(state: str) -> None:
        found = _violations(page)
        if found:
            problems[state] = found
        _shot(page, state, width)

    # The person responsible finds the page from the plan and asks one question.
    browser_sign_in(page, live_server, "leader2")
    page.goto(f"{live_server.url}/planer/{plan.pk}/")
    page.get_by_role("link", name="Spørgsmål før “Dialogmøde om tillid”").click()
    expect(page.get_by_role("heading", name="Stil deltagerne spørgsmål")).to_be_visible()
    check("responsible")
    page.get_by_role("button", name="Send spørgsmålene til deltagerne").click()  # none chosen
    expect(page.get_by_text("Vælg et eller to spørgsmål.").first).to_be_visible()
    check("responsible-refused")
    page.get_by_label(QUESTION).check()
    page.get_by_role("button", name="Send spørgsmålene til deltagerne").click()
    expect(page.get_by_text("Spørgsmålene er sendt til deltagerne.")).to_be_visible()
    expect(page.get_by_text("Svarene vises, når mindst 3 har svaret (0 har svaret).")).to_be_visible()

    # Three colleagues answer on the activity's page.
    for n, (username, text) in enumerate(ANSWERS.items(), start=1):
        browser_sign_in(page, live_server, username)
        page.goto(url)
        if n == 1:
            check("participant")
            page.get_by_label("Dit svar").fill("Med et styretegn \x07")
            page.get_by_role("button", name="Gem dit svar").click()
            expect(page.get_by_text("usynligt kontroltegn (U+0007)").first).to_be_visible()
            expect(page.get_by_label("Dit svar")).to_have_value("Med et styretegn \x07")  # kept
            check("participant-refused")
        page.get_by_label("Dit svar").fill(text)
        page.get_by_role("button", name="Gem dit svar").click()
        expect(page.get_by_text("Dit svar er gemt.")).to_be_visible()
        if n < 3:
            expect(page.get_by_text(f"({n} har svaret)")).to_be_visible()
            assert text not in page.locator(".activity-answers").all_inner_texts()

    # Everyone who reads the plan sees the three answers, without names.
    browser_sign_in(page, live_server, "leader3")
    page.goto(url)
    answers = page.locator(".activity-answers li")
    expect(answers).to_have_count(3)
    assert answers.all_inner_texts() == sorted(ANSWERS.values(), key=str.casefold)
    shown = page.locator(".activity-answers").inner_text()
    assert not any(name in shown for name in NAMES)
    check("answers")

    # The meeting guide shows the question and the answers, without names.
    response = page.request.get(f"{live_server.url}/planer/{plan.pk}/aktiviteter/{activity.pk}/dialogmoedeguide.pdf")
    assert response.ok
    text = " ".join(text_of(response.body()).split())
    section = text[text.index("Spørgsmål før mødet") : text.index("De principper")]
    assert QUESTION in section and all(a in section for a in ANSWERS.values())
    assert not any(name in section for name in NAMES)
    assert problems == {}
