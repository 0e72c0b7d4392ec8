"""In a real browser: hr creates a LUS round, leader2 prepares, leader (the partner) rates and
records two agreements, both confirm and the record is locked; leader3 cannot open it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lus.models import Conversation
from tests.conftest import browser_sign_in
from tests.values.factories import make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def as_user(browser, live_server):
    contexts = []

    def _as(username):
        context = browser.new_context(locale="da-DK")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        browser_sign_in(page, live_server, username)
        return page

    yield _as
    for context in contexts:
        context.close()


def _prepare(page, topics, score):
    """One form: the topics and what is typed below them are saved by the same button."""
    for title in topics:
        page.get_by_label(title, exact=True).check()
    selects = page.locator("select[name^=score_]")
    for n in range(selects.count()):
        selects.nth(n).select_option(str(score))
    page.locator("textarea[name^=note_]").first.fill("Et eksempel fra min hverdag")
    page.locator("textarea[name=answer_0]").fill("Dialogen i afdelingen")
    for name in ("time_now_0", "time_now_1", "time_now_2"):
        if page.locator(f"input[name={name}]").count():
            page.fill(f"input[name={name}]", "25" if name != "time_now_2" else "50")
    if page.locator("output[data-lus-total=now]").count():  # the running total, while typing
        assert page.locator("output[data-lus-total=now]").inner_text() == "100 %"
    page.get_by_role("button", name="Gem forberedelse").click()
    page.wait_for_load_state()
    assert "Din forberedelse er gemt." in page.content()
    # Nothing typed was lost: the example, the answer and the topics are all there.
    assert page.locator("textarea[name^=note_]").first.input_value() == "Et eksempel fra min hverdag"
    assert page.locator("textarea[name=answer_0]").input_value() == "Dialogen i afdelingen"
    for title in topics:
        assert page.get_by_label(title, exact=True).is_checked()
    # The new topics now have their rating fields.
    selects = page.locator("select[name^=score_]")
    for n in range(selects.count()):
        if not selects.nth(n).input_value():
            selects.nth(n).select_option(str(score))
    page.get_by_role("button", name="Gem og del min forberedelse med den anden part").click()
    page.wait_for_load_state()
    assert "Din forberedelse er gemt og delt med den anden part." in page.content()


def test_a_lus_from_round_to_confirmed_agreements(org, as_user, live_server):
    make_framework(themes=3, principles=2)
    today = timezone.localdate()

    hr = as_user("hr")
    hr.goto(f"{live_server.url}/lus/runder/")
    hr.get_by_role("link", name="Ny runde").click()
    hr.fill("input[name=name]", "LUS i browseren")
    hr.select_option("select[name=scope]", label="Hospital A")
    hr.select_option("select[name=framework_version]", label="Testgrundlag (version 1)")
    hr.fill("input[name=period_start]", (today - timedelta(days=10)).isoformat())
    hr.fill("input[name=period_end]", (today + timedelta(days=200)).isoformat())
    hr.fill("input[name=preparation_opens]", (today - timedelta(days=1)).isoformat())
    hr.fill("input[name=held_by]", (today + timedelta(days=60)).isoformat())
    hr.fill("input[name=confirmed_by]", (today + timedelta(days=90)).isoformat())
    hr.fill("textarea[name=time_categories]", "Ledelse op\nLedelse ned\nLedelse ind")
    hr.get_by_role("button", name="Gem").click()
    hr.wait_for_load_state()
    assert "Lars Leder To" in hr.content() and "2 LUS mangler" in hr.content()
    hr.get_by_role("button", name="Opret de manglende LUS").click()
    hr.wait_for_load_state()
    assert "2 LUS oprettet." in hr.content()
    conversation = Conversation.objects.get(leader=org.people["leader2"])
    url = f"{live_server.url}/lus/{conversation.pk}/"

    leader2 = as_user("leader2")
    leader2.goto(f"{live_server.url}/lus/")
    assert "Forbered LUS med Lars Leder To" not in leader2.content()  # never "with" oneself
    leader2.get_by_role("link", name="Forbered din egen LUS (LUS i browseren)").click()
    leader2.wait_for_load_state()
    _prepare(leader2, ["Princip 1.1", "Princip 2.1"], 4)

    leader = as_user("leader")
    leader.goto(f"{live_server.url}/lus/")
    leader.get_by_role("link", name="Forbered LUS med Lars Leder To (LUS i browseren)").click()
    leader.wait_for_load_state()
    _prepare(leader, ["Princip 1.2", "Princip 3.1"], 3)
    leader.goto(url)
    assert leader.locator("svg.lus-radar polygon.lus-radar__leader").count() == 1
    assert leader.locator("svg.lus-radar polygon.lus-radar__partner").count() == 1
    leader.get_by_role("link", name="Skriv referatet").click()
    leader.fill("textarea[name=notes]", "Vi talte om dialog og prioriteringer")
    leader.fill("input[name=held_on]", today.isoformat())  # held today, without a booking
    leader.fill("textarea[name=agreements-0-what]", "Faste dialogmøder med afsnitslederne")
    leader.fill("input[name=agreements-0-due_on]", (today + timedelta(days=90)).isoformat())
    leader.fill("textarea[name=agreements-1-what]", "Mentorforløb")
    leader.fill("input[name=agreements-1-due_on]", (today + timedelta(days=150)).isoformat())
    leader.get_by_role("button", name="Gem referat").click()
    leader.wait_for_load_state()
    assert "Referatet er gemt." in leader.content()
    leader.get_by_role("button", name="Bekræft referatet").click()
    leader.wait_for_load_state()
    assert "Samtalepartneren har bekræftet." in leader.content()
    assert leader.get_by_role("button", name="Bekræft referatet").count() == 0

    leader2.goto(url)
    assert "Faste dialogmøder med afsnitslederne" in leader2.content()
    leader2.get_by_role("button", name="Bekræft referatet").click()
    leader2.wait_for_load_state()
    assert "Referatet er låst." in leader2.content()
    conversation.refresh_from_db()
    assert conversation.is_locked and conversation.agreements.count() == 2

    leader3 = as_user("leader3")
    response = leader3.goto(url)
    assert response.status == 404
    assert "Faste dialogmøder" not in leader3.content()
