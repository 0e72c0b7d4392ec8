"""The implementation status under /status/: the page and its exports. Who sees what is
ledelse.status.access; anyone without a status scope (employees) gets 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ledelse.documents import pdf_response
from ledelse.forms_rendering import form_html
from ledelse.models import Unit
from ledelse.status import access, charts, exports, forms, selectors
from ledelse.status import pdf as status_pdf_module
from ledelse.status.pdf import status_report_document
from ledelse.status.selectors import STATES, StatusFilter, StatusTable, state_label
from ledelse.view_helpers import breadcrumbs
from lus import masking
from lus.models import Round


@dataclass
class Resolved:
    form: forms.StatusFilterForm
    filters: StatusFilter | None
    sort: str
    lus_round: Round | None = None
    lus_chosen: bool = False  # the round was chosen in the query string (kept in links)


def _resolve(request: HttpRequest) -> Resolved:
    """The filters from the query string, checked against the user's scope (404 outside it)."""
    if not access.can_see_status(request.user):
        raise Http404
    rollouts = list(selectors.rollouts_for_status(user=request.user))
    form = forms.StatusFilterForm(request.GET or None, rollouts=rollouts)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    region_id, kind = data.get("region"), data.get("kind", "")
    form.show_med = access.can_filter_by_med(request.user)
    med = data.get("med", "") if form.show_med else ""
    in_region = [r for r in rollouts if region_id is None or r.region_id == region_id]
    rollout = next((r for r in in_region if r.pk == data.get("rollout")), in_region[0] if in_region else None)
    sort = request.GET.get("sort", "overdue")
    sort = sort if sort in selectors.LAGGING_SORTS else "overdue"
    if rollout is None:
        return Resolved(form=form, filters=None, sort=sort)
    unit_pk = request.GET.get("unit", "")
    if unit_pk:
        if not (unit_pk.isascii() and unit_pk.isdigit()):  # "²".isdigit() is true
            raise Http404
        root = get_object_or_404(access.status_units_visible_to(request.user).select_related("region"), pk=unit_pk)
    else:
        root = selectors.default_root(user=request.user, rollout=rollout)
        if root is None:
            raise Http404
    filters = StatusFilter(rollout=rollout, root=root, kind=kind, today=timezone.localdate(), med=med)
    rounds = selectors.lus_rounds(user=request.user, filters=filters)
    form.set_rounds(rounds)
    lus_round = selectors.lus_round(rounds=rounds, filters=filters, chosen=data.get("lus"))
    form.initial = {
        "rollout": rollout.pk,
        "region": region_id,
        "kind": kind,
        "med": med,
        "lus": lus_round.pk if lus_round else None,
    }
    chosen = lus_round is not None and lus_round.pk == data.get("lus")
    return Resolved(form=form, filters=filters, sort=sort, lus_round=lus_round, lus_chosen=chosen)


def _query(filters: StatusFilter, lus: Round | None = None, **extra: object) -> str:
    params = {
        "rollout": filters.rollout.pk,
        "unit": filters.root.pk,
        **({"kind": filters.kind} if filters.kind else {}),
        **({"med": filters.med} if filters.med else {}),
        **({"lus": lus.pk} if lus is not None else {}),
    }
    params.update(extra)
    return "?" + urlencode(params)


def _body(request: HttpRequest, resolved: Resolved) -> tuple[str, list[Unit]]:
    """The figures below the filters as HTML, and the breadcrumb chain. The figures are
    counted over the whole viewed part of the region (at the root: every unit, plan and
    activity), and koncernledelse, HR and the leaders above a unit all look at the same
    part, so the HTML is rendered once and shared through the cache for
    STATUS_CACHE_SECONDS (the page says when it was counted). What depends on the user
    (the LUS round whose counts they may see) is part of the key, so no one is shown counts
    outside their scope; the breadcrumb chain is the user's own and not cached."""
    filters = resolved.filters
    assert filters is not None
    lus_round = resolved.lus_round
    key = "status:body:" + ":".join(
        str(part)
        for part in (
            filters.rollout.pk,
            filters.root.pk,
            filters.kind or "-",
            filters.med or "-",
            resolved.sort,
            filters.today.isoformat(),
            lus_round.pk if lus_round else 0,
            get_language(),
        )
    )
    body = cache.get(key) if settings.STATUS_CACHE_SECONDS else None
    if body is not None:
        return mark_safe(body), selectors.status_chain(user=request.user, root=filters.root)
    table = selectors.status_table(user=request.user, filters=filters)
    trend_chart, points = status_pdf_module.trend_chart(filters, table)
    ctx = {
        "filters": filters,
        "sort": resolved.sort,
        "table": table,
        "coverage": selectors.coverage(table=table),
        "lagging": selectors.lagging_units(filters=filters, sort=resolved.sort),
        "lus_round": lus_round,
        "lus": masking.lus_report(lus_round=lus_round, today=filters.today) if lus_round else None,
        "trend": points,
        "trend_chart": trend_chart,
        "states": [(s, state_label(s)) for s in STATES],
        "state_bar": charts.stacked_bar(parts=[(s, state_label(s), table.total.states[s]) for s in STATES]),
        "query": _query(filters, resolved.lus_round if resolved.lus_chosen else None),
        "computed_at": timezone.localtime(),
    }
    body = render_to_string("status/_body.html", ctx, request=request)
    if settings.STATUS_CACHE_SECONDS:
        cache.set(key, body, settings.STATUS_CACHE_SECONDS)
    return mark_safe(body), table.chain  # our own template's output, escaped when rendered


@require_GET
def status_page(request: HttpRequest) -> HttpResponse:
    resolved = _resolve(request)
    filters = resolved.filters
    form = resolved.form
    ctx: dict[str, object] = {
        "form": form,
        # The same for every reader with the same choices and values: rendered once per process.
        "filter_fields": form_html(form, "status/_filters.html", also=(form.show_region, form.show_med, form.show_lus)),
        "filters": filters,
        "sort": resolved.sort,
    }
    crumbs = [(_("Implementation status"), "")]
    if filters is not None:
        body, chain = _body(request, resolved)
        ctx.update(
            body=body,
            kind_label=dict(Unit.Kind.choices).get(filters.kind, ""),
            med_label=dict(forms.MED_CHOICES).get(filters.med, "") if filters.med else "",
            export_query=_query(filters, resolved.lus_round if resolved.lus_chosen else None, sort=resolved.sort),
        )
        crumbs = [
            (_("Implementation status"), reverse("status:page") + f"?rollout={filters.rollout.pk}"),
            *((u.name, reverse("status:page") + _query(filters, unit=u.pk)) for u in chain),
        ]
    ctx["breadcrumbs"] = breadcrumbs(*crumbs)
    return render(request, "status/page.html", ctx)


def _table(request: HttpRequest) -> tuple[Resolved, StatusTable, masking.LusReport | None]:
    """The filters, the table, and the LUS round's figures (or None)."""
    resolved = _resolve(request)
    if resolved.filters is None:
        raise Http404
    table = selectors.status_table(user=request.user, filters=resolved.filters)
    report = (
        masking.lus_report(lus_round=resolved.lus_round, today=resolved.filters.today) if resolved.lus_round else None
    )
    return resolved, table, report


@require_GET
def status_csv(request: HttpRequest) -> HttpResponse:
    _resolved, table, _report = _table(request)
    return exports.csv_response(selectors.status_levels(user=request.user, filters=table.filter, top=table))


@require_GET
def status_pdf(request: HttpRequest) -> HttpResponse:
    """The report for a meeting: this level and one page per branch below it."""
    resolved = _resolve(request)
    if resolved.filters is None:
        raise Http404
    return pdf_response(
        status_report_document(user=request.user, filters=resolved.filters, lus_round=resolved.lus_round)
    )


@require_GET
def status_xlsx(request: HttpRequest) -> HttpResponse:
    resolved, table, report = _table(request)
    assert resolved.filters is not None
    return exports.xlsx_response(
        selectors.status_levels(user=request.user, filters=resolved.filters, top=table),
        selectors.coverage(table=table),
        selectors.lagging_units(filters=resolved.filters, sort=resolved.sort),
        report,
    )
