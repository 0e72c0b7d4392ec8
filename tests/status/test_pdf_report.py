"""The status report for a koncernledelse meeting: a PDF with one page per level, holding
the numbers the page and the CSV show."""

import io
import re

from pypdf import PdfReader

from tests.status.test_exports import _csv


def _pdf(client, query=""):
    response = client.get(f"/status/status.pdf{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_it_has_a_page_for_the_region_and_one_per_branch_with_units_below(client, org, status_data):
    client.force_login(org.users["koncern"])
    reader = _pdf(client)
    texts = [page.extract_text() for page in reader.pages]
    assert "Implementeringsstatus: Region Test" in texts[0]
    # The region's page, then a page for each branch that can be drilled into.
    headings = [t.splitlines()[1] if len(t.splitlines()) > 1 else "" for t in texts[1:]]
    assert any("Hospital A" in t for t in texts[1:]) and len(reader.pages) >= 2, headings
    assert reader.metadata.title == "Implementeringsstatus: Region Test"


def test_its_numbers_are_the_csvs(client, org, status_data):
    client.force_login(org.users["koncern"])
    first = _pdf(client).pages[0].extract_text()
    hospital_a = next(r for r in _csv(client) if r[:2] == ["Region Test", "Hospital A"])
    line = next(line for line in first.splitlines() if line.startswith("Hospital A"))
    assert " ".join(hospital_a[2:14]) in line


def test_a_leader_gets_the_report_of_their_own_subtree_only(client, org, status_data):
    client.force_login(org.users["leader2"])
    text = "".join(p.extract_text() for p in _pdf(client).pages)
    assert "Afdeling A1" in text and "Hospital B" not in text


def test_it_has_the_charts_and_headers_without_hyphens(client, org, status_data):
    from datetime import timedelta

    from ledelse.status.models import Snapshot
    from ledelse.status.services import week_of

    last_week = week_of(status_data.today) - timedelta(weeks=1)
    Snapshot.objects.create(rollout=status_data.rollout, unit=org.units["A"], taken_on=last_week, plan_state="godkendt")
    client.force_login(org.users["koncern"])
    first = _pdf(client).pages[0].extract_text()
    # The bar of plan states (its legend) and the trend, whose last point is today's figure.
    assert "Ingen plan: 3" in first and "Godkendt: 1" in first
    assert "sidste punkt er i dag" in first and "Godkendte planer: 1" in first
    assert "Aktiviteter gennemført: 2" in first
    assert "Enhe-" not in first and "Klad-" not in first and "Enheder" in first


def test_headers_are_not_hyphenated_even_in_narrow_columns(org, status_data):
    """On a narrow page the header cells must wrap at spaces only (hyphens: manual in
    static/status/report.css), never "Enhe-der" or "Klad-de" as before."""
    from ledelse.documents.render import layout, render_html
    from ledelse.status.pdf import status_report_document
    from ledelse.status.selectors import StatusFilter

    document = status_report_document(
        user=org.users["koncern"],
        filters=StatusFilter(rollout=status_data.rollout, root=org.units["RT"], today=status_data.today),
    )
    html = render_html(document).replace("</head>", "<style>@page { size: 100mm 400mm; }</style></head>")
    pdf = layout(document, html).write_pdf()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert not re.search(r"(Enhe|Klad|Indsen|Godkend|Afslut)-\s", text), text[:600]
