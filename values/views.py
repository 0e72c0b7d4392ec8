"""Framework pages: list, framework (current or earlier version), item, compare, search."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from values import selectors
from values.forms import CompareForm, SearchForm


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for_user(user=request.user)
    regions = [(region, list(group)) for region, group in groupby(frameworks, key=lambda f: f.region)]
    return render(request, "values/framework_list.html", {"regions": regions, "search_form": SearchForm()})


def _crumbs(*pairs: tuple[str, str]) -> list[Crumb]:
    home = Crumb(_("Front page"), reverse("home"))
    frameworks = Crumb(_("Leadership frameworks"), reverse("values:framework_list"))
    return [home, frameworks] + [Crumb(label, url) for label, url in pairs]


def _framework_page(request: HttpRequest, slug: str, number: int | None) -> HttpResponse:
    framework, version = selectors.framework_get_for_user(user=request.user, slug=slug, number=number)
    return render(
        request,
        "values/framework_detail.html",
        {
            "framework": framework,
            "version": version,
            "is_current": version.pk == framework.current_version_id,
            "tree": selectors.version_tree(version=version),
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


def _item_panels(request: HttpRequest, item) -> list[str]:
    """Extra panels other apps put on an item's page (settings.ITEM_PAGE_PANELS: dotted
    paths of functions called with request= and item=, returning HTML), so the frameworks
    need not know what uses them."""
    panels = (import_string(path)(request=request, item=item) for path in getattr(settings, "ITEM_PAGE_PANELS", ()))
    return [mark_safe(html) for html in panels if html]


def _item_page(request: HttpRequest, slug: str, key: str, number: int | None) -> HttpResponse:
    framework, version, item = selectors.item_get_for_user(user=request.user, slug=slug, key=key, number=number)
    is_current = version.pk == framework.current_version_id
    framework_url = framework.get_absolute_url() if is_current else version.get_absolute_url()
    parent_url = ""
    if item.parent:
        item.parent.version = version
        parent_url = selectors.item_url(item=item.parent, is_current=is_current)
    return render(
        request,
        "values/item_detail.html",
        {
            "framework": framework,
            "version": version,
            "item": item,
            "is_current": is_current,
            "framework_url": framework_url,
            "parent_url": parent_url,
            "breadcrumbs": _crumbs((framework.title, framework_url), (item.title or framework.title, "")),
            "panels": _item_panels(request, item),
        },
    )


@require_GET
def item_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    return _item_page(request, slug, key, None)


@require_GET
def item_version(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    return _item_page(request, slug, key, number)


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for_user(user=request.user)
    form = CompareForm(request.GET or None, frameworks=frameworks)
    columns = []
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        columns = [selectors.compare_column(user=request.user, framework=f, other=o) for f, o in ((a, b), (b, a))]
    return render(request, "values/compare.html", {"form": form, "columns": columns})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for_user(user=request.user)
    form = SearchForm(request.GET or None, frameworks=frameworks)
    hits = None
    if form.is_valid():
        try:
            hits = selectors.items_search(
                user=request.user,
                q=form.cleaned_data["q"],
                framework_slug=form.cleaned_data["framework"],
                region_slug=form.cleaned_data["region"],
            )
        except selectors.SearchInputError as exc:
            form.add_error("q", str(exc))
    return render(
        request,
        "values/search.html",
        {"form": form, "hits": hits, "limit": selectors.SEARCH_LIMIT, "title": _("Search the leadership frameworks")},
    )
