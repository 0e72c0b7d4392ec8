"""An employee reads a framework, follows a related link, searches "tillid" and opens a hit."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_reads_follows_a_link_and_searches(org, page, live_server, sign_in):
    call_command("load_frameworks", verbosity=0)
    sign_in("employee")

    page.locator("nav a[href='/ledelsesgrundlag/']").first.click()
    page.get_by_role("link", name="Ledelses- og værdigrundlag for Regionssekretariatet").click()
    assert page.locator("h1").inner_text() == "Ledelses- og værdigrundlag for Regionssekretariatet"

    # The table of contents jumps to the theme.
    page.locator(".fw-toc").get_by_role("link", name="Åben og ligeværdig dialog").click()
    assert page.url.endswith("#aaben-og-ligevaerdig-dialog")

    # Follow the related link to the regional value.
    page.locator("#aaben-og-ligevaerdig-dialog .fw-related").get_by_role("link", name="Dialog").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/")
    assert page.locator("h1").inner_text() == "Dialog"

    # Search and open a hit.
    page.goto(f"{live_server.url}/ledelsesgrundlag/")
    page.fill("#id_q", "tillid")
    page.locator("#main-content").get_by_role("button", name="Søg").click()
    page.wait_for_load_state()
    hits = page.locator(".fw-hit")
    assert hits.count() >= 4
    assert page.locator(".fw-hit mark").count() > 0
    # A hit opens its place in the framework; the point's own page shows the text it belongs to.
    page.locator(".fw-hit").get_by_role("link", name="Gensidig tillid").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/regionssekretariatet-ledelses-og-vaerdigrundlag/#gensidig-tillid")
    page.locator("#gensidig-tillid").get_by_role("link", name="Gensidig tillid").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Gensidig tillid"
    assert "I temaet »Åben og ligeværdig dialog«" in page.content()
    assert "Vi tilstræber en ligeværdig dialog" in page.content()


def test_an_empty_search_is_explained(org, page, live_server, sign_in):
    sign_in("employee")
    page.goto(f"{live_server.url}/ledelsesgrundlag/soeg/?q=+")
    assert "Skriv et eller flere søgeord." in page.content()
