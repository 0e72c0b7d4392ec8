"""What goes into the dialogue material: dialogue cards, the framework booklet, the
recruitment interview guide, the meeting guide for an activity and the plan as a document.
Rendering, fonts, the URL fetcher and caching are ledelse.documents'; this module builds
the Document (template + context + metadata) for each kind. The same cards feed the
on-screen presentation (dialogues.views).

Framework text is taken as it stands; the reflection questions are the project's own and
are marked so wherever they are printed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Activity, Plan
from ledelse.documents import Document
from ledelse.documents.fetcher import generated_url
from values import selectors as values_selectors
from values.models import Block, Framework, FrameworkVersion, Item
from values.selectors import ItemNode

PER_SHEET_CHOICES = (4, 6)
BOOKLET_FORMATS = ("a4", "a5")

# One colour per top-level theme, in order (white text on each passes WCAG AA).
THEME_COLOURS = ("#0059b3", "#00703c", "#7a2a7a", "#a14a00", "#00697a", "#b3262e", "#3d4f6b", "#5b6b00")

# A card's text size steps down with its length, so the longest principle in the five
# frameworks fits a card of either size (tests/dialogues/test_pdf_cards.py proves it).
# (largest characters of title + text, size class) per cards per sheet.
_CARD_SIZES = {
    6: ((560, "l"), (780, "m"), (1_100, "s"), (10_000, "xs")),
    4: ((800, "l"), (1_100, "m"), (1_500, "s"), (10_000, "xs")),
}


def absolute_url(path: str) -> str:
    return (settings.SITE_URL or "http://localhost").rstrip("/") + path


def qr_png(url: str) -> bytes:
    """The URL as a QR code image (a PNG draws many times faster in WeasyPrint than the
    same code as SVG paths)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=4, border=0, dark="#1a1a1a")
    return buffer.getvalue()


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

    @property
    def colour_index(self) -> int:
        return THEME_COLOURS.index(self.colour) if self.colour in THEME_COLOURS else 0

    @property
    def length(self) -> int:
        text = sum(len(b.text) + sum(len(line) + 4 for line in b.lines) for b in self.blocks)
        return len(self.title) * 2 + text


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


def _questions(node: ItemNode, ancestors: dict[int, ItemNode]) -> tuple[list[str], bool]:
    """The item's own reflection questions, else those of the nearest item above it that
    has some (2–3)."""
    current: ItemNode | None = node
    while current is not None:
        if current.questions:
            chosen = current.questions[:3]
            return [q.text for q in chosen], all(q.is_project_text for q in chosen)
        current = ancestors.get(current.item.parent_id)
    return [], True


@dataclass
class Deck:
    framework: Framework
    version: FrameworkVersion
    cards: list[Card]
    scope: str  # "framework", "theme" or "selection"
    heading: str


def framework_cards(*, framework: Framework, version: FrameworkVersion) -> list[Card]:
    """Every card of a framework version in document order: one per principle, and one per
    theme that has no principle or sub-theme below it. Four queries."""
    version.framework = framework
    roots = values_selectors.version_tree(version=version)
    by_id = {node.item.pk: node for root in roots for node in root.walk()}
    found: list[tuple[ItemNode, Item | None, str]] = []
    themes = [n.item for n in roots if n.item.kind == Item.Kind.THEME]
    if not themes:  # themes one level down (a framework with a title block on top)
        themes = [c.item for n in roots for c in n.children if c.item.kind == Item.Kind.THEME]
    colours = {t.pk: THEME_COLOURS[n % len(THEME_COLOURS)] for n, t in enumerate(themes)}
    for root in roots:
        colour = colours.get(root.item.pk, THEME_COLOURS[0])
        if root.item.kind == Item.Kind.THEME:
            _walk([root], None, colour, found)
        else:
            for child in root.children:
                _walk([child], None, colours.get(child.item.pk, colour), found)
    cards = []
    for node, theme, colour in found:
        item = node.item
        theme_title = theme.heading if theme is not None and theme.pk != item.pk else ""
        if theme is not None and theme.pk == item.pk and item.parent_id in by_id:
            parent = by_id[item.parent_id].item
            theme_title = parent.heading if parent.kind == Item.Kind.THEME else ""
        questions, own = _questions(node, by_id)
        cards.append(
            Card(
                framework=framework.title,
                theme=theme_title,
                colour=colour,
                item=item,
                title=item.heading,
                blocks=item.blocks() + item.after_blocks(),
                questions=questions,
                questions_are_own=own,
                url=absolute_url(node.url),
            )
        )
    return cards


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
            scope, heading = "theme", theme.title
    for n, card in enumerate(cards, start=1):
        card.number = n
    return Deck(framework=framework, version=version, cards=cards, scope=scope, heading=heading)


def _size_class(card: Card, per_sheet: int) -> str:
    for limit, size in _CARD_SIZES[per_sheet]:
        if card.length <= limit:
            return size
    return "xs"


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


def _cut_marks(per_sheet: int) -> dict:
    rows = per_sheet // COLUMNS
    card_height = 276 / rows
    return {
        "xs": [10, 105, 200],
        "ys": [f"{10.5 + card_height * r:.2f}" for r in range(rows + 1)],
        "card_height": round(card_height, 2),
    }


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
        filename=f"dialogkort-{deck.framework.slug}.pdf",
        stylesheets=("dialogues/pdf/cards.css",),
        images=codes.images,
        context={
            "deck": deck,
            "sheets": sheets_for(deck.cards, per_sheet),
            "per_sheet": per_sheet,
            "marks": _cut_marks(per_sheet),
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
        filename="dialogkort-alle.pdf",
        stylesheets=("dialogues/pdf/cards.css",),
        images=codes.images,
        context={"sheets": sheets, "per_sheet": per_sheet, "marks": _cut_marks(per_sheet)},
    )


# --- The booklet and the recruitment guide ------------------------------------------------


def booklet_document(*, framework: Framework, version: FrameworkVersion, page_format: str = "a4") -> Document:
    if page_format not in BOOKLET_FORMATS:
        raise ValueError(f"page_format must be one of {BOOKLET_FORMATS}")
    version.framework = framework
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
        },
    )


@dataclass
class InterviewTheme:
    theme: Item
    principles: list[Item]
    questions: list[str]
    questions_are_own: bool


def recruitment_document(*, framework: Framework, version: FrameworkVersion) -> Document:
    """An interview guide for a leader position: each theme with its principles (the
    framework's words), the reflection questions for the interview and a scoring grid."""
    version.framework = framework
    roots = values_selectors.version_tree(version=version)
    themes: list[InterviewTheme] = []

    def visit(nodes: list[ItemNode]) -> None:
        for node in nodes:
            if node.item.kind == Item.Kind.THEME and node.questions:
                chosen = node.questions[:4]
                themes.append(
                    InterviewTheme(
                        theme=node.item,
                        principles=[c.item for c in node.children if c.item.kind == Item.Kind.PRINCIPLE],
                        questions=[q.text for q in chosen],
                        questions_are_own=all(q.is_project_text for q in chosen),
                    )
                )
            visit(node.children)

    visit(roots)
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


# --- The meeting guide and the plan ----------------------------------------------------------


@dataclass
class AgendaRow:
    minutes: int
    title: str
    start: str = ""


@dataclass
class GuidePrinciple:
    card: Card
    minutes: int


def _minutes(activity: Activity) -> int:
    if activity.start_time and activity.end_time:
        start = datetime.combine(activity.date, activity.start_time)
        end = datetime.combine(activity.date, activity.end_time)
        return max(15, int((end - start).total_seconds() // 60))
    return 60


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


def meeting_agenda(*, activity: Activity, principles: int) -> tuple[list[AgendaRow], int]:
    """Time boxes for the meeting: welcome and purpose, a box per principle, the wrap-up.
    The project's own suggestion, scaled to the meeting's length."""
    total = _minutes(activity)
    welcome = _round5(total * 0.1)
    wrap = _round5(total * 0.2)
    per_principle = _round5((total - welcome - wrap) / max(principles, 1)) if principles else 0
    rows = [AgendaRow(welcome, _("Welcome, purpose and how we talk together"))]
    if principles:
        rows.append(AgendaRow(per_principle * principles, _("Dialogue on the principles (see below)")))
    else:
        rows.append(AgendaRow(total - welcome - wrap, _("Dialogue")))
    rows.append(AgendaRow(wrap, _("What did we find? Agreements and follow-up")))
    if activity.start_time:
        # Only the clock shows: counted on a day of its own, so no stored date can overflow.
        clock = datetime.combine(date(2000, 1, 1), activity.start_time)
        for row in rows:
            row.start = clock.strftime("%H.%M")
            clock += timedelta(minutes=row.minutes)
    return rows, per_principle


def meeting_guide_document(*, plan: Plan, activity: Activity) -> Document:
    cards = activity_cards(plan=plan, activity=activity)
    codes = QRCodes()
    for card in cards:
        card.qr = codes.add(card.url)
    record_url = absolute_url(reverse("dialogues:activity_presentation", args=[plan.pk, activity.pk]) + "#udbytte")
    record_qr = codes.add(record_url)
    agenda, per_principle = meeting_agenda(activity=activity, principles=len(cards))
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
            "principles": [GuidePrinciple(card=c, minutes=per_principle) for c in cards],
            "record_url": record_url,
            "record_qr": record_qr,
        },
    )


@dataclass
class PlanSection:
    plan: Plan
    themes: list
    focus: list[Item]
    activities: list[Activity]
    co_owners: list = field(default_factory=list)


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


def plan_sections(plans: list[Plan]) -> list[PlanSection]:
    """What the plan document shows of each plan (a fixed number of queries per plan)."""
    from dialogues import selectors

    sections = []
    for plan in plans:
        themes = selectors.version_themes(version_id=plan.rollout.framework_version_id)
        texts = dict(plan.translations.values_list("theme_id", "text"))
        for row in themes:
            row.text = texts.get(row.theme.pk, "")
        sections.append(
            PlanSection(
                plan=plan,
                themes=themes,
                focus=list(plan.focus_principles.order_by("position")),
                activities=list(
                    Activity.objects.filter(plan=plan).select_related("responsible").prefetch_related("principles")
                ),
                co_owners=list(plan.co_owners.order_by("name")),
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


def build_rollout_plans(*, user, rollout_id: int) -> Document:
    """Every plan of a rollout the user can read, one after the other."""
    from dialogues import access

    plans = list(
        access.plans_visible_to(user)
        .filter(rollout_id=rollout_id)
        .select_related("rollout__framework_version__framework", "unit", "owner")
        .order_by("unit__path")
    )
    title = _("Every unit's plan: %(rollout)s") % {"rollout": plans[0].rollout.title} if plans else _("Plans")
    return plan_document(sections=plan_sections(plans), title=title, filename=f"planer-udrulning-{rollout_id}.pdf")


DOCUMENT_KINDS = {"dialogues.all_cards": build_all_cards, "dialogues.rollout_plans": build_rollout_plans}
