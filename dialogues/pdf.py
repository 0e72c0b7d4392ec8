"""What goes into the dialogue material: dialogue cards, the framework booklet, the
recruitment interview guide, the meeting guide for an activity and the plan as a document.
Rendering, fonts, the URL fetcher and caching are ledelse.documents'; this module builds
the Document (template + context + metadata) for each kind. The same cards feed the
on-screen presentation (dialogues.views).

Framework text is taken as it stands; the reflection questions are the project's own and
are marked so wherever they are printed."""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from dialogues import activity_questions
from dialogues.models import Activity, Plan, PlanEvent
from ledelse.documents import Document
from ledelse.documents.fetcher import generated_url
from ledelse.documents.render import content_key, layout, render_html
from ledelse.models import Person
from values import selectors as values_selectors
from values.models import Block, Framework, FrameworkVersion, Item
from values.selectors import ItemNode

PER_SHEET_CHOICES = (4, 6)
# The most plans one document holds (about two pages each): a part of the organisation
# with more is printed part by part (dialogues.services.rollout_plans_document_request).
PLANS_PER_DOCUMENT = 80
BOOKLET_FORMATS = ("a4", "a5")

# One colour per top-level theme, in order (white text on each passes WCAG AA).
THEME_COLOURS = ("#0059b3", "#00703c", "#7a2a7a", "#a14a00", "#00697a", "#b3262e", "#3d4f6b", "#5b6b00")

# A card's text size steps down with its length, so the longest principle in the five
# frameworks fits a card of either size (tests/dialogues/test_pdf_cards.py proves it).
# (largest characters of title + text, size class) per cards per sheet.
_CARD_SIZES = {
    6: ((560, "l"), (780, "m"), (1_100, "s"), (1_400, "xs"), (10_000, "xxs")),
    4: ((800, "l"), (1_100, "m"), (1_500, "s"), (1_900, "xs"), (10_000, "xxs")),
}


def absolute_url(path: str) -> str:
    return (settings.SITE_URL or "http://localhost").rstrip("/") + path


@lru_cache(maxsize=1024)
def qr_png(url: str) -> bytes:
    """The URL as a QR code image (a PNG draws many times faster in WeasyPrint than the
    same code as SVG paths). Kept per process: choosing the code's mask is a fifth of a
    card deck's render, and a deck's addresses stay the same. Saved as 8-bit grey: WeasyPrint
    embeds that as it is, where segno's palette PNG was converted to RGB and encoded twice
    more for every code of every render."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=4, border=0, dark="#1a1a1a")
    grey = io.BytesIO()
    Image.open(io.BytesIO(buffer.getvalue())).convert("L").save(grey, format="PNG")
    return grey.getvalue()


class QRCodes:
    """The QR images of one document: add(url) gives the src to put in the template."""

    def __init__(self) -> None:
        self.images: dict[str, bytes] = {}
        self._names: dict[str, str] = {}

    def add(self, url: str) -> str:
        if url not in self._names:
            name = f"qr-{len(self._names) + 1}.png"
            self._names[url] = name
            self.images[name] = qr_png(url)
        return generated_url(self._names[url])


# --- Cards -----------------------------------------------------------------------------------


@dataclass
class Card:
    framework: str
    theme: str
    colour: str
    item: Item
    title: str
    blocks: list[Block]
    questions: list[str]
    questions_are_own: bool
    url: str
    qr: str = ""
    size: str = "l"
    number: int = 0
    # The heading the first paragraph goes on from ("Dialog" / "betyder, at vi lytter ..."),
    # printed at the start of the text so the sentence reads whole.
    lead_in: str = ""
    # Set when the source gives the principle a title only: the front then carries its
    # theme's text (these blocks), and says so.
    text_from_theme: str = ""

    @property
    def colour_index(self) -> int:
        return THEME_COLOURS.index(self.colour) if self.colour in THEME_COLOURS else 0

    @property
    def length(self) -> int:
        text = sum(len(b.text) + sum(len(line) + 4 for line in b.lines) for b in self.blocks)
        # The note that the text is the theme's, and the theme's name in the band above it.
        extra = 90 + len(self.theme) if self.text_from_theme else 0
        return len(self.title) * 2 + text + extra


def _walk(nodes: list[ItemNode], theme: Item | None, colour: str, out: list[tuple[ItemNode, Item | None, str]]) -> None:
    for node in nodes:
        if node.item.kind == Item.Kind.THEME:
            _walk(node.children, node.item, colour, out)
            if not _has_card_below(node):
                out.append((node, node.item, colour))
        elif node.item.kind == Item.Kind.PRINCIPLE:
            out.append((node, theme, colour))
            _walk(node.children, theme, colour, out)
        else:
            _walk(node.children, theme, colour, out)


def _has_card_below(node: ItemNode) -> bool:
    return any(c.item.kind in (Item.Kind.THEME, Item.Kind.PRINCIPLE) or _has_card_below(c) for c in node.children)


def _questions(node: ItemNode) -> tuple[list[str], bool]:
    """The item's own reflection questions (up to 3). Never borrowed from the theme above:
    the same list on every card of a theme gives a deck of identical backs."""
    chosen = node.questions[:3]
    return [q.text for q in chosen], all(q.is_project_text for q in chosen)


@dataclass
class Deck:
    framework: Framework
    version: FrameworkVersion
    cards: list[Card]
    scope: str  # "framework", "theme" or "selection"
    heading: str
    key: str = ""  # the theme's key when scope is "theme"

    @property
    def file_stem(self) -> str:
        """dialogkort-<framework>[-<theme>|-udvalgte]: each deck its own file name."""
        stem = f"dialogkort-{self.framework.slug}"
        if self.scope == "theme":
            return f"{stem}-{self.key}"
        if self.scope == "selection":
            return f"{stem}-udvalgte"
        return stem


def _theme_colours(roots: list[ItemNode]) -> dict[int, str]:
    themes = [n.item for n in roots if n.item.kind == Item.Kind.THEME]
    if not themes:  # themes one level down (a framework with a title block on top)
        themes = [c.item for n in roots for c in n.children if c.item.kind == Item.Kind.THEME]
    return {t.pk: THEME_COLOURS[n % len(THEME_COLOURS)] for n, t in enumerate(themes)}


def _card_places(roots: list[ItemNode]) -> list[tuple[ItemNode, Item | None, str]]:
    """Every item that gets a card, with its theme and colour, in document order."""
    colours = _theme_colours(roots)
    found: list[tuple[ItemNode, Item | None, str]] = []
    for root in roots:
        colour = colours.get(root.item.pk, THEME_COLOURS[0])
        if root.item.kind == Item.Kind.THEME:
            _walk([root], None, colour, found)
        else:
            for child in root.children:
                _walk([child], None, colours.get(child.item.pk, colour), found)
    return found


def _theme_title(item: Item, theme: Item | None, by_id: dict[int, ItemNode]) -> str:
    if theme is None:
        return ""
    if theme.pk != item.pk:
        return theme.heading
    parent = by_id[item.parent_id].item if item.parent_id in by_id else None
    return parent.heading if parent is not None and parent.kind == Item.Kind.THEME else ""


def _make_card(framework: Framework, node: ItemNode, theme: Item | None, colour: str, theme_title: str) -> Card:
    item = node.item
    blocks = item.blocks() + item.after_blocks()
    lead_in, from_theme = item.lead_in, ""
    if not blocks and theme is not None and theme.pk != item.pk:
        blocks = theme.blocks() + theme.after_blocks()
        lead_in, from_theme = theme.lead_in, theme.heading
    questions, own = _questions(node)
    return Card(
        framework=framework.title,
        theme=theme_title,
        colour=colour,
        item=item,
        title=item.heading,
        blocks=blocks,
        questions=questions,
        questions_are_own=own,
        url=absolute_url(node.url),
        lead_in=lead_in,
        text_from_theme=from_theme,
    )


def framework_cards(*, framework: Framework, version: FrameworkVersion) -> list[Card]:
    """Every card of a framework version in document order: one per principle, and one per
    theme that has no principle or sub-theme below it. Four queries."""
    version.framework = framework
    roots = values_selectors.version_tree(version=version)
    by_id = {node.item.pk: node for root in roots for node in root.walk()}
    return [
        _make_card(framework, node, theme, colour, _theme_title(node.item, theme, by_id))
        for node, theme, colour in _card_places(roots)
    ]


def deck_for(
    *, framework: Framework, version: FrameworkVersion, theme_key: str = "", principle_keys: tuple[str, ...] = ()
) -> Deck:
    """The cards of the whole framework, of one theme, or of a hand-picked set of items
    (keys of principles or themes, in document order)."""
    cards = framework_cards(framework=framework, version=version)
    scope, heading = "framework", framework.title
    if principle_keys:
        keys = set(principle_keys)
        cards = [c for c in cards if c.item.key in keys]
        scope, heading = "selection", _("Chosen principles")
    elif theme_key:
        theme = Item.objects.filter(version=version, key=theme_key, kind=Item.Kind.THEME).first()
        if theme is None:
            cards = []
        else:
            ancestors = dict(Item.objects.filter(version=version).values_list("pk", "parent_id"))

            def under(item: Item) -> bool:
                pk: int | None = item.pk
                while pk is not None:
                    if pk == theme.pk:
                        return True
                    pk = ancestors.get(pk)
                return False

            cards = [c for c in cards if under(c.item)]
            scope, heading = "theme", theme.heading
    for n, card in enumerate(cards, start=1):
        card.number = n
    key = theme_key if scope == "theme" else ""
    return Deck(framework=framework, version=version, cards=cards, scope=scope, heading=heading, key=key)


def _size_class(card: Card, per_sheet: int) -> str:
    for limit, size in _CARD_SIZES[per_sheet]:
        if card.length <= limit:
            return size
    return "xxs"


@dataclass
class Sheet:
    fronts: list[Card | None]
    backs: list[Card | None]  # mirrored, so each back lands behind its front


COLUMNS = 2


def sheets_for(cards: list[Card], per_sheet: int) -> list[Sheet]:
    """Cards in sheets of `per_sheet` (two columns). A sheet printed on both sides and
    turned over its long edge swaps the columns, so each row of backs is reversed."""
    sheets = []
    for start in range(0, len(cards), per_sheet):
        fronts: list[Card | None] = list(cards[start : start + per_sheet])
        fronts += [None] * (per_sheet - len(fronts))
        backs: list[Card | None] = []
        for row in range(0, per_sheet, COLUMNS):
            backs += list(reversed(fronts[row : row + COLUMNS]))
        sheets.append(Sheet(fronts=fronts, backs=backs))
    return sheets


CUT_MARKS_IMAGE = "cut-marks.svg"


def _cut_marks(per_sheet: int) -> bytes:
    """The cut marks of a sheet (A4, in mm) as one SVG drawn behind each sheet: at the card
    columns above and below the grid, at the card rows left and right of it. One image
    rather than 14 positioned elements a page, a tenth of a deck's render."""
    rows = per_sheet // COLUMNS
    card_height = 276 / rows
    xs = [10, 105, 200]
    ys = [f"{10.5 + card_height * r:.2f}" for r in range(rows + 1)]
    lines = [f'<line x1="{x}" y1="2.5" x2="{x}" y2="8.5"/><line x1="{x}" y1="288.5" x2="{x}" y2="294.5"/>' for x in xs]
    lines += [f'<line x1="2.5" y1="{y}" x2="8.5" y2="{y}"/><line x1="201.5" y1="{y}" x2="207.5" y2="{y}"/>' for y in ys]
    # 0.2 pt in mm.
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
        f'<g stroke="#000" stroke-width="0.0706">{"".join(lines)}</g></svg>'
    ).encode()


def cards_document(*, deck: Deck, per_sheet: int) -> Document:
    if per_sheet not in PER_SHEET_CHOICES:
        raise ValueError(f"per_sheet must be one of {PER_SHEET_CHOICES}")
    codes = QRCodes()
    for card in deck.cards:
        card.size = _size_class(card, per_sheet)
        card.qr = codes.add(card.url)
    title = _("Dialogue cards: %(heading)s") % {"heading": deck.heading}
    if deck.scope != "framework":
        title = f"{title} ({deck.framework.title})"
    return Document(
        template="dialogues/pdf/cards.html",
        title=title,
        subject=_("Dialogue cards for a dialogue on %(framework)s, %(n)d per sheet, to print on both sides")
        % {"framework": deck.framework.title, "n": per_sheet},
        keywords=("dialogkort", deck.framework.title),
        filename=f"{deck.file_stem}-{per_sheet}-pr-ark.pdf",
        stylesheets=("dialogues/pdf/cards.css",),
        images={**codes.images, CUT_MARKS_IMAGE: _cut_marks(per_sheet)},
        context={
            "deck": deck,
            "sheets": sheets_for(deck.cards, per_sheet),
            "per_sheet": per_sheet,
            "marks": generated_url(CUT_MARKS_IMAGE),
        },
    )


def all_cards_document(*, decks: list[Deck], per_sheet: int) -> Document:
    """Every framework's cards in one file (large: made by a Celery task)."""
    sheets: list[Sheet] = []
    codes = QRCodes()
    for deck in decks:
        for card in deck.cards:
            card.size = _size_class(card, per_sheet)
            card.qr = codes.add(card.url)
        sheets += sheets_for(deck.cards, per_sheet)
    return Document(
        template="dialogues/pdf/cards.html",
        title=_("Dialogue cards: all frameworks"),
        subject=_("Dialogue cards for every framework, %(n)d per sheet, to print on both sides") % {"n": per_sheet},
        keywords=("dialogkort",),
        filename=f"dialogkort-alle-{per_sheet}-pr-ark.pdf",
        stylesheets=("dialogues/pdf/cards.css",),
        images={**codes.images, CUT_MARKS_IMAGE: _cut_marks(per_sheet)},
        context={"sheets": sheets, "per_sheet": per_sheet, "marks": generated_url(CUT_MARKS_IMAGE)},
    )


# --- The booklet and the recruitment guide ------------------------------------------------


A5_SHEET_PAGES = 4  # an A5 booklet is A4 sheets folded once: four pages a sheet
PX_PER_MM = 96 / 25.4
# Lines for notes: their height, and the room the heading above them takes (booklet.css).
NOTES_LINE_MM = {"a4": 7.5, "a5": 6.5}
NOTES_HEADING_MM = 16
NOTES_PAGE_LINES = {"a4": 28, "a5": 24}


def _booklet(framework: Framework, version: FrameworkVersion, page_format: str, notes: BookletNotes) -> Document:
    tree = values_selectors.version_tree(version=version)
    return Document(
        template="dialogues/pdf/booklet.html",
        title=framework.title,
        subject=_("%(kind)s, %(owner)s, version %(n)d")
        % {"kind": framework.get_kind_display(), "owner": framework.owner_label, "n": version.number},
        author=framework.owner_label,
        keywords=(framework.get_kind_display(), framework.region.name),
        filename=f"{framework.slug}-{page_format}.pdf",
        stylesheets=("dialogues/pdf/booklet.css",),
        context={
            "framework": framework,
            "version": version,
            "tree": tree,
            "page_format": page_format,
            "url": absolute_url(framework.get_absolute_url()),
            "printed": timezone.localdate(),
            "notes": notes,
        },
    )


@dataclass(frozen=True)
class BookletNotes:
    """Lines for notes at the end of a booklet: under the last section, filling the rest of
    its page (so no page ends nearly empty), and whole pages of them to fill an A5 booklet
    up to whole folded sheets."""

    last_page_lines: int = 0
    pages: int = 0
    page_lines: int = 0

    @property
    def last_page(self) -> range:
        return range(self.last_page_lines)

    @property
    def whole_pages(self) -> range:
        return range(self.pages)

    @property
    def lines(self) -> range:
        return range(self.page_lines)


@dataclass(frozen=True)
class PageFacts:
    pages: int
    room_mm: float  # free height at the foot of the last page


_page_facts: dict[str, PageFacts] = {}


def page_facts(document: Document) -> PageFacts:
    """How many pages the document lays out to, and the room left on its last page
    (remembered by content, so a document asked for again is laid out once)."""
    html = render_html(document)
    key = content_key(document, html)
    if key not in _page_facts:
        if len(_page_facts) > 256:
            _page_facts.clear()
        pages = layout(document, html).pages
        page_box = pages[-1]._page_box
        root = next(b for b in page_box.children if b.element_tag == "html")
        bottom = page_box.content_box_y() + page_box.height
        used = root.position_y + root.margin_height()
        _page_facts[key] = PageFacts(pages=len(pages), room_mm=max(0.0, bottom - used) / PX_PER_MM)
    return _page_facts[key]


def _notes_for(facts: PageFacts, page_format: str) -> BookletNotes:
    lines = int((facts.room_mm - NOTES_HEADING_MM) // NOTES_LINE_MM[page_format]) - 1
    pages = -facts.pages % A5_SHEET_PAGES if page_format == "a5" else 0
    return BookletNotes(
        last_page_lines=max(lines, 0) if lines >= 3 else 0, pages=pages, page_lines=NOTES_PAGE_LINES[page_format]
    )


def booklet_document(*, framework: Framework, version: FrameworkVersion, page_format: str = "a4") -> Document:
    """The framework as a booklet in reading order. Lines for notes fill the rest of the
    last page; an A5 booklet is printed two pages a side on A4 and folded, so it gets pages
    for notes up to a multiple of four, ready for the printer's booklet mode (README,
    "Dialogue material and PDFs")."""
    if page_format not in BOOKLET_FORMATS:
        raise ValueError(f"page_format must be one of {BOOKLET_FORMATS}")
    version.framework = framework
    document = _booklet(framework, version, page_format, BookletNotes())
    notes = _notes_for(page_facts(document), page_format)
    if notes.last_page_lines or notes.pages:
        document = _booklet(framework, version, page_format, notes)
    return document


INTERVIEW_FILE = Path(__file__).resolve().parent / "data" / "interview.toml"


@cache
def interview_questions() -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """(framework slug, theme key) -> (questions, what to listen for): the project's own."""
    with INTERVIEW_FILE.open("rb") as f:
        entries = tomllib.load(f)["themes"]
    return {(e["framework"], e["theme"]): (list(e["questions"]), list(e.get("listen_for", []))) for e in entries}


@dataclass
class InterviewTheme:
    theme: Item
    principles: list[Item]
    blocks: list[Block]
    questions: list[str]
    listen_for: list[str]


def _general_questions(theme: Item) -> tuple[list[str], list[str]]:
    """For a theme the project has written nothing for: two questions built from its title."""
    title = theme.heading
    return (
        [
            _(
                "Tell us about a situation where you as a leader worked with “%(theme)s”. What did you do, and what came of it?"
            )
            % {"theme": title},
            _("What does “%(theme)s” mean for how you would lead here?") % {"theme": title},
        ],
        [_("Concrete examples from the candidate's own practice, not only views.")],
    )


def _top_themes(nodes: list[ItemNode]) -> list[ItemNode]:
    """The themes with no theme above them, in document order."""
    found = []
    for node in nodes:
        if node.item.kind == Item.Kind.THEME:
            found.append(node)
        else:
            found += _top_themes(node.children)
    return found


def _interview_theme(framework: Framework, node: ItemNode) -> InterviewTheme:
    principles = [n.item for n in node.walk() if n.item.kind == Item.Kind.PRINCIPLE]
    questions, listen_for = interview_questions().get((framework.slug, node.item.key)) or _general_questions(node.item)
    blocks = [] if principles else (node.item.blocks() + node.item.after_blocks())[:1]
    return InterviewTheme(
        theme=node.item, principles=principles, blocks=blocks, questions=questions, listen_for=listen_for
    )


def recruitment_document(*, framework: Framework, version: FrameworkVersion) -> Document:
    """An interview guide for recruiting a leader: each of the framework's themes with its
    principles (the framework's words), interview questions for a candidate and what to
    listen for (the project's own), room for notes and a score; a scoring grid, and how the
    notes carry into the new leader's first LUS."""
    version.framework = framework
    roots = values_selectors.version_tree(version=version)
    themes = [_interview_theme(framework, node) for node in _top_themes(roots)]
    return Document(
        template="dialogues/pdf/recruitment.html",
        title=_("Interview guide for recruiting a leader: %(framework)s") % {"framework": framework.title},
        subject=_("Recruitment of leaders with %(framework)s: questions by theme and a scoring grid")
        % {"framework": framework.title},
        keywords=("rekruttering", framework.title),
        filename=f"rekruttering-{framework.slug}.pdf",
        stylesheets=("dialogues/pdf/documents.css",),
        context={
            "framework": framework,
            "version": version,
            "themes": themes,
            "scores": range(1, 6),
            "url": absolute_url(framework.get_absolute_url()),
        },
    )


def material_documents(*, framework: Framework, version: FrameworkVersion) -> list[Document]:
    """The framework's material as the material page (dialogues.views.material) offers it
    to every reader, built as its views build it: the whole deck at each number of cards per
    sheet, the booklet in each page size and the recruitment guide. What publishing a
    version renders into the PDF store (dialogues.services.material_warm). A deck of its
    own for each number per sheet: cards_document sizes the deck's cards for its sheets."""
    decks = [
        cards_document(deck=deck_for(framework=framework, version=version), per_sheet=per_sheet)
        for per_sheet in PER_SHEET_CHOICES
    ]
    booklets = [
        booklet_document(framework=framework, version=version, page_format=page_format)
        for page_format in BOOKLET_FORMATS
    ]
    return [*decks, *booklets, recruitment_document(framework=framework, version=version)]


# --- The meeting guide and the plan ----------------------------------------------------------


@dataclass
class AgendaRow:
    minutes: int
    title: str
    detail: str = ""
    who: str = ""
    start: str = ""


@dataclass
class GuidePrinciple:
    card: Card
    minutes: int


DEFAULT_MEETING_MINUTES = 60


def _minutes(activity: Activity) -> int:
    if activity.date and activity.start_time and activity.end_time:
        start = datetime.combine(activity.date, activity.start_time)
        end = datetime.combine(activity.date, activity.end_time)
        return max(15, int((end - start).total_seconds() // 60))
    return DEFAULT_MEETING_MINUTES


def _round5(value: float) -> int:
    return max(5, round(value / 5) * 5)


def _cards_for_items(items: list[Item], version: FrameworkVersion) -> list[Card]:
    framework = version.framework
    wanted = {i.key for i in items}
    return [c for c in framework_cards(framework=framework, version=version) if c.item.key in wanted]


def activity_cards(*, plan: Plan, activity: Activity) -> list[Card]:
    """The cards of the activity's principles (else the plan's principles in focus)."""
    version = plan.rollout.framework_version
    items = list(activity.principles.all()) or list(plan.focus_principles.all())
    cards = _cards_for_items(items, version)
    for n, card in enumerate(cards, start=1):
        card.number = n
    return cards


def _per_card(rest: int, cards: int) -> int:
    """Minutes for each card: whole five-minute boxes where they fit, else whole minutes."""
    per = rest // cards
    return per - per % 5 if per >= 5 else per


def _dialogue_rows(cards: list[Card], rest: int) -> tuple[list[AgendaRow], int]:
    """A time box per card (0 minutes each when there are more cards than minutes: then one
    box for them all), and the minutes left over."""
    if not cards:
        return [
            AgendaRow(
                rest, _("Dialogue"), _("On the purpose above; write what came out of it below."), _("Facilitator")
            )
        ], 0
    per = _per_card(rest, len(cards))
    if per == 0:
        row = AgendaRow(
            rest, _("Dialogue on the cards"), _("Take the cards one at a time; see below."), _("Facilitator")
        )
        return [row], 0
    rows = [
        AgendaRow(
            per,
            _("Dialogue: %(title)s") % {"title": c.title},
            _("Card %(n)d: read it aloud, then the questions") % {"n": c.number},
            _("Facilitator"),
        )
        for c in cards
    ]
    return rows, rest - per * len(cards)


def meeting_agenda(*, activity: Activity, cards: list[Card]) -> tuple[list[AgendaRow], int]:
    """Time boxes for the meeting that add up to its length: welcome and framing, a box per
    card, what we agree, next steps. The project's own suggestion; returns the rows and the
    minutes per card."""
    total = _minutes(activity)
    welcome, agree, steps = _round5(total * 0.15), _round5(total * 0.15), 5
    rest = total - welcome - agree - steps
    dialogue, left = _dialogue_rows(cards, rest)
    rows = [
        AgendaRow(
            welcome,
            _("Welcome and framing"),
            _("Why we meet, the purpose, the roles and how we talk together"),
            _("Responsible"),
        ),
        *dialogue,
        AgendaRow(
            agree + left,
            _("What we agree"),
            _("What do we take with us? Who does what, and by when?"),
            _("Facilitator"),
        ),
        AgendaRow(
            steps,
            _("Next steps"),
            _("Who writes the outcome into the plan, and when do we follow up?"),
            _("Responsible"),
        ),
    ]
    _clock(rows, activity)
    return rows, dialogue[0].minutes if len(dialogue) == len(cards) else 0


def _clock(rows: list[AgendaRow], activity: Activity) -> None:
    if not (activity.date and activity.start_time):
        return
    # Only the clock shows: counted on a day of its own, so no stored date can overflow.
    clock = datetime.combine(date(2000, 1, 1), activity.start_time)
    for row in rows:
        row.start = clock.strftime("%H.%M")
        clock += timedelta(minutes=row.minutes)


def meeting_guide_document(*, plan: Plan, activity: Activity) -> Document:
    cards = activity_cards(plan=plan, activity=activity)
    codes = QRCodes()
    for card in cards:
        card.qr = codes.add(card.url)
    record_url = absolute_url(reverse("dialogues:activity_presentation", args=[plan.pk, activity.pk]) + "#udbytte")
    record_qr = codes.add(record_url)
    agenda, per_card = meeting_agenda(activity=activity, cards=cards)
    return Document(
        template="dialogues/pdf/meeting_guide.html",
        title=_("Meeting guide: %(title)s") % {"title": activity.title},
        subject=_("Meeting guide for a dialogue in %(unit)s on %(framework)s")
        % {"unit": plan.unit.name, "framework": plan.rollout.framework_version.framework.title},
        keywords=("dialogmødeguide", plan.unit.name),
        filename=f"dialogmoedeguide-{activity.pk}.pdf",
        stylesheets=("dialogues/pdf/documents.css",),
        images=codes.images,
        context={
            "plan": plan,
            "activity": activity,
            "agenda": agenda,
            "total_minutes": sum(row.minutes for row in agenda),
            "timed": bool(activity.start_time and activity.end_time),
            "participants": list(activity.participants.all()),
            "principles": [GuidePrinciple(card=c, minutes=per_card) for c in cards],
            "record_url": record_url,
            "record_qr": record_qr,
            "cards_url": absolute_url(reverse("dialogues:activity_presentation", args=[plan.pk, activity.pk])),
            # Asked before the meeting: the answers without names, from three (activity_questions).
            "asked": activity_questions.activity_questions_shown(activity=activity),
            "min_group": activity_questions.MIN_GROUP_SIZE,
        },
    )


@dataclass
class PlanSection:
    plan: Plan
    themes: list
    focus: list[Item]
    activities: list[Activity]
    co_owners: list = field(default_factory=list)
    approval: PlanEvent | None = None  # the latest approval: who and when


def plan_document(*, sections: list[PlanSection], title: str, filename: str) -> Document:
    """One plan (or every plan of a rollout) as a document: the local translation theme by
    theme, the principles in focus and the activities. All text is the unit's own."""
    first = sections[0].plan if sections else None
    return Document(
        template="dialogues/pdf/plan.html",
        title=title,
        subject=_("Local translation and activation plan for %(framework)s")
        % {"framework": first.rollout.framework_version.framework.title if first else ""},
        keywords=("aktiveringsplan",),
        filename=filename,
        stylesheets=("dialogues/pdf/documents.css",),
        context={"sections": sections, "printed": timezone.localdate()},
    )


# --- Large documents, made by a Celery task (ledelse.documents.registry) ---------------------


def _by_plan(rows, key: str = "plan_id") -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def plan_sections(plans: list[Plan]) -> list[PlanSection]:
    """What the plan document shows of each plan, read for all the plans at once: the same
    number of queries for one plan as for a hundred (one more per framework version).
    The plans come with rollout__framework_version__framework, unit and owner."""
    from dialogues import selectors
    from dialogues.models import PlanTranslation

    if not plans:
        return []
    ids = [plan.pk for plan in plans]
    themes_of = {
        version_id: selectors.version_themes(version_id=version_id)
        for version_id in {plan.rollout.framework_version_id for plan in plans}
    }
    texts: dict[int, dict[int, str]] = {}
    for plan_id, theme_id, text in PlanTranslation.objects.filter(plan_id__in=ids).values_list(
        "plan_id", "theme_id", "text"
    ):
        texts.setdefault(plan_id, {})[theme_id] = text
    activities = _by_plan(
        Activity.objects.filter(plan_id__in=ids)
        .select_related("responsible")
        .prefetch_related(
            Prefetch("principles", queryset=Item.objects.only("id", "title", "key", "version_id", "position")),
            Prefetch("participants", queryset=Person.objects.only("id", "name")),
        )
    )
    focus = _by_plan(
        Plan.focus_principles.through.objects.filter(plan_id__in=ids)
        .select_related("item")
        .only("plan_id", "item__id", "item__title", "item__position")
        .order_by("item__position")
    )
    co_owners = _by_plan(
        Plan.co_owners.through.objects.filter(plan_id__in=ids)
        .select_related("person")
        .only("plan_id", "person__id", "person__name")
        .order_by("person__name")
    )
    approvals: dict[int, PlanEvent] = {}
    for event in (
        PlanEvent.objects.filter(plan_id__in=ids, to_state=Plan.State.GODKENDT)
        .only("id", "plan_id", "at", "actor_name")
        .order_by("plan_id", "-at", "-id")
    ):
        approvals.setdefault(event.plan_id, event)
    sections = []
    for plan in plans:
        own = texts.get(plan.pk, {})
        themes = [
            selectors.ThemeRow(theme=row.theme, text=own.get(row.theme.pk, ""), principles=row.principles)
            for row in themes_of[plan.rollout.framework_version_id]
        ]
        sections.append(
            PlanSection(
                plan=plan,
                themes=themes,
                focus=[link.item for link in focus.get(plan.pk, [])],
                activities=activities.get(plan.pk, []),
                co_owners=[link.person for link in co_owners.get(plan.pk, [])],
                approval=approvals.get(plan.pk),
            )
        )
    return sections


def build_all_cards(*, user, per_sheet: int = 6) -> Document:
    """Every framework the user can read, as dialogue cards."""
    decks = []
    for framework in values_selectors.framework_list_for_user(user=user):
        version = framework.current_version
        decks.append(deck_for(framework=framework, version=version))
    return all_cards_document(decks=decks, per_sheet=per_sheet)


def build_rollout_plans(*, user, rollout_id: int, unit_id: int | None = None) -> Document:
    """The plans of a rollout in one part of the organisation (`unit_id` and the units
    below it; without it the rollout's whole scope) that the user can read, one after the
    other, in tree order. More than PLANS_PER_DOCUMENT plans are refused (ValidationError,
    the job fails with its message): one document is never the whole region."""
    from dialogues import selectors

    rollout = selectors.rollout_get_for_user(user=user, pk=rollout_id)
    unit = selectors.rollout_part_unit(rollout=rollout, unit_id=unit_id)
    from dialogues.services import rollout_plans_document_check

    # Checked again here: a job requested before the limit was lowered is refused too.
    rollout_plans_document_check(
        unit=unit, count=selectors.rollout_part_plan_count(user=user, rollout=rollout, unit=unit)
    )
    plans = selectors.rollout_part_plans(user=user, rollout=rollout, unit=unit, limit=PLANS_PER_DOCUMENT)
    title = _("The plans of %(unit)s: %(rollout)s") % {"unit": unit.name, "rollout": rollout.title}
    suffix = f"-{unit.pk}" if unit_id else ""
    return plan_document(
        sections=plan_sections(plans), title=title, filename=f"planer-udrulning-{rollout_id}{suffix}.pdf"
    )


DOCUMENT_KINDS: dict[str, Callable[..., Document]] = {
    "dialogues.all_cards": build_all_cards,
    "dialogues.rollout_plans": build_rollout_plans,
}
