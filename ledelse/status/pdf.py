"""The status report for a koncernledelse meeting: one page per level, made with the shared
rendering helper (ledelse.documents). Page one is the viewed part of the tree with its
charts (plans by state, the trend) and the LUS round's figures; then one page for each
branch below it that has units of its own, each with its own bar of plan states. The
numbers are the same rows the page and the exports show (exports.level_rows), the LUS
figures the same masked report (lus.masking)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.dates import long_date
from ledelse.documents import Document
from ledelse.status import charts, exports, selectors
from ledelse.status.access import AnyUser
from ledelse.status.exports import Cell
from ledelse.status.selectors import STATES, StatusFilter, StatusTable, state_label
from lus import masking
from lus.models import Round


@dataclass(frozen=True)
class ReportPage:
    heading: str
    header: list[str]
    rows: list[list[Cell]]
    state_bar: charts.StackedBar


def _page(table: StatusTable) -> ReportPage:
    bar = charts.stacked_bar(parts=[(s, state_label(s), table.total.states[s]) for s in STATES])
    # The level column is the page's heading here.
    return ReportPage(
        heading=table.filter.root.name,
        header=exports.status_header()[1:],
        rows=[r[1:] for r in exports.level_rows(table)],
        state_bar=bar,
    )


def trend_chart(filters: StatusFilter, table: StatusTable) -> tuple[charts.LineChart | None, list]:
    points = selectors.trend_with_today(filters=filters, table=table)
    series = [
        charts.Series("approved", _("Plans approved"), tuple(p.approved for p in points)),
        charts.Series("done", _("Activities done"), tuple(p.activities_done for p in points)),
    ]
    return charts.line_chart(weeks=[p.week for p in points], series=series), points


def status_report_document(*, user: AnyUser, filters: StatusFilter, lus_round: Round | None = None) -> Document:
    """The viewed unit's page and one page per branch below it."""
    tables = selectors.status_levels(user=user, filters=filters)
    chart, points = trend_chart(filters, tables[0])
    rollout = filters.rollout
    title = _("Implementation status: %(unit)s") % {"unit": filters.root.name}
    return Document(
        template="status/pdf/report.html",
        title=title,
        subject=_("%(rollout)s, status on %(date)s")
        % {"rollout": rollout.title, "date": long_date(timezone.localdate())},
        keywords=("status", rollout.title),
        filename=f"status-{filters.root.code}.pdf".replace("/", "-").replace(":", "-"),
        stylesheets=("dialogues/pdf/documents.css", "status/report.css"),
        context={
            "pages": [_page(t) for t in tables],
            "rollout": rollout,
            "printed": timezone.localdate(),
            "title": title,
            "trend_chart": chart,
            "trend": points,
            "lus": masking.lus_report(lus_round=lus_round, today=filters.today) if lus_round else None,
        },
    )
