"""Dialogue cards: sheets of 4 or 6 with backs behind their fronts, the framework's text,
the project's questions marked as such, QR codes to the intranet, and every card of the
five frameworks fitting its card."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dialogues import pdf
from ledelse.documents import render
from tests.conftest import client_for
from tests.documents.conftest import _media_root, assert_is_a_good_pdf, qr_codes, reader, text_of  # noqa: F401
from values.models import Framework

pytestmark = pytest.mark.django_db

RN = "rn-ledelsesgrundlaget"


@pytest.fixture
def frameworks(org):
    call_command("load_frameworks", verbosity=0)
    return {f.slug: f for f in Framework.objects.select_related("current_version", "region")}


def _cards(framework: Framework, per_sheet: int = 6, **kwargs):
    deck = pdf.deck_for(framework=framework, version=framework.current_version, **kwargs)
    return deck, pdf.cards_document(deck=deck, per_sheet=per_sheet)


@pytest.mark.parametrize("per_sheet", [4, 6])
def test_a_deck_has_a_front_and_a_back_page_per_sheet(frameworks, per_sheet):
    deck, document = _cards(frameworks[RN], per_sheet)
    sheets = -(-len(deck.cards) // per_sheet)
    assert len(reader(render.render_pdf(document)).pages) == 2 * sheets


def test_the_cards_carry_the_framework_theme_principle_text_and_marked_questions(frameworks, client, org):
    response = client_for(client, org.users["employee"]).get(f"/planer/materiale/{RN}/dialogkort.pdf?tema=ledelse-ind")
    assert response.status_code == 200
    pdf_bytes = response.content
    assert_is_a_good_pdf(pdf_bytes, title="Dialogkort: Ledelse ind - af os selv (Ledelsesgrundlaget)")
    text = text_of(pdf_bytes)
    assert "Ledelse ind - af os selv" in text
    assert "Vi lærer - og vi aflærer" in text  # the principle, æøå intact
    assert "REFLEKSIONSSPØRGSMÅL" in text.upper()
    assert "skrevet til intranettet" in text
    question = frameworks[RN].current_version.items.get(key="ledelse-ind").questions.first().text
    assert question.split()[0] in text
    assert "Ledelse op" not in text  # one theme only


def test_each_back_lands_behind_its_front_when_turned_over_the_long_edge():
    cards = [f"card-{i}" for i in range(1, 6)]
    (sheet,) = pdf.sheets_for(cards, 6)
    assert sheet.fronts == ["card-1", "card-2", "card-3", "card-4", "card-5", None]
    assert sheet.backs == ["card-2", "card-1", "card-4", "card-3", None, "card-5"]
    (sheet,) = pdf.sheets_for(cards[:3], 4)
    assert sheet.backs == ["card-2", "card-1", None, "card-3"]


def test_the_qr_codes_open_each_principle_on_the_intranet(frameworks):
    deck, document = _cards(frameworks[RN], 6)
    pdf_bytes = render.render_pdf(document)
    found = qr_codes(pdf_bytes, pages=range(1, 2))  # the first back
    expected = [c.url for c in deck.cards[:6]]
    assert sorted(found) == sorted(expected)
    assert expected[0] == f"https://ledelse.example.org/ledelsesgrundlag/{RN}/vi-praktiserer-det-dobbelte-lederskab/"


def test_a_hand_picked_set_gives_only_those_cards(frameworks):
    keys = ("vi-skifter-gear", "vi-er-ambitioese")
    deck, document = _cards(frameworks[RN], 4, principle_keys=keys)
    assert [c.item.key for c in deck.cards] == ["vi-er-ambitioese", "vi-skifter-gear"]  # document order
    text = text_of(render.render_pdf(document))
    assert "Vi skifter gear" in text and "Vi er ambitiøse" in text and "Vi kender vores område godt" not in text


def _boxes(box, found):
    classes = (getattr(box, "element", None) is not None and box.element.get("class")) or ""
    found.append((box, classes.split()))
    for child in getattr(box, "children", []):
        _boxes(child, found)
    return found


def _overflowing_cards(document) -> list[str]:
    """Cards whose text runs into the QR code or the card number, or past the card."""
    bad = []
    for page in render.layout(document).pages:
        for box, classes in _boxes(page._page_box, []):
            if "card" not in classes or "card--empty" in classes:
                continue
            parts = {c: b for b, cls in _boxes(box, [])[1:] for c in cls}
            body = parts["card__body"]
            body_bottom = body.position_y + body.margin_height()
            limit = min(parts[c].position_y for c in ("card__foot", "card__qr") if c in parts)
            limit = min(limit, box.position_y + box.margin_height())
            if body_bottom > limit + 0.01:
                title = parts.get("card__title") or parts.get("card__back-title")
                bad.append(f"{title.element.text if title is not None else '?'}: {body_bottom - limit:.1f}px over")
    return bad


@pytest.mark.parametrize("per_sheet", [4, 6])
def test_every_card_of_the_five_frameworks_fits_its_card(frameworks, per_sheet):
    longest = max(
        (c for f in frameworks.values() for c in pdf.framework_cards(framework=f, version=f.current_version)),
        key=lambda c: c.length,
    )
    assert longest.length > 900  # the longest principle really is among them
    for framework in frameworks.values():
        _deck, document = _cards(framework, per_sheet)
        assert _overflowing_cards(document) == [], framework.slug


def test_a_too_long_text_would_be_caught(frameworks):
    """The fit check itself: a card with four times the longest text overflows."""
    deck, _document = _cards(frameworks[RN], 6, principle_keys=("vi-laerer-og-vi-aflaerer",))
    deck.cards[0].blocks = deck.cards[0].blocks * 4
    document = pdf.cards_document(deck=deck, per_sheet=6)
    for card in deck.cards:
        card.size = "l"
    document = render.Document(**{**document.__dict__})
    assert _overflowing_cards(document)
