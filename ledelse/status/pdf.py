"""The status report for a koncernledelse meeting: one page per level, made with the shared
rendering helper (ledelse.documents). Page one is the viewed part of the tree; then one page
for each branch below it that has units of its own, so the meeting can go down one level
without a screen. The numbers are the same rows the page and the exports show
(exports.status_rows), LUS counts masked in the same way."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.dates import long_date
from ledelse.documents import Document
from ledelse.status import exports, selectors
from ledelse.status.access import AnyUser
from ledelse.status.exports import Cell
from ledelse.status.selectors import StatusFilter, StatusTable


@dataclass(frozen=True)
class ReportPage:
    heading: str
    rows: list[list[Cell]]  # the header first


def _page(table: StatusTable) -> ReportPage:
    return ReportPage(heading=table.filter.root.name, rows=exports.status_rows(table))


def _table(*, user: AnyUser, filters: StatusFilter) -> StatusTable:
    table = selectors.status_table(user=user, filters=filters)
    selectors.lus_attach(table=table, round=selectors.lus_round(user=user, filters=filters))
    return table


def status_report_document(*, user: AnyUser, filters: StatusFilter) -> Document:
    """The viewed unit's page and one page per branch below it (each branch's own table:
    a handful of queries per branch, for a document made on request, never per page view)."""
    top = _table(user=user, filters=filters)
    pages = [_page(top)]
    for row in top.rows:
        if row.can_drill and not row.is_self:
            pages.append(_page(_table(user=user, filters=replace(filters, root=row.unit))))
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
        context={"pages": pages, "rollout": rollout, "printed": timezone.localdate(), "title": title},
    )
