"""Reads of the frameworks, scoped to what the user may see. Each runs a fixed number of
queries however long the framework is."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from values import access
from values.access import User
from values.models import Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion

SEARCH_MAX_LENGTH = 200
SEARCH_LIMIT = 50


def _visible_frameworks(user: User) -> QuerySet[Framework]:
    qs = Framework.objects.filter(current_version__isnull=False).select_related(
        "region", "owner_unit", "parent", "current_version"
    )
    editable = access.editable_frameworks_q(user)
    if editable != Q():
        draft = Q(current_version__status=FrameworkVersion.Status.KLADDE)
        qs = qs.exclude(draft & ~editable if editable is not None else draft)
    return qs


def frameworks_editable_by(*, user: User) -> QuerySet[Framework]:
    editable = access.editable_frameworks_q(user)
    return Framework.objects.filter(editable) if editable is not None else Framework.objects.none()


def links_editable_by(*, user: User) -> QuerySet[ItemLink]:
    """The links the user may change: both ends in frameworks the user edits (a link shows
    on both ends' pages)."""
    editable = frameworks_editable_by(user=user)
    return ItemLink.objects.filter(
        source__version__framework__in=editable, target__version__framework__in=editable
    ).select_related("source__version__framework__owner_unit", "target__version__framework__owner_unit")


def framework_list_for_user(*, user: User) -> list[Framework]:
    return list(_visible_frameworks(user).order_by("region__name", "position", "title"))


def framework_get_for_user(*, user: User, slug: str, number: int | None = None) -> tuple[Framework, FrameworkVersion]:
    """The framework and the version asked for (the current one by default); 404 when it
    does not exist or the user may not see it."""
    framework = (
        Framework.objects.select_related("region", "owner_unit", "parent", "current_version").filter(slug=slug).first()
    )
    if framework is None:
        raise Http404
    if number is None:
        version = framework.current_version
    else:
        version = framework.versions.filter(number=number).first()
    if version is not None:
        version.framework = framework
    if not access.version_visible_to(user, version):
        raise Http404
    return framework, version


def framework_versions_for_user(*, user: User, framework: Framework) -> list[FrameworkVersion]:
    versions = list(framework.versions.order_by("-number"))
    for version in versions:
        version.framework = framework
    return [v for v in versions if access.version_visible_to(user, v)]


def _current_link_filter(prefix: str) -> Q:
    # Only ends that are in their framework's current, published version.
    return Q(**{f"{prefix}__version__framework__current_version": F(f"{prefix}__version")}) & ~Q(
        **{f"{prefix}__version__status": FrameworkVersion.Status.KLADDE}
    )


@dataclass(frozen=True)
class Related:
    item: Item
    note: str


def links_for_items(*, item_ids: list[int]) -> dict[int, list[Related]]:
    """Related items in other frameworks, both directions (two queries)."""
    related: dict[int, list[Related]] = defaultdict(list)
    outgoing = ItemLink.objects.filter(_current_link_filter("target"), source_id__in=item_ids).select_related(
        "target__version__framework"
    )
    for link in outgoing:
        related[link.source_id].append(Related(link.target, link.note))
    incoming = ItemLink.objects.filter(_current_link_filter("source"), target_id__in=item_ids).select_related(
        "source__version__framework"
    )
    for link in incoming:
        related[link.target_id].append(Related(link.source, link.note))
    for values in related.values():
        values.sort(key=lambda r: (r.item.version.framework.title, r.item.position))
    return related


@dataclass
class ItemNode:
    """An item in its place in the version's tree, with what the page shows beside it: its
    sub-items, related items in other frameworks, its reflection questions, the heading
    level it takes on the page and its address."""

    item: Item
    url: str
    heading_level: int
    questions: list[ReflectionQuestion]
    related: list[Related]
    children: list[ItemNode] = field(default_factory=list)

    @property
    def children_as_bullets(self) -> bool:
        """Bullet points (principles with a title only) read as a list, as in the source."""
        return bool(self.children) and all(
            c.item.kind == Item.Kind.PRINCIPLE and not c.item.body and not c.children for c in self.children
        )

    @property
    def has_own_questions(self) -> bool:
        return any(q.is_project_text for q in self.questions)

    @property
    def all_own_questions(self) -> bool:
        return all(q.is_project_text for q in self.questions)


def _build_tree(items: list[Item], version: FrameworkVersion, *, top_heading: int) -> list[ItemNode]:
    """Arrange items (document order, questions prefetched) into a tree of nodes; the
    roots are returned. The shallowest items get heading level `top_heading`."""
    related = links_for_items(item_ids=[i.pk for i in items])
    is_current = version.framework.current_version_id == version.pk
    top_depth = min((i.depth for i in items), default=0)
    nodes: dict[int, ItemNode] = {}
    roots: list[ItemNode] = []
    for item in items:
        item.version = version  # the framework is already loaded; saves a query per item
        node = ItemNode(
            item=item,
            url=item_url(item=item, is_current=is_current),
            heading_level=min(top_heading + item.depth - top_depth, 6),
            questions=list(item.questions.all()),
            related=related.get(item.pk, []),
        )
        nodes[item.pk] = node
        parent = nodes.get(item.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def _items_with_questions() -> QuerySet[Item]:
    return Item.objects.order_by("position").prefetch_related(
        Prefetch("questions", queryset=ReflectionQuestion.objects.order_by("position", "id"))
    )


def version_tree(*, version: FrameworkVersion) -> list[ItemNode]:
    """The whole version as a tree. Four queries, whatever its length."""
    return _build_tree(list(_items_with_questions().filter(version=version)), version, top_heading=2)


def item_url(*, item: Item, is_current: bool) -> str:
    slug = item.version.framework.slug
    if is_current:
        return reverse("values:item_detail", args=[slug, item.key])
    return reverse("values:item_version", args=[slug, item.version.number, item.key])


def item_get_for_user(
    *, user: User, slug: str, key: str, number: int | None = None
) -> tuple[Framework, FrameworkVersion, Item]:
    """The framework, the version and the item asked for (with its parent); 404 when one
    does not exist or the user may not see the version."""
    framework, version = framework_get_for_user(user=user, slug=slug, number=number)
    item = Item.objects.filter(version=version, key=key).select_related("parent").first()
    if item is None:
        raise Http404
    item.version = version
    if item.parent is not None:
        item.parent.version = version
    return framework, version, item


def item_subtree(*, version: FrameworkVersion, item: Item) -> ItemNode:
    """The item with its sub-items as a tree, the item itself at heading level 1. Five
    queries, whatever its size."""
    # The item's sub-items follow it in document order until the depth returns to its level.
    end = (
        Item.objects.filter(version=version, position__gt=item.position, depth__lte=item.depth)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    following = _items_with_questions().filter(version=version, position__gte=item.position)
    subtree = list(following.filter(position__lt=end) if end is not None else following)
    (root,) = _build_tree(subtree, version, top_heading=1)
    return root


# --- Search ---------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
_MARK_START, _MARK_STOP = "\x02", "\x03"


class SearchInputError(ValueError):
    pass


@dataclass(frozen=True)
class SearchHit:
    item: Item
    title: SafeString  # the item's title, the search words marked
    snippet: SafeString
    rank: float


def search_terms(q: str) -> list[str]:
    q = (q or "").strip()
    if not q:
        raise SearchInputError(_("Enter one or more search terms."))
    if len(q) > SEARCH_MAX_LENGTH:
        raise SearchInputError(
            _("The search is too long: at most %(max)d characters, you wrote %(length)d.")
            % {"max": SEARCH_MAX_LENGTH, "length": len(q)}
        )
    terms = _WORD.findall(q.lower())
    if not terms:
        raise SearchInputError(_("The search must contain at least one word with letters or digits."))
    return terms[:20]


def _marked_snippet(raw: str) -> SafeString:
    """Escape the text, then turn the search highlights into <mark>."""
    return mark_safe(escape(raw).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>"))


def items_search(*, user: User, q: str, framework_slug: str = "", region_slug: str = "") -> list[SearchHit]:
    """Current, visible framework text matching every word of `q`, best first.

    PostgreSQL: Danish full-text search (stemming, so inflected forms meet; each word also
    as a prefix, so "tillid" finds "tillidsfuldt"), ranked, with highlighted snippets.
    SQLite: a plain contains-search.
    """
    terms = search_terms(q)
    frameworks = _visible_frameworks(user)
    if framework_slug:
        frameworks = frameworks.filter(slug=framework_slug)
    if region_slug:
        frameworks = frameworks.filter(region__slug=region_slug)
    items = Item.objects.filter(version_id__in=frameworks.values("current_version_id")).select_related(
        "version__framework__region", "parent"
    )
    if connection.vendor == "postgresql":
        raw = " & ".join(f"{t}:*" for t in terms)
        with connection.cursor() as cursor:
            cursor.execute("SELECT numnode(to_tsquery('danish', %s))", [raw])
            if cursor.fetchone()[0] == 0:
                raise SearchInputError(
                    _("The search has only very common words (such as 'og' and 'at'). Try a more specific word.")
                )
        query = SearchQuery(raw, config="danish", search_type="raw")
        hits = (
            items.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    Concat("body", Value("\n\n"), "after", output_field=TextField()),
                    query,
                    config="danish",
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
                title_headline=SearchHeadline(
                    "title", query, config="danish", start_sel=_MARK_START, stop_sel=_MARK_STOP, highlight_all=True
                ),
            )
            .order_by("-rank", "version__framework__title", "position")[:SEARCH_LIMIT]
        )
        return [
            SearchHit(
                item,
                _marked_snippet(item.title_headline) if item.title else mark_safe(""),
                _marked_snippet(item.headline if (item.body or item.after) else ""),
                item.rank,
            )
            for item in hits
        ]
    condition = Q()
    for term in terms:
        condition &= (
            Q(title__icontains=term) | Q(subtitle__icontains=term) | Q(body__icontains=term) | Q(after__icontains=term)
        )
    return [
        SearchHit(item, escape(item.title), escape((item.body or item.after)[:300]), 0.0)
        for item in items.filter(condition).order_by("version__framework__title", "position")[:SEARCH_LIMIT]
    ]


@dataclass(frozen=True)
class CompareRow:
    item: Item  # a theme or principle
    related: list[Related]  # its links into the other framework


@dataclass(frozen=True)
class CompareColumn:
    framework: Framework
    rows: list[CompareRow]


def compare_column(*, framework: Framework, other: Framework) -> CompareColumn:
    """A framework's themes and principles in document order, each with its links into
    `other` (3 queries). Both are frameworks the user may see (the compare form's list)."""
    version = framework.current_version
    items = list(
        Item.objects.filter(version=version, kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE]).order_by("position")
    )
    related = links_for_items(item_ids=[i.pk for i in items])
    rows = []
    for item in items:
        item.version = version
        here = [r for r in related.get(item.pk, []) if r.item.version.framework_id == other.pk]
        rows.append(CompareRow(item=item, related=here))
    return CompareColumn(framework=framework, rows=rows)
