"""The status table as CSV and XLSX: the same rows and numbers as the page (both are built
from `status_rows`)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from ledelse.status.selectors import (
    STATES,
    Coverage,
    Figures,
    LaggingUnit,
    LusFigures,
    StatusTable,
    ThemeCount,
    masked,
    state_label,
)

type Cell = str | int | date | None


def _figures(figures: Figures) -> list[Cell]:
    return [
        figures.units,
        *(figures.states[s] for s in STATES),
        figures.activities_done,
        figures.activities_planned,
        figures.activities_overdue,
        figures.last_activity_on,
    ]


def _lus(lus: LusFigures | None) -> list[Cell]:
    """The LUS counts as the page shows them: "<3" below three, never a smaller number."""
    if lus is None:
        return []
    return [masked(lus.total), masked(lus.prepared), masked(lus.held), masked(lus.confirmed)]


LUS_HEADER = (
    gettext_noop("LUS in the round"),
    gettext_noop("LUS prepared"),
    gettext_noop("LUS held"),
    gettext_noop("LUS agreements confirmed"),
)


def status_header(with_lus: bool = False) -> list[str]:
    return [
        _("Unit"),
        _("Kind"),
        _("Own plan"),
        _("Units"),
        *(state_label(s) for s in STATES),
        _("Activities done"),
        _("Activities planned"),
        _("Overdue activities"),
        _("Last activity"),
        *((_(h) for h in LUS_HEADER) if with_lus else ()),
    ]


def status_rows(table: StatusTable) -> list[list[Cell]]:
    """The header, a total line for the viewed part, then its own line and each branch's."""
    root = table.filter.root
    with_lus = table.lus_total is not None
    rows: list[list[Cell]] = [status_header(with_lus)]
    rows.append(
        [
            _("Total: %(unit)s") % {"unit": root.name},
            root.get_kind_display(),
            "",
            *_figures(table.total),
            *_lus(table.lus_total),
        ]
    )
    for row in table.rows:
        name = _("%(unit)s (the unit itself)") % {"unit": row.unit.name} if row.is_self else row.unit.name
        own = state_label(row.plan_state) if row.in_rollout else ""
        rows.append(
            [name, row.unit.get_kind_display(), own, *_figures(row.figures), *_lus(row.lus if with_lus else None)]
        )
    return rows


def coverage_rows(cov: Coverage) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[_("Unit"), *(c.title for c in cov.columns)]]
    for row in cov.rows:
        rows.append([row.unit.name, *row.cells])
    rows.append([_("Total"), *cov.total])
    return rows


def lagging_rows(units: list[LaggingUnit]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [_("Unit"), _("Leader"), _("Own plan"), _("Overdue activities"), _("Activities"), _("LUS behind")]
    ]
    for u in units:
        rows.append([u.unit.name, u.leader_name, state_label(u.plan_state), u.overdue, u.planned, u.lus_behind or ""])
    return rows


def lus_theme_rows(themes: list[ThemeCount]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[_("Theme or principle"), _("LUS agreements")]]
    rows.extend([t.title if t.is_theme else f"  {t.title}", t.shown] for t in themes)
    return rows


def _filename(table: StatusTable, ext: str) -> str:
    from django.utils.text import slugify

    return f"status-{slugify(table.filter.rollout.title)}-{slugify(table.filter.root.name)}.{ext}"


def csv_response(table: StatusTable) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark, as Excel in Danish opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in status_rows(table):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response


def _sheet(ws, rows: list[list[Cell]]) -> None:
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in ws.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
        for c in column:
            if isinstance(c.value, date):
                c.number_format = "DD-MM-YYYY"
    ws.freeze_panes = "B2"


def xlsx_response(
    table: StatusTable, cov: Coverage, lagging: list[LaggingUnit], themes: list[ThemeCount] | None = None
) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Status")[:31]
    _sheet(ws, status_rows(table))
    _sheet(wb.create_sheet(_("Coverage")[:31]), coverage_rows(cov))
    _sheet(wb.create_sheet(_("Lagging units")[:31]), lagging_rows(lagging))
    if themes:
        _sheet(wb.create_sheet(_("Development themes")[:31]), lus_theme_rows(themes))
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response
