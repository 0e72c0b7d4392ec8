"""The exports open (csv, openpyxl) and hold the same numbers as the page."""

import csv
import io

from openpyxl import load_workbook

from tests.status.test_status_page import _row_cells

STATE_COLUMNS = slice(4, 11)  # units and the six states


def _csv(client, query=""):
    response = client.get(f"/status/status.csv{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_holds_the_pages_numbers(client, org, status_data):
    client.force_login(org.users["koncern"])
    rows = _csv(client)
    assert rows[0][:5] == ["Niveau", "Enhed", "Type", "Egen plan", "Enheder"]
    by_name = {r[1]: r for r in rows[1:] if r[0] == "Region Test"}
    assert set(by_name) == {
        "I alt: Region Test",
        "Region Test (enheden selv)",
        "Hospital A",
        "Hospital B",
        "HR-afdeling",
    }
    a = by_name["Hospital A"]
    assert a[2:4] == ["Hospital", "Godkendt"]
    assert a[STATE_COLUMNS] == ["3", "1", "0", "1", "1", "0", "0"]
    assert a[11:14] == ["2", "5", "2"]
    page = _row_cells(client.get("/status/").content.decode(), "Hospital A")
    assert page[2:9] == a[STATE_COLUMNS]
    assert page[9] == f"{a[11]} / {a[12]}" and page[10] == a[13]
    assert by_name["I alt: Region Test"][STATE_COLUMNS] == ["6", "3", "1", "1", "1", "0", "0"]


def test_the_xlsx_opens_and_holds_the_same_rows(client, org, status_data):
    client.force_login(org.users["koncern"])
    response = client.get(f"/status/status.xlsx?unit={org.units['A'].pk}")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Status", "Dækning", "Enheder der halter"]
    sheet = [["" if v is None else str(v) for v in row] for row in wb["Status"].iter_rows(values_only=True)]
    expected = _csv(client, f"?unit={org.units['A'].pk}")
    # Dates are real dates in the workbook, ISO text in the CSV (the last activity, before
    # the two MED columns).
    day = sheet[0].index("Seneste aktivitet")
    assert [r[:day] + r[day + 1 :] for r in sheet] == [r[:day] + r[day + 1 :] for r in expected]
    assert [r[day][:10] for r in sheet[1:]] == [r[day] for r in expected[1:]]
    coverage = list(wb["Dækning"].iter_rows(values_only=True))
    assert coverage[0][:3] == ("Enhed", "Tema 1", "Princip 1.1")
    assert coverage[-1] == ("I alt", 3, 3, 1, 1, 1, 0)
    lagging = list(wb["Enheder der halter"].iter_rows(values_only=True))
    assert [r[0] for r in lagging[1:]] == ["Hospital A", "Afdeling A1"]


def test_the_csv_holds_every_level_with_a_level_column(client, org, status_data):
    client.force_login(org.users["koncern"])
    rows = _csv(client)
    levels = list(dict.fromkeys(r[0] for r in rows[1:]))
    assert levels == ["Region Test", "Hospital A"]
    a_level = [r[1] for r in rows[1:] if r[0] == "Hospital A"]
    assert a_level == ["I alt: Hospital A", "Hospital A (enheden selv)", "Afdeling A1"]
    # The branch's own level adds up to its line one level up.
    up = next(r for r in rows if r[:2] == ["Region Test", "Hospital A"])
    total = next(r for r in rows if r[:2] == ["Hospital A", "I alt: Hospital A"])
    assert up[4:14] == total[4:14]
