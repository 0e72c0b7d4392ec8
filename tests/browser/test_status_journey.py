"""koncern opens the implementation status from the front page, drills down from the region
to a unit, goes back up by the breadcrumbs and exports the table."""

from __future__ import annotations

import csv
import io

import pytest

from tests.status.conftest import status_data  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_koncern_drills_down_from_the_region_and_exports(org, status_data, page, live_server, sign_in):  # noqa: F811
    sign_in("koncern")
    page.get_by_role("link", name="Se implementeringsstatus", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Implementeringsstatus: Region Test"
    table = page.locator("table.status-table")
    assert table.get_by_role("rowheader", name="Hospital B").is_visible()

    table.get_by_role("link", name="Hospital A").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Implementeringsstatus: Hospital A"
    table.get_by_role("link", name="Afdeling A1").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Implementeringsstatus: Afdeling A1"
    crumbs = page.locator("nav.breadcrumbs")
    assert crumbs.inner_text().split() == [
        "Forside",
        "Implementeringsstatus",
        "Region",
        "Test",
        "Hospital",
        "A",
        "Afdeling",
        "A1",
    ]

    crumbs.get_by_role("link", name="Hospital A").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Implementeringsstatus: Hospital A"
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent som CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read()), delimiter=";"))
    assert [r[1] for r in rows[1:] if r[0] == "Hospital A"] == [
        "I alt: Hospital A",
        "Hospital A (enheden selv)",
        "Afdeling A1",
    ]
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent som Excel (XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
