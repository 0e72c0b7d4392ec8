"""The status as CSV and XLSX: the same rows and numbers as the page and the report (all
built from `status_rows`), every level of the report with a level column.

Exports that open right: every text from the data is written as text (never a formula;
the CSV neutralises a leading = + - @, tab or carriage return as OWASP advises for CSV
injection), numbers as numbers, dates as dates; a masked LUS count is an empty cell with a
note (the workbook) rather than text that cannot be summed; every sheet has a filter and a
frozen header; the file names keep the Danish letters (RFC 6266 `filename*`, with an ASCII
fallback that writes æ ø å as ae oe aa).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ledelse.status.selectors import STATES, Coverage, Figures, LaggingUnit, StatusTable, state_label
from lus.masking import LusReport

type Cell = str | int | date | None

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _figures(figures: Figures) -> list[Cell]:
    return [
        figures.units,
        *(figures.states[s] for s in STATES),
        figures.activities_done,
        figures.activities_planned,
        figures.activities_overdue,
        figures.last_activity_on,
    ]


def status_header() -> list[str]:
    return [
        _("Level"),
        _("Unit"),
        _("Kind"),
        _("Own plan"),
        _("Units"),
        *(capfirst(state_label(s)) for s in STATES),
        _("Activities done"),
        _("Activities planned"),
        _("Overdue activities"),
        _("Last activity"),
        _("Own plan treated by MED"),
        _("Plans treated by MED"),
    ]


def level_rows(table: StatusTable) -> list[list[Cell]]:
    """One level: a total line for the viewed part, then its own line and each branch's."""
    root = table.filter.root
    level = root.name
    rows: list[list[Cell]] = [
        [
            level,
            _("Total: %(unit)s") % {"unit": root.name},
            root.get_kind_display(),
            "",
            *_figures(table.total),
            "",
            table.total.med_treated,
        ]
    ]
    for row in table.rows:
        name = _("%(unit)s (the unit itself)") % {"unit": row.unit.name} if row.is_self else row.unit.name
        own = state_label(row.plan_state) if row.in_rollout else ""
        rows.append(
            [
                level,
                name,
                row.unit.get_kind_display(),
                own,
                *_figures(row.figures),
                row.med_label,
                row.figures.med_treated,
            ]
        )
    return rows


def status_rows(tables: list[StatusTable]) -> list[list[Cell]]:
    """The header, then every level (the viewed one first, then each branch below it)."""
    rows: list[list[Cell]] = [status_header()]
    for table in tables:
        rows.extend(level_rows(table))
    return rows


def coverage_rows(cov: Coverage) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[_("Unit"), *(c.title for c in cov.columns)]]
    for row in cov.rows:
        rows.append([row.unit.name, *row.cells])
    rows.append([_("Total"), *cov.total])
    return rows


def lagging_rows(units: list[LaggingUnit]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[_("Unit"), _("Leader"), _("Own plan"), _("Overdue activities"), _("Activities")]]
    for u in units:
        rows.append([u.unit.name, u.leader_name, state_label(u.plan_state), u.overdue, u.planned])
    return rows


def lus_header() -> list[str]:
    return [
        _("Group"),
        _("LUS in the round"),
        _("LUS prepared"),
        _("LUS held"),
        _("LUS agreements confirmed"),
        _("LUS behind"),
    ]


def lus_rows(report: LusReport) -> list[list[Cell]]:
    """The round's fixed groups and the total; a masked count is None."""
    rows: list[list[Cell]] = [lus_header()]
    for g in [*report.groups, report.total]:
        rows.append([g.label, g.total, *g.cells])
    return rows


def lus_theme_rows(report: LusReport) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[_("Theme or principle"), _("Leaders with an agreement on it")]]
    rows.extend([t.title if t.is_theme else f"  {t.title}", t.count] for t in report.themes)
    return rows


def masked_note() -> str:
    return _(
        "An empty LUS cell is hidden: a count is shown only when it and the rest of its group are both "
        "at least 3, so no one's LUS can be read from the figures."
    )


# --- File names -------------------------------------------------------------------------------

_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _filename(table: StatusTable, ext: str, *, ascii_only: bool) -> str:
    parts = (table.filter.rollout.title, table.filter.root.name)
    if ascii_only:
        return "status-" + "-".join(slugify(p.translate(_ASCII)) for p in parts) + f".{ext}"
    return "status-" + "-".join(slugify(p, allow_unicode=True) for p in parts) + f".{ext}"


def content_disposition(table: StatusTable, ext: str) -> str:
    """RFC 6266: an ASCII `filename` for old clients and the Danish one as `filename*`."""
    fallback = _filename(table, ext, ascii_only=True)
    utf8 = _filename(table, ext, ascii_only=False)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(utf8)}"


# --- CSV --------------------------------------------------------------------------------------


def csv_cell(value: Cell) -> str | int:
    """A value as the CSV writes it: a text that a spreadsheet would read as a formula gets
    a leading apostrophe (OWASP); numbers stay numbers, dates are ISO dates."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_response(tables: list[StatusTable]) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark, as Excel in Danish opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in status_rows(tables):
        writer.writerow([csv_cell(v) for v in row])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(tables[0], "csv")
    return response


# --- XLSX -------------------------------------------------------------------------------------


def _write(ws: Worksheet, row_no: int, values: list[Cell], masked_cols: range, note: str) -> None:
    for col, value in enumerate(values):
        cell = ws.cell(row=row_no, column=col + 1)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text, whatever it begins with (never a formula)
        elif isinstance(value, date):
            cell.number_format = "DD-MM-YYYY"
        elif value is None and col in masked_cols:
            cell.comment = Comment(note, "Ledelsesgrundlag")


def _sheet(ws: Worksheet, rows: list[list[Cell]], *, masked_cols: range = range(0), note: str = "") -> None:
    """The rows with a bold, frozen header and a filter; empty cells in `masked_cols`
    (0-based) carry `note`."""
    for row_no, row in enumerate(rows, start=1):
        _write(ws, row_no, row, masked_cols if row_no > 1 else range(0), note)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in ws.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    if note and masked_cols:
        ws.cell(row=len(rows) + 2, column=1).value = note


def xlsx_response(
    tables: list[StatusTable], cov: Coverage, lagging: list[LaggingUnit], report: LusReport | None = None
) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Status")[:31]
    _sheet(ws, status_rows(tables))
    _sheet(wb.create_sheet(_("Coverage")[:31]), coverage_rows(cov))
    _sheet(wb.create_sheet(_("Lagging units")[:31]), lagging_rows(lagging))
    if report is not None:
        note = masked_note()
        _sheet(wb.create_sheet("LUS"), lus_rows(report), masked_cols=range(2, 6), note=note)
        _sheet(
            wb.create_sheet(_("Development themes")[:31]), lus_theme_rows(report), masked_cols=range(1, 2), note=note
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition(tables[0], "xlsx")
    return response
