"""Issue 18, point 3, in a real browser: no button or link on a LUS page discards what is typed
in another form on the page without asking (static/js/lus-unsaved.js). On the LUS page the
leader types a follow-up date, then presses "Bekræft referatet" or "Del", or follows a link:
the browser asks, naming the field; "Annuller" keeps the text; OK goes on."""

import pytest

from lus.models import Conversation
from tests.conftest import browser_sign_in
from tests.lus.conftest import held, make_lus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dialogs(page):
    """Every dialog the page opens, as (type, message); each is answered with `answer["ok"]`."""
    seen: list[tuple[str, str]] = []
    answer = {"ok": False}

    def _handle(dialog):
        seen.append((dialog.type, dialog.message))
        if answer["ok"]:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", _handle)
    return seen, answer


def _open_lus_as_leader(page, live_server, org):
    lus = make_lus(org)
    conversation = held(lus.conversation, lus.principles, agreements=2)
    browser_sign_in(page, live_server, "leader2")
    url = f"{live_server.url}/lus/{conversation.pk}/"
    page.goto(url)
    return conversation, url


def test_a_typed_follow_up_date_is_not_lost_by_another_forms_button(org, page, live_server, dialogs):
    seen, answer = dialogs
    conversation, url = _open_lus_as_leader(page, live_server, org)
    date_field = page.get_by_label("Dato for opfølgningssamtalen").first
    date_field.click()
    date_field.fill("2026-11-02")

    # "Bekræft referatet" would send only its own form: the browser asks first.
    page.get_by_role("button", name="Bekræft referatet").click()
    page.wait_for_timeout(300)
    assert len(seen) == 1
    kind, message = seen[0]
    assert kind == "confirm"
    assert "Dato for opfølgningssamtalen" in message and "Aftale 1" in message
    assert "går tabt" in message
    # Cancelled: still here, the date is kept and has focus, nothing was confirmed.
    assert page.url == url
    assert date_field.input_value() == "2026-11-02"
    assert date_field.evaluate("el => el === document.activeElement")
    conversation.refresh_from_db()
    assert conversation.leader_confirmed_at is None

    # The same for the sharing form's button, with a name typed there too.
    page.fill("input[name=who]", "Lars")
    page.get_by_role("button", name="Del", exact=True).click()
    page.wait_for_timeout(300)
    assert len(seen) == 2 and "Dato for opfølgningssamtalen" in seen[1][1]
    assert page.url == url and page.locator("input[name=who]").input_value() == "Lars"

    # A link away from the page asks too (beforeunload); staying keeps the text.
    page.get_by_role("link", name="Skriv referatet").click()
    page.wait_for_timeout(300)
    assert seen[2][0] == "beforeunload"
    assert page.url == url and date_field.input_value() == "2026-11-02"

    # The calendar invitation is a download, not a way off the page: no question, text kept.
    with page.expect_download():
        page.get_by_role("link", name="Kalenderinvitation (.ics)").click()
    page.wait_for_timeout(300)
    assert len(seen) == 3 and date_field.input_value() == "2026-11-02"

    # Saying OK goes on: the record is confirmed (the typed date is given up knowingly).
    answer["ok"] = True
    with page.expect_navigation():  # the confirm answered OK, then the form is sent
        page.get_by_role("button", name="Bekræft referatet").click()
    assert "Du har bekræftet referatet." in page.content()
    conversation.refresh_from_db()
    assert conversation.leader_confirmed_at is not None


def test_a_form_sent_with_nothing_typed_elsewhere_does_not_ask(org, page, live_server, dialogs):
    seen, _answer = dialogs
    conversation, url = _open_lus_as_leader(page, live_server, org)
    date_field = page.get_by_label("Dato for opfølgningssamtalen").first
    date_field.fill("2026-11-02")
    page.locator("input[name=time]").first.fill("13:15")
    # The follow-up form's own button saves its own typing: no question.
    page.get_by_role("button", name="Tilføj opfølgningssamtale").first.click()
    page.wait_for_load_state()
    assert seen == []
    assert Conversation.objects.get(pk=conversation.pk).agreements.filter(followups__isnull=False).count() == 1
    # Back on a clean page a link leaves without asking.
    page.get_by_role("link", name="Skriv referatet").click()
    page.wait_for_load_state()
    assert seen == [] and page.url != url


def test_the_booking_page_asks_before_signing_out_or_leaving_a_form_sent_back(org, page, live_server, dialogs):
    """Every LUS page with a form has the guard: here the header's "Log af" beside the booking
    form, and a booking sent back with an error (its text is not saved either)."""
    seen, _answer = dialogs
    conversation, _url = _open_lus_as_leader(page, live_server, org)
    booking = f"{live_server.url}/lus/{conversation.pk}/booking/"
    page.goto(booking)
    page.get_by_label("Sted").fill("Mødelokale 3")
    page.locator("button.log-off:visible").first.click()
    page.wait_for_timeout(300)
    assert len(seen) == 1 and seen[0][0] == "confirm" and "»Sted«" in seen[0][1]
    assert page.url == booking and page.get_by_label("Sted").input_value() == "Mødelokale 3"

    # Sent without a date: the page comes back with the error and the typed place.
    page.get_by_label("Dato").fill("")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".form-error-message").count() >= 1
    assert page.get_by_label("Sted").input_value() == "Mødelokale 3"
    page.get_by_label("Sted").click()  # the user is back on the page
    page.locator("main a[href]").first.click()
    page.wait_for_timeout(300)
    assert seen[-1][0] == "beforeunload"
    assert page.get_by_label("Sted").input_value() == "Mødelokale 3"


_LEAVE_IS_STOPPED = """() => {
    const event = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""

_CHANGE_A_FIELD = """() => {
    const el = document.querySelector(
        "main form textarea, main form select, "
        + "main form input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])");
    const values = {date: "2027-01-02", time: "07:45", number: "45"};
    if (el.tagName === "SELECT") { el.selectedIndex = (el.selectedIndex + 1) % el.options.length; }
    else { el.value = values[el.type] || el.value + " x"; }
    return el.name;
}"""


def test_every_lus_page_with_a_form_has_the_guard_and_asks_only_after_typing(org, page, live_server):
    from lus import services

    lus = make_lus(org)
    c = held(lus.conversation, lus.principles, agreements=1)
    followup = services.followup_add(agreement=c.agreements.get(), date=c.agreements.get().due_on)
    pages = {
        "leader2": [
            f"/lus/{c.pk}/",
            f"/lus/{c.pk}/forberedelse/",
            f"/lus/{c.pk}/booking/",
            f"/lus/{c.pk}/referat/",
            f"/lus/{c.pk}/opfoelgning/{followup.pk}/",
        ],
        "hr": ["/lus/runder/ny/", f"/lus/runder/{lus.round.pk}/rediger/", f"/lus/samtaler/{c.pk}/partner/"],
    }
    for username, urls in pages.items():
        browser_sign_in(page, live_server, username)
        for url in urls:
            page.goto(live_server.url + url)
            assert page.locator("script[data-lus-unsaved-confirm]").count() == 1, url
            assert page.evaluate(_LEAVE_IS_STOPPED) is False, url  # as loaded: nothing to lose
            field = page.evaluate(_CHANGE_A_FIELD)
            assert page.evaluate(_LEAVE_IS_STOPPED) is True, (url, field)
