"""On a phone (390 px wide, a real browser): the status page and a LUS round's page never
scroll sideways; their tables scroll inside their own container with the first column
fixed. Measured as document.scrollingElement.scrollWidth, as koncern and as HR."""

from __future__ import annotations

import pytest

from tests.status.test_masking import hospital_round  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def _check(page, url, tables=True):
    page.goto(url)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= WIDTH, (url, width)
    found = page.locator(".status-scroll table, .table--responsive-scroll table")
    assert found.count() > 0 or not tables, url
    for i in range(found.count()):
        table = found.nth(i)
        box = table.evaluate("t => t.parentElement.getBoundingClientRect().right")
        assert box <= WIDTH + 1, (url, i, box)
    return page


@pytest.mark.parametrize("username", ["koncern", "hr"])
def test_the_pages_never_scroll_sideways_at_390_px(org, hospital_round, page, live_server, sign_in, username):  # noqa: F811
    page.set_viewport_size({"width": WIDTH, "height": 844})
    sign_in(username)
    status = _check(page, f"{live_server.url}/status/?unit={org.units['A'].pk}")
    # The wide table scrolls in its own container, and its first column stays put.
    scroller = status.locator(".status-scroll").first
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    first = scroller.locator("tbody th").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    second = scroller.locator("tbody td").first
    left, other = (x.evaluate("el => el.getBoundingClientRect().left") for x in (first, second))
    scroller.evaluate("el => { el.scrollLeft = 300; }")
    assert abs(first.evaluate("el => el.getBoundingClientRect().left") - left) <= 1  # the table's border
    assert second.evaluate("el => el.getBoundingClientRect().left") < other - 100
    round_page = _check(page, f"{live_server.url}/lus/runder/{hospital_round.pk}/")
    first = round_page.locator(".status-scroll tbody th, .table--responsive-scroll tbody th").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    _check(page, f"{live_server.url}/", tables=False)
