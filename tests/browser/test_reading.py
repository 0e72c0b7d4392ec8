"""Reading long frameworks and searching in a real browser: the side contents list follows
the reader (desktop) and folds (phone); the search page ranks as the selectors say."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RN = "/ledelsesgrundlag/rn-ledelsesgrundlaget/"


@pytest.fixture
def reader(org, page, live_server, sign_in):
    call_command("load_frameworks", verbosity=0)
    sign_in("employee")
    return page


def _current(page) -> list[str]:
    return page.locator(".fw-toc li.current > a").all_inner_texts()


def test_on_a_desktop_the_contents_stay_beside_the_text_and_mark_where_the_reader_is(reader, live_server):
    page = reader
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{RN}")
    toc = page.locator(".fw-toc")
    assert toc.locator("details").get_attribute("open") is not None
    # Beside the text, not above it.
    assert toc.bounding_box()["x"] + toc.bounding_box()["width"] <= page.locator(".fw-body").bounding_box()["x"]

    page.evaluate(
        "window.scrollTo(0, document.getElementById('ledelse-ned').getBoundingClientRect().top + window.scrollY - 40)"
    )
    # The list follows on the scroll event: wait for its mark rather than for a fixed time.
    expect(page.locator(".fw-toc li.current > a")).to_have_text(["Ledelse ned"])
    assert toc.bounding_box()["y"] >= 0  # it followed the reader down the page
    assert _current(page) == ["Ledelse ned"]
    assert page.locator(".fw-toc a[aria-current]").inner_text() == "Ledelse ned"

    toc.get_by_role("link", name="Vi kender vores område godt").click()
    page.wait_for_url("**#vi-kender-vores-omraade-godt")
    expect(page.locator(".fw-toc li.current > a")).to_have_text(["Vi kender vores område godt"])
    assert page.url.endswith("#vi-kender-vores-omraade-godt")
    assert _current(page) == ["Vi kender vores område godt"]
    assert page.locator(".fw-toc li.active > a").first.inner_text() == "Ledelse ned"
    # The way back up.
    assert page.locator(".back-to-top-button").is_visible()


def test_on_a_phone_the_contents_fold_above_the_text(reader, live_server):
    page = reader
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{RN}")
    details = page.locator(".fw-toc details")
    assert details.get_attribute("open") is None
    assert page.locator(".fw-toc").bounding_box()["height"] < 120
    page.locator(".fw-toc summary").click()
    assert details.get_attribute("open") is not None
    page.locator(".fw-toc").get_by_role("link", name="Ledelse på tværs").click()
    page.wait_for_url("**#ledelse-paa-tvaers")
    page.wait_for_function("() => !document.querySelector('.fw-toc details').open")
    assert page.url.endswith("#ledelse-paa-tvaers")
    assert details.get_attribute("open") is None  # folded again once a section is chosen


def test_a_theme_page_leads_on_to_the_next_theme(reader, live_server):
    page = reader
    page.goto(f"{live_server.url}{RN}ledelse-op/")
    page.get_by_role("link", name="Næste tema Ledelse ned").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ledelse ned"
    assert page.get_by_role("link", name="Forrige tema Ledelse op").is_visible()


def test_the_header_search_ranks_titles_first(reader, live_server):
    page = reader
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        if width == 1280:
            page.fill("#header-q", "ledelse ned")
            page.press("#header-q", "Enter")
        else:
            page.locator(".header-search-link").click()
            page.fill("#id_q", "ledelse ned")
            page.get_by_role("button", name="Søg", exact=True).click()
        page.wait_for_load_state()
        titles = page.locator(".fw-hit__title").all_inner_texts()
        assert titles[0] == "Ledelse ned"

    page.goto(f"{live_server.url}/ledelsesgrundlag/soeg/?q=tillid")
    first = page.locator(".fw-hit").first
    assert first.locator(".fw-hit__title").inner_text() == "Gensidig tillid"
    first.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/regionssekretariatet-ledelses-og-vaerdigrundlag/#gensidig-tillid")

    page.goto(f"{live_server.url}/ledelsesgrundlag/soeg/?q=dristighed")
    titles = page.locator(".fw-hit__title").all_inner_texts()
    assert titles[0].rstrip(".") == "Dristighed" and titles[1].rstrip(".") == "Dristighed"
    assert page.locator(".fw-hit mark").count() > 0
