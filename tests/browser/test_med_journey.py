"""MED's treatment in real use, on a desktop screen, with axe on each page: the næstformand
(employee) records the committee's statement on Afdeling A1's submitted plan, the approver
(leader) reads it beside the approval and approves, and koncernledelse filters the status by
MED's treatment. The committee is made here (the demo's is the organisation import's).

Each journey runs at one width, alternating between journeys (the hearing and the questions
at 390 px, MED at 1280 px); test_accessibility walks its pages at both widths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ledelse.models import MedCommittee, MedMembership
from tests.browser.test_accessibility import _violations, axe_page  # noqa: F401 - fixture
from tests.conftest import browser_sign_in
from tests.status.conftest import status_data  # noqa: F401 - fixture
from tests.status.test_status_page import _row_cells

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = "Udvalget støtter planen, men ønsker dialogen på personalemødet før sommerferien."


def _clean(page) -> None:
    found = _violations(page)
    assert found == [], f"{page.url}: {found}"


@pytest.mark.parametrize("width", [1280])
def test_the_naestformand_records_the_approver_reads_and_koncern_filters(
    org,
    status_data,  # noqa: F811
    axe_page,  # noqa: F811
    live_server,
    width,
):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    committee = MedCommittee.objects.create(unit=org.units["A1"], name="LokalMED Afdeling A1")
    MedMembership.objects.create(committee=committee, person=org.people["employee"], role="naestformand")
    plan = status_data.plans.a1  # submitted, waiting for leader's approval

    browser_sign_in(page, live_server, "employee")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    assert "Der er ikke registreret nogen MED-behandling." in page.locator("#med-behandling").inner_text()
    _clean(page)
    page.get_by_role("link", name="Registrér MED-behandlingen").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "MED-behandling af planen"
    _clean(page)
    page.get_by_role("button", name="Registrér behandlingen").click()  # empty: said in Danish
    page.wait_for_load_state()
    assert "Angiv datoen for udvalgets møde." in page.locator(".alert-error").inner_text()
    _clean(page)
    yesterday = timezone.localdate() - timedelta(days=1)
    page.fill("input[name=meeting_on]", yesterday.isoformat())
    page.get_by_label("Enighed med forbehold").check()
    page.fill("textarea[name=statement]", STATEMENT)
    page.get_by_role("button", name="Registrér behandlingen").click()
    page.wait_for_load_state()
    section = page.locator("#med-behandling")
    assert STATEMENT in section.inner_text() and "Emil Medarbejder" in section.inner_text()
    assert "MED-behandlingen af planen er registreret." in page.content()
    _clean(page)

    browser_sign_in(page, live_server, "leader")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    section = page.locator("#med-behandling")
    assert STATEMENT in section.inner_text() and "Enighed med forbehold" in section.inner_text()
    approve = page.get_by_role("button", name="Godkend planen")
    assert approve.is_visible()
    _clean(page)
    approve.click()
    page.wait_for_load_state()
    assert "Planen er godkendt." in page.content()

    browser_sign_in(page, live_server, "koncern")
    page.goto(f"{live_server.url}/status/")
    page.select_option("select[name=med]", "ja")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state()
    assert "med=ja" in page.url
    total = _row_cells(page.content(), "I alt")
    assert total[2] == "1" and total[-1] == "1"
    _clean(page)
