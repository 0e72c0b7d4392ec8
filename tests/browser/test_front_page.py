"""Sign in through the real login page in headless Chromium and see the front page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_signs_in_and_sees_the_front_page(org, page, live_server, sign_in):
    sign_in("leader", form=True)
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == "Velkommen, Lene Leder"
    assert page.locator("header").get_by_text("Leder", exact=True).first.is_visible()
    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"


def test_a_wrong_password_shows_a_danish_error(org, page, live_server, sign_in):
    sign_in("leader", "forkert")
    assert "/accounts/login/" in page.url
    assert "brugernavn og/eller adgangskoden er ikke korrekt" in page.content()


def test_signing_out_returns_to_the_login_page(org, page, live_server, sign_in):
    sign_in("leader")
    page.get_by_role("button", name="Log af").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
