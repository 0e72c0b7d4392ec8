"""Framework pages: list, framework (current or earlier version), item, compare, search.

What a page shows of a version's text (the contents, the items with their questions and
links) depends only on the version, so it is rendered once and kept in the shared cache
under the version's `changed_at` stamp, which every editing service bumps (values.services):
an edit shows at once, and nothing per user is cached. The header (the person), the list
of versions (drafts for editors) and the forms are rendered for each request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ledelse import access
from ledelse.forms_rendering import form_html
from ledelse.view_helpers import Crumb, breadcrumbs
from values import selectors
from values.forms import CompareForm, SearchForm
from values.models import Framework, FrameworkVersion, Item

# Entries are never stale (a change makes a new key); the timeout only lets old ones go.
FRAGMENT_TIMEOUT = 24 * 60 * 60


def _stamp(version: FrameworkVersion) -> str:
    return f"{version.pk}.{version.changed_at.timestamp()}"


def _fragment(name: str, parts: Iterable[object], render_html: Callable[[], str]) -> SafeString:
    """The HTML `render_html` makes, from the cache when it was made before for the same
    `parts` (which must name every version and every value the HTML depends on)."""
    raw = ":".join(str(p) for p in (get_language(), *parts))
    key = f"values:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = render_html()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    return mark_safe(html)


def _crumbs(*pairs: tuple[str, str]) -> list[Crumb]:
    return breadcrumbs((_("Frameworks"), reverse("values:framework_list")), *pairs)


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for_user(user=request.user)
    regions = [(region, list(group)) for region, group in groupby(frameworks, key=lambda f: f.region)]
    return render(
        request,
        "values/framework_list.html",
        {"regions": regions, "breadcrumbs": breadcrumbs((_("Frameworks"), ""))},
    )


def _framework_page(request: HttpRequest, slug: str, number: int | None) -> HttpResponse:
    framework, version = selectors.framework_get_for_user(user=request.user, slug=slug, number=number)
    is_current = version.pk == framework.current_version_id

    def render_body() -> str:
        tree = selectors.version_tree(version=version)
        return render_to_string(
            "values/_framework_body.html", {"tree": tree, "own": selectors.own_additions(roots=tree)}
        )

    body = _fragment("framework", [_stamp(version), is_current], render_body)
    return render(
        request,
        "values/framework_detail.html",
        {
            "framework": framework,
            "version": version,
            "is_current": is_current,
            "body": body,
            "panels": _item_panels(request, version, None),
            "versions": selectors.framework_versions_for_user(user=request.user, framework=framework),
            "breadcrumbs": _crumbs((framework.title, "")),
        },
    )


@require_GET
def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _framework_page(request, slug, None)


@require_GET
def framework_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return _framework_page(request, slug, number)


def _item_panels(request: HttpRequest, version: FrameworkVersion, item: Item | None) -> list[SafeString]:
    """Extra panels other apps put on an item's page, and on the framework's own page with
    item None (settings.ITEM_PAGE_PANELS: dotted paths of functions called with request=,
    version= and item=, returning HTML), so the frameworks need not know what uses them.
    Rendered per request: they are not the version's text."""
    panels = (
        import_string(path)(request=request, version=version, item=item)
        for path in getattr(settings, "ITEM_PAGE_PANELS", ())
    )
    return [mark_safe(html) for html in panels if html]


def _item_page(request: HttpRequest, slug: str, key: str, number: int | None) -> HttpResponse:
    framework, version, item = selectors.item_get_for_user(user=request.user, slug=slug, key=key, number=number)
    is_current = version.pk == framework.current_version_id
    framework_url = framework.get_absolute_url() if is_current else version.get_absolute_url()
    parent_url = selectors.item_url(item=item.parent, is_current=is_current) if item.parent else ""

    def render_body() -> str:
        page = selectors.item_page(version=version, item=item)
        return render_to_string(
            "values/_item_page_body.html",
            {
                "node": page.node,
                "context_node": page.context,
                "previous": page.previous,
                "following": page.following,
                "own": selectors.own_additions(roots=[page.context or page.node]),
            },
        )

    body = _fragment("item", [_stamp(version), is_current, item.key], render_body)
    return render(
        request,
        "values/item_detail.html",
        {
            "framework": framework,
            "version": version,
            "item": item,
            "body": body,
            "panels": _item_panels(request, version, item),
            "is_current": is_current,
            "framework_url": framework_url,
            "parent_url": parent_url,
            "breadcrumbs": _crumbs((framework.title, framework_url), (item.heading or framework.title, "")),
        },
    )


@require_GET
def item_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    return _item_page(request, slug, key, None)


@require_GET
def item_version(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    return _item_page(request, slug, key, number)


def _framework_parts(framework: Framework) -> tuple[object, ...]:
    """What a fragment shows of a framework beside its current version's text."""
    return (framework.pk, framework.title, framework.kind, framework.region.name, _stamp(framework.current_version))


def _person_region_id(request: HttpRequest) -> int | None:
    person = access.roles_for(request.user).person
    return person.unit.region_id if person is not None else None


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for_user(user=request.user)
    data = request.GET if "a" in request.GET or "b" in request.GET else None
    a_default, b_default = selectors.compare_defaults(frameworks=frameworks, region_id=_person_region_id(request))
    form = CompareForm(data, frameworks=frameworks, initial={"a": a_default, "b": b_default})
    comparison = None
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        comparison = _fragment(
            "compare",
            [*_framework_parts(a), *_framework_parts(b)],
            lambda: render_to_string(
                "values/_compare_columns.html", {"c": selectors.frameworks_compare(first=a, second=b)}
            ),
        )
    return render(
        request,
        "values/compare.html",
        {
            "form": form,
            # The same for every reader with the same choices and values: rendered once per process.
            "form_fields": form_html(form, "values/_compare_fields.html"),
            "columns": comparison,
            "breadcrumbs": _crumbs((_("Compare frameworks"), "")),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Results depend on the words, the filters, the page and the versions searched (each
    visible framework's current one: drafts only for their editors), so they are cached
    under all of these."""
    frameworks = selectors.framework_list_for_user(user=request.user)
    form = SearchForm(request.GET or None, frameworks=frameworks)
    results = None
    if form.is_valid():
        q, framework_slug, region_slug = (form.cleaned_data[k] for k in ("q", "framework", "region"))
        raw_page = request.GET.get("page", "1")
        # ASCII digits only ("²".isdigit() is true, int() refuses it), and a bounded set of cache keys.
        page = min(int(raw_page), 10_000) if re.fullmatch(r"[0-9]{1,6}", raw_page) else 1
        # The links the results make (pages, "search without this filter") carry only the
        # search's own parameters, never whatever else was in this request's address.
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in (("q", q), ("framework", framework_slug), ("region", region_slug)) if v})

        def render_results() -> str:
            found = selectors.items_search(
                user=request.user, q=q, framework_slug=framework_slug, region_slug=region_slug, page=page
            )
            without = {}
            for name in ("framework", "region"):
                rest = query.copy()
                rest.pop(name, None)
                without[name] = rest.urlencode()
            return render_to_string(
                "values/_search_results.html",
                {"results": found, "hits": found.hits, "query": query, "without": without, "q": q},
            )

        searched = [p for f in frameworks for p in _framework_parts(f)]
        try:
            results = _fragment("search", [q, framework_slug, region_slug, page, *searched], render_results)
        except selectors.SearchInputError as exc:
            form.add_error("q", str(exc))
    return render(
        request,
        "values/search.html",
        {
            "form": form,
            "results": results,
            "title": _("Search the frameworks"),
            "breadcrumbs": _crumbs((_("Search"), "")),
        },
    )
