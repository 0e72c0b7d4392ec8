"""Reads of the frameworks, scoped to what the user may see. Each runs a fixed number of
queries however long the framework is."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from values import access
from values.access import User
from values.models import Block, Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion, paragraph_blocks


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
    if version is None or not access.version_visible_to(user, version):
        raise Http404
    version.framework = framework
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

    def walk(self) -> Iterator[ItemNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class OwnAdditions:
    """What of the project's own (links, reflection questions) a page shows: the page says
    once that they are not the source's text."""

    links: bool
    questions: bool
    mixed_questions: bool  # some questions are the source's: the project's own are starred

    def __bool__(self) -> bool:
        return self.links or self.questions


def own_additions(*, roots: list[ItemNode]) -> OwnAdditions:
    nodes = [n for root in roots for n in root.walk()]
    return OwnAdditions(
        links=any(n.related for n in nodes),
        questions=any(n.has_own_questions for n in nodes),
        mixed_questions=any(n.has_own_questions and not n.all_own_questions for n in nodes),
    )


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


# What an item's page reads of the item, its parent, version and framework.
_ITEM_PAGE_FIELDS = (
    *("id", "version_id", "parent_id", "kind", "key", "position", "depth", "title", "subtitle", "body", "after"),
    *("parent__id", "parent__version_id", "parent__key", "parent__title"),
    *("version__id", "version__framework_id", "version__number", "version__status", "version__changed_at"),
    *("version__framework__id", "version__framework__slug", "version__framework__title", "version__framework__kind"),
    *("version__framework__region_id", "version__framework__owner_unit_id", "version__framework__current_version_id"),
)


def item_get_for_user(
    *, user: User, slug: str, key: str, number: int | None = None
) -> tuple[Framework, FrameworkVersion, Item]:
    """The framework, the version asked for (the current one by default) and the item
    (with its parent's title and key), in one query; 404 when one does not exist or the
    user may not see the version.

    One small query on every item page: four tables and the columns the page uses, no
    ordering (the key is unique in its version). With the region, the owning unit, the
    parent framework and the current version joined as well, PostgreSQL spent some 8 ms
    planning it (eight tables) for 0.4 ms of work; what the page does not use is read only
    when asked (the owning unit by `access.can_edit_framework`, for a draft)."""
    items = (
        Item.objects.filter(version__framework__slug=slug, key=key)
        .select_related("parent", "version__framework")
        .only(*_ITEM_PAGE_FIELDS)
        .order_by()
    )
    if number is None:
        items = items.filter(version=F("version__framework__current_version"))
    else:
        items = items.filter(version__number=number)
    item = next(iter(items[:1]), None)
    if item is None:
        raise Http404
    version = item.version
    framework = version.framework
    if not access.version_visible_to(user, version):
        raise Http404
    if item.parent is not None:
        item.parent.version = version
    return framework, version, item


@dataclass(frozen=True)
class Neighbour:
    title: str
    url: str


@dataclass(frozen=True)
class ItemPage:
    """What an item's page shows of the version: the item with its sub-items; for a
    bullet point without text of its own, the item it belongs to (its text and its other
    points); and the items of the same kind before and after it."""

    node: ItemNode
    context: ItemNode | None
    previous: Neighbour | None
    following: Neighbour | None


def item_page(*, version: FrameworkVersion, item: Item) -> ItemPage:
    """Five queries, whatever the version's size: its outline (document order, no text),
    then the items shown with their questions (2) and links (2)."""
    outline = list(
        Item.objects.filter(version=version).order_by("position").values_list("pk", "key", "title", "kind", "depth")
    )
    at = next(i for i, row in enumerate(outline) if row[0] == item.pk)
    has_children = at + 1 < len(outline) and outline[at + 1][4] > item.depth
    shows_parent = not item.has_text and not has_children and item.parent_id is not None
    root_at = next(i for i, row in enumerate(outline) if row[0] == item.parent_id) if shows_parent else at
    root_depth = outline[root_at][4]
    end = next((i for i in range(root_at + 1, len(outline)) if outline[i][4] <= root_depth), len(outline))
    pks = [row[0] for row in outline[root_at:end]]
    subtree = list(_items_with_questions().filter(pk__in=pks))
    (root,) = _build_tree(subtree, version, top_heading=1 if not shows_parent else 2)
    node = next(n for n in root.walk() if n.item.pk == item.pk) if shows_parent else root
    is_current = version.framework.current_version_id == version.pk
    slug = version.framework.slug
    same_kind = [row for row in outline if row[3] == item.kind and row[2]]
    keys = [row[1] for row in same_kind]

    def neighbour(i: int) -> Neighbour | None:
        if not 0 <= i < len(same_kind) or item.key not in keys:
            return None
        key, title = same_kind[i][1], same_kind[i][2]
        heading = Item(title=title).heading
        if is_current:
            return Neighbour(heading, reverse("values:item_detail", args=[slug, key]))
        return Neighbour(heading, reverse("values:item_version", args=[slug, version.number, key]))

    here = keys.index(item.key) if item.key in keys else -1
    return ItemPage(
        node=node,
        context=root if shows_parent else None,
        previous=neighbour(here - 1) if here > 0 else None,
        following=neighbour(here + 1) if here >= 0 else None,
    )


@dataclass(frozen=True)
class ReaderFramework:
    """A framework as the front page lists it: what a line shows and what keys the shared
    cache of its reflection questions (its current version and that version's `changed_at`)."""

    pk: int
    slug: str
    title: str
    kind: str
    owner_unit_id: int | None
    owner_label: str
    current_version_id: int
    changed_at: datetime

    def get_absolute_url(self) -> str:
        return reverse("values:framework_detail", args=[self.slug])

    def get_kind_display(self) -> str:
        return str(Framework.Kind(self.kind).label)


def frameworks_for_reader(*, user: User, region_id: int | None, chain_unit_ids: list[int]) -> list[ReaderFramework]:
    """The frameworks that apply to a person: their region's own (no owning unit) and the
    local ones owned by a unit in their ledelseskæde, the region's first. The same rule of
    what the user sees as `framework_list_for_user` (`_visible_frameworks`), read as plain
    rows of what a line shows: one query, cheap to build."""
    if region_id is None:
        return []
    rows = (
        _visible_frameworks(user)
        .filter(Q(region_id=region_id, owner_unit__isnull=True) | Q(owner_unit_id__in=chain_unit_ids))
        .order_by(F("owner_unit").asc(nulls_first=True), "position", "title")
        .values_list(
            "pk",
            "slug",
            "title",
            "kind",
            "owner_unit_id",
            "owner_unit__name",
            "region__name",
            "current_version_id",
            "current_version__changed_at",
        )
    )
    return [
        ReaderFramework(
            pk=pk,
            slug=slug,
            title=title,
            kind=kind,
            owner_unit_id=owner_unit_id,
            owner_label=owner_name if owner_unit_id else region_name,
            current_version_id=version_id,
            changed_at=changed_at,
        )
        for pk, slug, title, kind, owner_unit_id, owner_name, region_name, version_id, changed_at in rows
    ]


def _spread[T](questions: list[T], count: int, seed: int) -> list[T]:
    """`count` of the questions (all when fewer), spread over them; `seed` turns which."""
    n = len(questions)
    step = max(1, n // count)
    return [questions[(seed + i * step) % n] for i in range(min(count, n))]


def questions_for_reading(
    *, frameworks: list[Framework], count: int = 3, seed: int = 0
) -> tuple[Framework | None, list[ReflectionQuestion]]:
    """A few of the project's reflection questions on the first of `frameworks` that has
    any (current versions), each with its item; `seed` (e.g. the day) turns which ones,
    spread over the framework. One query."""
    by_version = {f.current_version_id: f for f in frameworks}
    questions = list(
        ReflectionQuestion.objects.filter(item__version_id__in=by_version, is_project_text=True)
        .select_related("item")
        .order_by("item__position", "position", "id")
    )
    for framework in frameworks:
        mine = [q for q in questions if q.item.version_id == framework.current_version_id]
        if mine:
            chosen = _spread(mine, count, seed)
            for q in chosen:
                q.item.version = framework.current_version
                q.item.version.framework = framework
            return framework, chosen
    return None, []


@dataclass(frozen=True)
class ReadingQuestion:
    """A reflection question as the front page lists it: its text and its item's link."""

    text: str
    key: str
    heading: str


# The chosen questions are the same for every reader of the same frameworks on the same day.
READING_QUESTIONS_TIMEOUT = 24 * 60 * 60


def reading_questions(
    *, frameworks: list[ReaderFramework], count: int = 3, seed: int = 0
) -> tuple[ReaderFramework | None, list[ReadingQuestion]]:
    """questions_for_reading as plain rows, kept in the shared cache under the frameworks'
    current versions and their `changed_at` stamps (bumped by every service that changes a
    version's text, questions included) and the seed: no query when cached. Nothing here
    depends on the reader beyond which frameworks they see, which is part of the key."""
    if not frameworks:
        return None, []
    parts = [f"{f.pk}.{f.current_version_id}.{f.changed_at.timestamp()}" for f in frameworks]
    key = f"values:reading-questions:{count}:{seed}:" + ",".join(parts)
    cached = cache.get(key)
    if cached is None:
        by_version: dict[int, list[ReadingQuestion]] = defaultdict(list)
        for text, key_, title, version_id in (
            ReflectionQuestion.objects.filter(
                item__version_id__in=[f.current_version_id for f in frameworks], is_project_text=True
            )
            .order_by("item__position", "position", "id")
            .values_list("text", "item__key", "item__title", "item__version_id")
        ):
            by_version[version_id].append(ReadingQuestion(text=text, key=key_, heading=Item(title=title).heading))
        chosen: tuple[int | None, list[ReadingQuestion]] = next(
            (
                (f.pk, _spread(by_version[f.current_version_id], count, seed))
                for f in frameworks
                if by_version[f.current_version_id]
            ),
            (None, []),
        )
        cached = chosen
        cache.set(key, cached, READING_QUESTIONS_TIMEOUT)
    framework_pk, rows = cached
    return next((f for f in frameworks if f.pk == framework_pk), None), rows


# --- Search ---------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
_MARK_START, _MARK_STOP = "\x02", "\x03"
# Heading punctuation the sources put after a title ("Målopfyldelse:", "Forord.").
_TITLE_TAIL = ".:;, "

SEARCH_MAX_LENGTH = 200
SEARCH_PAGE_SIZE = 20
# Candidates read before ranking: far more than the demo frameworks hold (about 400 items),
# so in practice every hit, and a bound on the work for a very common word.
SEARCH_CANDIDATES = 2000
SNIPPET_WORDS = 32
SNIPPET_WORDS_BEFORE = 10


class SearchInputError(ValueError):
    pass


class Tier(IntEnum):
    """Why a hit matched, best first. Hits are ordered by tier, then by rank within it."""

    TITLE_EXACT = 0  # the title is the search ("Ledelse ned", "Dristighed.")
    TITLE_PHRASE = 1  # the title holds the words as written, in order ("Gensidig tillid")
    TITLE_WORDS = 2  # the title holds every word, inflected (stemmed) or in any order
    TEXT_PHRASE = 3  # the text holds the words as written, in order
    TEXT_WORDS = 4  # the text holds every word as written
    TEXT_STEMMED = 5  # the text holds every word, inflected
    WORD_BEGINNING = 6  # every word only as the beginning of a longer word ("tillidsfuldt")


@dataclass(frozen=True)
class SearchHit:
    item: Item
    title: SafeString  # the item's title, the search words marked
    snippet: SafeString  # the text around the first marked word, marked and escaped
    tier: Tier
    rank: float
    url: str  # the item's place inside its framework's page


@dataclass(frozen=True)
class ExcludingFilter:
    """A filter that left nothing: how many hits there are without it."""

    name: str  # "framework" or "region"
    label: str
    hits_without: int


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]  # this page's
    page: Page
    total: int
    excluded_by: list[ExcludingFilter]

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


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


def snippet_around_mark(marked: str, *, words: int = SNIPPET_WORDS, before: int = SNIPPET_WORDS_BEFORE) -> str:
    """About `words` words of `marked` (text with the search words between the mark
    characters), starting a few words before the first marked one, cut only between words,
    with "…" where text was left out. Line breaks and list dashes become plain spaces."""
    text = re.sub(r"(^|\n)[-•]\s+", r"\1", marked.strip())
    tokens = text.split()
    if not tokens:
        return ""
    first = next((i for i, t in enumerate(tokens) if _MARK_START in t), 0)
    start = max(0, min(first - before, len(tokens) - words))
    end = min(len(tokens), start + words)
    snippet = " ".join(tokens[start:end])
    if start > 0:
        snippet = "… " + snippet
    if end < len(tokens):
        snippet = snippet.rstrip(",;:–-") + " …"
    return snippet


def _normalized(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def mark_words(text: str, terms: list[str]) -> str:
    """`text` with every word that begins with one of `terms` between the mark characters
    (the SQLite path; PostgreSQL marks with ts_headline)."""
    if not terms:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", text)


# Longest tail an inflected Danish form adds to a word on SQLite: tillid-en, dialog-erne.
_INFLECTION = 4


def _every(words: list[str], terms: list[str], match: Callable[[str, str], bool]) -> bool:
    """Each of `terms` matches one of `words`."""
    return all(any(match(w, t) for w in words) for t in terms)


def _exact(w: str, t: str) -> bool:
    return w == t


def _inflected(w: str, t: str) -> bool:
    return w.startswith(t) and len(w) - len(t) <= _INFLECTION


def _beginning(w: str, t: str) -> bool:
    return w.startswith(t)


def _search_tier(*, title: str, q: str, terms: list[str], title_words: list[str], text_words: list[str]) -> Tier:
    """The tier of a hit (every word at least begins a word): see `search_score`."""
    phrase = f" {' '.join(terms)} "

    def has_phrase(words: list[str]) -> bool:
        return phrase in f" {' '.join(words)} "

    if _normalized(title) == _normalized(q):
        return Tier.TITLE_EXACT
    if has_phrase(title_words):
        return Tier.TITLE_PHRASE
    if _every(title_words, terms, _inflected):
        return Tier.TITLE_WORDS
    if has_phrase(text_words):
        return Tier.TEXT_PHRASE
    if _every(text_words, terms, _exact):
        return Tier.TEXT_WORDS
    if _every(title_words + text_words, terms, _inflected):
        return Tier.TEXT_STEMMED
    return Tier.WORD_BEGINNING


def search_score(*, title: str, text: str, q: str, terms: list[str]) -> tuple[Tier, float] | None:
    """The tier and the rank of an item for the search `q` (split into `terms`), by the
    same tiers the PostgreSQL search uses, with plain word matching instead of stemming
    (an inflected form is the word and a short ending). None: not a hit (every word must
    at least begin a word of the title or the text). The SQLite path ranks with this."""
    title_words = _WORD.findall(title.lower())
    text_words = _WORD.findall(text.lower())
    if not _every(title_words + text_words, terms, _beginning):
        return None
    tier = _search_tier(title=title, q=q, terms=terms, title_words=title_words, text_words=text_words)
    # Within a tier: how often the words occur, a title's words counting most; per 100 words
    # of text, so a long introduction that names the word once does not beat a short value.
    in_title = sum(1 for w in title_words for t in terms if w.startswith(t))
    in_text = sum(1 for w in text_words for t in terms if w.startswith(t))
    rank = in_title * 5 + in_text * 100 / max(len(text_words), 100)
    return tier, rank


@dataclass(frozen=True)
class _Candidate:
    pk: int
    tier: Tier
    rank: float
    framework_slug: str
    framework_title: str
    region_slug: str
    position: int


def _search_candidates_postgresql(items: QuerySet[Item], q: str, terms: list[str]) -> list[_Candidate]:
    """Every matching item with its tier and rank, in one query: separate tsqueries for
    the title as written (the title is the search vector's weight A, migration 0007),
    the text as written ('simple': no stemming), stemmed ('danish'), and word beginnings."""
    prefix = " & ".join(f"{t}:*" for t in terms)
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(to_tsquery('danish', %s))", [prefix])
        if cursor.fetchone()[0] == 0:
            raise SearchInputError(
                _("The search has only very common words (such as 'og' and 'at'). Try a more specific word.")
            )
    text = "COALESCE(values_item.body, '') || ' ' || COALESCE(values_item.\"after\", '')"
    tier_sql = f"""CASE
        WHEN rtrim(lower(values_item.title), %s) = %s THEN 0
        WHEN ts_filter(values_item.search_vector, '{{a}}') @@ phraseto_tsquery('danish', %s)
             AND to_tsvector('simple', values_item.title) @@ phraseto_tsquery('simple', %s) THEN 1
        WHEN ts_filter(values_item.search_vector, '{{a}}') @@ plainto_tsquery('danish', %s) THEN 2
        WHEN to_tsvector('simple', {text}) @@ phraseto_tsquery('simple', %s) THEN 3
        WHEN to_tsvector('simple', {text}) @@ plainto_tsquery('simple', %s) THEN 4
        WHEN values_item.search_vector @@ plainto_tsquery('danish', %s) THEN 5
        ELSE 6 END"""
    normalized = _normalized(q)
    rows = (
        items.filter(search_vector=SearchQuery(prefix, config="danish", search_type="raw"))
        .annotate(
            tier=RawSQL(tier_sql, [_TITLE_TAIL, normalized, q, q, q, q, q, q]),
            # Normalised by the text's length (flag 1), so a short value beats a long
            # introduction that names the word once.
            rank=RawSQL("ts_rank(values_item.search_vector, to_tsquery('danish', %s), 1)", [prefix]),
        )
        .values_list(
            "pk",
            "tier",
            "rank",
            "version__framework__slug",
            "version__framework__title",
            "version__framework__region__slug",
            "position",
        )
        .order_by("tier", "-rank", "version__framework__title", "position")[:SEARCH_CANDIDATES]
    )
    return [_Candidate(pk, Tier(tier), rank, *rest) for pk, tier, rank, *rest in rows]


def _search_candidates_sqlite(items: QuerySet[Item], q: str, terms: list[str]) -> list[_Candidate]:
    """A bounded set of items that contain every word somewhere (a plain contains-search;
    SQLite's own lower() knows only ASCII, so each word is also tried capitalised and in
    capitals), ranked in Python by `search_score`."""
    condition = Q()
    for term in terms:
        one = Q()
        for form in {term, term.capitalize(), term.upper()}:
            one |= Q(title__contains=form) | Q(subtitle__contains=form) | Q(body__contains=form)
            one |= Q(after__contains=form)
        condition &= one
    rows = (
        items.filter(condition)
        .values_list(
            "pk",
            "title",
            "subtitle",
            "body",
            "after",
            "version__framework__slug",
            "version__framework__title",
            "version__framework__region__slug",
            "position",
        )
        .order_by("pk")[:SEARCH_CANDIDATES]
    )
    candidates = []
    for pk, title, subtitle, body, after, *rest in rows:
        score = search_score(title=title, text=f"{subtitle}\n{body}\n{after}", q=q, terms=terms)
        if score is not None:
            candidates.append(_Candidate(pk, score[0], score[1], *rest))
    return sort_candidates(candidates)


def sort_candidates(candidates: list[_Candidate]) -> list[_Candidate]:
    """Best first: by tier, then rank, then framework and document order."""
    return sorted(candidates, key=lambda c: (c.tier, -c.rank, c.framework_title, c.position))


def _hits_for_page(
    candidates: list[_Candidate], q: str, terms: list[str], version_urls: dict[str, str]
) -> list[SearchHit]:
    """The page's items with their marked titles and snippets (one query)."""
    items = Item.objects.filter(pk__in=[c.pk for c in candidates]).select_related(
        "version__framework__region", "parent"
    )
    if connection.vendor == "postgresql":
        prefix = " & ".join(f"{t}:*" for t in terms)
        query = SearchQuery(prefix, config="danish", search_type="raw")
        marks = {"start_sel": _MARK_START, "stop_sel": _MARK_STOP, "highlight_all": True}
        items = items.annotate(
            marked_text=SearchHeadline(
                Concat("body", Value("\n\n"), "after", output_field=TextField()), query, config="danish", **marks
            ),
            marked_title=SearchHeadline("title", query, config="danish", **marks),
        )
    by_pk = {item.pk: item for item in items}
    hits = []
    for candidate in candidates:
        item = by_pk[candidate.pk]
        if connection.vendor == "postgresql":
            marked_text, marked_title = item.marked_text, item.marked_title
        else:
            marked_text, marked_title = mark_words(f"{item.body}\n\n{item.after}", terms), mark_words(item.title, terms)
        if _MARK_START not in marked_text and _MARK_START in mark_words(item.subtitle, terms):
            marked_text = mark_words(item.subtitle, terms)  # the word is only in the subtitle
        hits.append(
            SearchHit(
                item=item,
                title=_marked_snippet(marked_title),
                snippet=_marked_snippet(snippet_around_mark(marked_text)),
                tier=candidate.tier,
                rank=candidate.rank,
                url=f"{version_urls[candidate.framework_slug]}#{item.anchor}",
            )
        )
    return hits


def items_search(
    *, user: User, q: str, framework_slug: str = "", region_slug: str = "", page: int | str = 1
) -> SearchResults:
    """Current, visible framework text matching every word of `q`, best first (see `Tier`:
    title matches, then the words as written, then inflected, then as word beginnings),
    one page of `SEARCH_PAGE_SIZE` hits with their snippets.

    PostgreSQL: Danish full-text search, a tsquery per tier, ts_rank within a tier.
    SQLite: a contains-search over a bounded candidate set, ranked in Python by
    `search_score` on the same tiers. When the filters leave nothing, `excluded_by` says
    which of them did, and how many hits there are without each.
    """
    terms = search_terms(q)
    frameworks = {f.slug: f for f in _visible_frameworks(user)}
    items = Item.objects.filter(version_id__in=[f.current_version_id for f in frameworks.values()])
    if connection.vendor == "postgresql":
        candidates = _search_candidates_postgresql(items, q, terms)
    else:
        candidates = _search_candidates_sqlite(items, q, terms)

    def keep(c: _Candidate, *, by_framework: bool = True, by_region: bool = True) -> bool:
        return (not by_framework or not framework_slug or c.framework_slug == framework_slug) and (
            not by_region or not region_slug or c.region_slug == region_slug
        )

    found = [c for c in candidates if keep(c)]
    excluded_by: list[ExcludingFilter] = []
    if not found and candidates:
        if framework_slug and framework_slug in frameworks:
            without = sum(1 for c in candidates if keep(c, by_framework=False))
            excluded_by.append(ExcludingFilter("framework", frameworks[framework_slug].title, without))
        if region_slug:
            names = {f.region.slug: f.region.name for f in frameworks.values()}
            without = sum(1 for c in candidates if keep(c, by_region=False))
            excluded_by.append(ExcludingFilter("region", names.get(region_slug, region_slug), without))
    paginator = Paginator(found, SEARCH_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    urls = {slug: f.get_absolute_url() for slug, f in frameworks.items()}
    hits = _hits_for_page(list(page_obj.object_list), q, terms, urls) if found else []
    return SearchResults(hits=hits, page=page_obj, total=len(found), excluded_by=excluded_by)


COMPARE_SHORT_WORDS = 25


@dataclass(frozen=True)
class CompareEntry:
    """An item as the comparison shows it: where it stands, and its text (its own, or for
    a bullet point without text the text of the item it belongs to)."""

    item: Item
    section: Item | None  # the theme (or top-level section) it stands under, if not itself
    text: str
    text_from: Item | None  # the item the text is taken from, when not the item itself
    note: str = ""  # the link's note

    @property
    def short(self) -> str:
        words = self.text.split()
        return " ".join(words[:COMPARE_SHORT_WORDS]) + (" …" if len(words) > COMPARE_SHORT_WORDS else "")

    @property
    def is_cut(self) -> bool:
        return len(self.text.split()) > COMPARE_SHORT_WORDS

    @property
    def blocks(self) -> list[Block]:
        return paragraph_blocks(self.text)


@dataclass(frozen=True)
class ComparePair:
    left: CompareEntry  # an item of the first framework
    right: list[CompareEntry]  # the items of the second it is linked with


@dataclass(frozen=True)
class CompareGroup:
    heading: Item | None  # a theme or top-level section; None for items before any
    pairs: list[ComparePair] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    first: Framework
    second: Framework
    linked: list[CompareGroup]  # by the first framework's themes, in its order
    only_first: list[CompareGroup]  # themes and principles without a link, by theme
    only_second: list[CompareGroup]


def _compare_sections(items: list[Item]) -> dict[int, Item | None]:
    """Each item's heading in the comparison: the nearest theme above or at it, else its
    top-level section."""
    by_pk = {i.pk: i for i in items}
    sections: dict[int, Item | None] = {}
    for item in items:
        node, root = item, item
        found = None
        while node is not None:
            if node.kind == Item.Kind.THEME:
                found = node
                break
            root = node
            node = by_pk.get(node.parent_id)
        sections[item.pk] = found or (root if root.title else None)
    return sections


def _group_by_section(entries: list[tuple[Item | None, object]]) -> list[tuple[Item | None, list[object]]]:
    groups: list[tuple[Item | None, list[object]]] = []
    for section, value in entries:
        if not groups or groups[-1][0] is not section:
            groups.append((section, []))
        groups[-1][1].append(value)
    return groups


def frameworks_compare(*, first: Framework, second: Framework) -> Comparison:
    """The two frameworks' current versions lined up: each linked item of `first` beside
    the items of `second` it is linked with, under `first`'s themes; then what has no link,
    under each framework's own themes (three queries). Both are frameworks the user may
    see (the compare form's list)."""
    versions = {first.current_version_id: first, second.current_version_id: second}
    items = list(Item.objects.filter(version_id__in=versions).order_by("position"))
    for item in items:
        item.version = versions[item.version_id].current_version
        item.version.framework = versions[item.version_id]
    by_pk = {i.pk: i for i in items}
    sections = _compare_sections(items)
    shown = [i for i in items if i.kind in (Item.Kind.THEME, Item.Kind.PRINCIPLE) and i.title]
    related = links_for_items(item_ids=[i.pk for i in shown if i.version_id == first.current_version_id])

    def entry(item: Item, note: str = "") -> CompareEntry:
        section = sections.get(item.pk)
        text = "\n\n".join(t for t in (item.body, item.after) if t.strip())
        if item.lead_in:  # "Dialog" / "betyder, at vi ...": the sentence reads whole
            text = f"{item.lead_in} {text}"
        text_from = None
        if not text and item.parent_id in by_pk:
            parent = by_pk[item.parent_id]
            text = "\n\n".join(t for t in (parent.body, parent.after) if t.strip())
            text_from = parent if text else None
        return CompareEntry(item, section if section is not item else None, text, text_from, note)

    linked_pks: set[int] = set()
    pairs: list[tuple[Item | None, object]] = []
    for item in shown:
        if item.version_id != first.current_version_id:
            continue
        here = [r for r in related.get(item.pk, []) if r.item.version.framework_id == second.pk]
        right = [entry(by_pk.get(r.item.pk, r.item), r.note) for r in here]
        if right:
            linked_pks.add(item.pk)
            linked_pks.update(e.item.pk for e in right)
            pairs.append((sections.get(item.pk), ComparePair(entry(item), right)))

    def unlinked(framework: Framework) -> list[CompareGroup]:
        rest = [
            (sections.get(i.pk), i)
            for i in shown
            if i.version_id == framework.current_version_id and i.pk not in linked_pks
        ]
        return [CompareGroup(heading, items=list(group)) for heading, group in _group_by_section(rest)]

    return Comparison(
        first=first,
        second=second,
        linked=[CompareGroup(heading, pairs=list(group)) for heading, group in _group_by_section(pairs)],
        only_first=unlinked(first),
        only_second=unlinked(second),
    )


def compare_defaults(*, frameworks: list[Framework], region_id: int | None) -> tuple[str, str]:
    """The two frameworks the compare form starts with: the person's region's own main
    framework, and the framework it has most in common with elsewhere (another region's
    first, else the region's next)."""
    if not frameworks:
        return "", ""
    mine = [f for f in frameworks if f.region_id == region_id and f.owner_unit_id is None]
    mine.sort(key=lambda f: (f.kind != Framework.Kind.LEDELSESGRUNDLAG, f.position, f.title))
    first = mine[0] if mine else frameworks[0]
    others = [f for f in frameworks if f.region_id != first.region_id and f.owner_unit_id is None]
    others.sort(key=lambda f: (f.kind != Framework.Kind.LEDELSESGRUNDLAG, f.position, f.title))
    second = others[0] if others else next((f for f in frameworks if f.pk != first.pk), None)
    return first.slug, second.slug if second else ""
