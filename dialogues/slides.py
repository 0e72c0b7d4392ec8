"""The dialogue cards as a PowerPoint file (python-pptx), for leaders who present from
PowerPoint in a Teams meeting: a title slide, then one card a slide (the framework's words),
its reflection questions in the speaker notes, marked as the project's own."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.presentation import Presentation as PresentationFile
from pptx.util import Emu, Pt

from dialogues.activity_questions import MIN_GROUP_SIZE, QuestionView
from dialogues.pdf import Card

WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 16:9
MARGIN = Emu(540_000)
BLANK_LAYOUT = 6
PPTX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FONT = "IBM Plex Sans"
DARK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x54, 0x54, 0x54)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _text_box(slide, *, top: int, height: int, left: int = MARGIN, width: int | None = None):
    box = slide.shapes.add_textbox(left, top, width or WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    return frame


def _paragraph(frame, text: str, *, size: int, bold: bool = False, colour: RGBColor = DARK, first: bool = False):
    para = frame.paragraphs[0] if first else frame.add_paragraph()
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = colour
    para.space_after = Pt(size * 0.5)
    return para


def _body_size(card: Card) -> int:
    length = card.length
    return 24 if length < 400 else 20 if length < 700 else 17 if length < 1_000 else 14


def card_text(card: Card) -> list[str]:
    """The card's front as lines: the framework's words, the title-only note, the lead-in."""
    lines = []
    if card.text_from_theme:
        lines.append(
            _("The framework gives this principle a title only. Its theme “%(theme)s” says:")
            % {"theme": card.text_from_theme}
        )
    for n, block in enumerate(card.blocks):
        if block.kind == "p":
            lead = f"{card.lead_in} " if n == 0 and card.lead_in else ""
            lines.append(lead + block.text)
        else:
            lines += [f"• {line}" for line in block.lines]
    return lines


def notes_text(card: Card) -> str:
    if not card.questions:
        return _("Your own questions for this principle") + ":"
    lines = [_("Reflection questions") + ":"]
    lines += [f"{n}. {q}" for n, q in enumerate(card.questions, start=1)]
    if card.questions_are_own:
        lines.append(_("The questions are written for this intranet and are not part of the framework's text."))
    return "\n".join(lines)


def _band(slide, card: Card) -> None:
    band = slide.shapes.add_shape(1, 0, 0, WIDTH, Emu(900_000))  # 1: rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(card.colour)
    band.line.fill.background()
    frame = band.text_frame
    frame.margin_left = MARGIN
    _paragraph(frame, card.framework.upper(), size=12, colour=WHITE, first=True)
    if card.theme:
        _paragraph(frame, card.theme, size=18, bold=True, colour=WHITE)


def _card_slide(prs: Presentation, card: Card) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    _band(slide, card)
    title = _text_box(slide, top=Emu(1_100_000), height=Emu(900_000))
    _paragraph(title, card.title, size=32, bold=True, first=True)
    body = _text_box(slide, top=Emu(2_050_000), height=HEIGHT - Emu(2_550_000))
    size = _body_size(card)
    for n, line in enumerate(card_text(card)):
        _paragraph(body, line, size=size, first=n == 0, colour=MUTED if card.text_from_theme and n == 0 else DARK)
    foot = _text_box(slide, top=HEIGHT - Emu(450_000), height=Emu(350_000))
    _paragraph(foot, f"{card.number} · {card.url}", size=10, colour=MUTED, first=True)
    slide.notes_slide.notes_text_frame.text = notes_text(card)


def _title_slide(prs: Presentation, title: str, subtitle: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    frame = _text_box(slide, top=Emu(2_200_000), height=Emu(2_400_000))
    _paragraph(frame, _("Dialogue cards"), size=16, colour=MUTED, first=True)
    _paragraph(frame, title, size=40, bold=True)
    _paragraph(frame, subtitle, size=18, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = _(
        "One card a slide. The reflection questions are in the notes of each slide."
    )


def asked_lines(view: QuestionView) -> list[str]:
    """A question asked before the meeting and its answers without names (from three)."""
    if view.answers is None:
        return [
            _("The answers are shown when at least %(min)d have answered (%(n)d have answered).")
            % {"min": MIN_GROUP_SIZE, "n": view.answered}
        ]
    return [f"• {text}" for text in view.answers]


def _asked_slide(prs: PresentationFile, asked: list[QuestionView]) -> None:
    """The questions asked before the meeting, with the answers without names."""
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    title = _text_box(slide, top=Emu(500_000), height=Emu(800_000))
    _paragraph(title, _("Questions before the meeting"), size=32, bold=True, first=True)
    body = _text_box(slide, top=Emu(1_400_000), height=HEIGHT - Emu(1_900_000))
    first = True
    for view in asked:
        _paragraph(body, view.question.text, size=20, bold=True, first=first)
        first = False
        for line in asked_lines(view):
            _paragraph(body, line, size=16, colour=MUTED if view.answers is None else DARK)
    slide.notes_slide.notes_text_frame.text = _(
        "The answers are shown without names. The questions are written for this intranet and are not part of "
        "the framework's text."
    )


def cards_pptx(*, cards: list[Card], title: str, subtitle: str, asked: list[QuestionView] | None = None) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = title
    prs.core_properties.subject = subtitle
    prs.core_properties.language = "da-DK"
    _title_slide(prs, title, subtitle)
    if asked:
        _asked_slide(prs, asked)
    for card in cards:
        _card_slide(prs, card)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
