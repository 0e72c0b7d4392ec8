"""Material a facilitator puts on the table (issue 22): every document kind rendered for
every framework and read back — cards with text on every face and no two backs alike, no
near-empty pages, A5 booklets that fold, a meeting guide that runs a 60-minute meeting, a
recruitment guide for interviews, the plan with participants, place and approval, and the
cards as PowerPoint.

Set MATERIAL_OUT=/some/folder to keep every PDF and its pages as PNG for looking at."""

from __future__ import annotations

import io
import os
import re
from datetime import date, time
from pathlib import Path

import pypdfium2
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pptx import Presentation

from dialogues import pdf, services, slides
from dialogues.models import Plan
from ledelse.documents import render
from lus.models import Preparation
from tests.conftest import client_for
from tests.documents.conftest import _media_root, qr_codes, reader, text_of  # noqa: F401
from tests.lus.conftest import lus, prepare  # noqa: F401 - the LUS fixture
from values import selectors as values_selectors
from values.models import Framework, Item

pytestmark = pytest.mark.django_db

RN = "rn-ledelsesgrundlaget"
GLS = "rm-god-ledelse-og-styring"
SLUGS = (
    "regionssekretariatet-ledelses-og-vaerdigrundlag",
    GLS,
    "rm-personalepolitik",
    RN,
    "rm-viden-om-den-midtjyske-ledelsesmodel",
)
MM = 72 / 25.4  # PDF points per millimetre
OUT = os.environ.get("MATERIAL_OUT", "")


@pytest.fixture
def frameworks(org):
    call_command("load_frameworks", verbosity=0)
    return {f.slug: f for f in Framework.objects.select_related("current_version", "region")}


def _pdf(document) -> bytes:
    content = render.render_pdf(document)
    if OUT:
        folder = Path(OUT)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / document.filename).write_bytes(content)
        doc = pypdfium2.PdfDocument(content)
        for n in range(len(doc)):
            doc[n].render(scale=1.2).to_pil().save(folder / f"{Path(document.filename).stem}-p{n + 1:02d}.png")
        doc.close()
    return content


# --- Measuring pages ------------------------------------------------------------------------


def page_fill(content: bytes) -> list[float]:
    """How much of each page's height carries ink: from the first to the last row with
    anything on it, leaving out the header and footer bands (running title, page number),
    as a share of the page's height."""
    doc = pypdfium2.PdfDocument(content)
    fills = []
    for n in range(len(doc)):
        image = doc[n].render(scale=0.5, grayscale=True).to_pil().convert("L")
        width, height = image.size
        top, bottom = int(height * 0.065), int(height * 0.93)
        band = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < 235 else 0)
        box = band.getbbox()
        fills.append(0.0 if box is None else (box[3] - box[1]) / height)
    doc.close()
    return fills


def assert_no_near_empty_pages(content: bytes, name: str) -> None:
    fills = page_fill(content)
    empty = [(n + 1, round(f, 2)) for n, f in enumerate(fills) if f < 0.2]
    assert empty == [], f"{name}: pages less than a fifth filled: {empty}"


def card_texts(content: bytes, per_sheet: int) -> list[tuple[list[str], list[str]]]:
    """For each sheet, the text inside each card's rectangle on the front and on the back
    (the backs in the order of their fronts, undoing the mirroring)."""
    rows = per_sheet // pdf.COLUMNS
    height = 276 / rows
    doc = pypdfium2.PdfDocument(content)
    sheets = []
    for front_index in range(0, len(doc), 2):
        faces = []
        for index in (front_index, front_index + 1):
            page = doc[index].get_textpage()
            cells = []
            for slot in range(per_sheet):
                row, column = divmod(slot, pdf.COLUMNS)
                if index == front_index + 1:  # the back: turned over the long edge
                    column = pdf.COLUMNS - 1 - column
                left, top = 10 + 95 * column, 10.5 + height * row
                text = page.get_text_bounded(
                    left=left * MM, right=(left + 95) * MM, top=(297 - top) * MM, bottom=(297 - top - height) * MM
                )
                cells.append(" ".join(text.split()))
            faces.append(cells)
        sheets.append((faces[0], faces[1]))
    doc.close()
    return sheets


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text).lower()


# --- Cards ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_card_has_text_on_both_faces_and_no_two_backs_alike(frameworks, slug):
    framework = frameworks[slug]
    deck = pdf.deck_for(framework=framework, version=framework.current_version)
    assert deck.cards
    for per_sheet in pdf.PER_SHEET_CHOICES:
        content = _pdf(pdf.cards_document(deck=deck, per_sheet=per_sheet))
        fronts, backs = [], []
        for sheet_fronts, sheet_backs in card_texts(content, per_sheet):
            fronts += sheet_fronts
            backs += sheet_backs
        for n, card in enumerate(deck.cards):
            words = card.title.split()[0]
            # More than the band and the title: the framework's words on every front.
            rest = _letters(fronts[n])
            for part in (card.framework, card.theme, card.title):
                rest = rest.replace(_letters(part), "", 1)
            assert words in fronts[n] and len(rest) > 40, (card.title, fronts[n])
            assert words in backs[n] and card.questions, (card.title, backs[n])
        backs = [_letters(b) for b in backs[: len(deck.cards)]]
        assert len(set(backs)) == len(backs), f"{slug}: two cards with the same back"
    questions = [tuple(c.questions) for c in deck.cards]
    assert len(set(questions)) == len(questions), f"{slug}: one list of questions on several cards"


def test_title_only_principles_carry_their_themes_text_and_say_so(frameworks):
    deck = pdf.deck_for(framework=frameworks[GLS], version=frameworks[GLS].current_version)
    track = next(c for c in deck.cards if c.item.key == "mere-effektivt-sundhedsvaesen")
    assert track.text_from_theme == "Et sundhedsvæsen på patientens præmisser"
    text = " ".join(text_of(_pdf(pdf.cards_document(deck=deck, per_sheet=6))).split())
    assert (
        "Grundlaget giver kun princippet en overskrift. Temaet „Et sundhedsvæsen på patientens præmisser“ siger:"
        in (text)
    )
    assert "Vi vil fremme borgernes mulighed for sundhed" in text  # the theme's own words


def test_a_definition_reads_as_a_sentence(frameworks):
    deck = pdf.deck_for(framework=frameworks[GLS], version=frameworks[GLS].current_version)
    text = " ".join(text_of(_pdf(pdf.cards_document(deck=deck, per_sheet=6))).split())
    assert "Dialog betyder, at vi lytter og kommunikerer åbent" in text
    assert "Dristighed viser sig i faglig nysgerrighed" in text


def test_each_variant_of_the_cards_has_its_own_file_name(frameworks, client, org):
    client_for(client, org.users["employee"])
    base = f"/planer/materiale/{RN}/dialogkort"
    names = {
        client.get(url)["Content-Disposition"].split("filename=")[1].strip('"')
        for url in (f"{base}.pdf", f"{base}.pdf?pr_ark=4", f"{base}.pdf?tema=ledelse-ind", f"{base}.pptx")
    }
    assert names == {
        f"dialogkort-{RN}-6-pr-ark.pdf",
        f"dialogkort-{RN}-4-pr-ark.pdf",
        f"dialogkort-{RN}-ledelse-ind-6-pr-ark.pdf",
        f"dialogkort-{RN}.pptx",
    }


# --- PowerPoint -------------------------------------------------------------------------------


def _slides(content: bytes) -> list[tuple[str, str]]:
    prs = Presentation(io.BytesIO(content))
    found = []
    for slide in prs.slides:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        found.append((" ".join(text.split()), slide.notes_slide.notes_text_frame.text))
    return found


def test_a_themes_cards_as_powerpoint_one_card_a_slide_with_the_questions_in_the_notes(frameworks, client, org):
    response = client_for(client, org.users["employee"]).get(f"/planer/materiale/{RN}/dialogkort.pptx?tema=ledelse-ned")
    assert response.status_code == 200
    assert response["Content-Type"] == slides.PPTX_CONTENT_TYPE
    deck = pdf.deck_for(framework=frameworks[RN], version=frameworks[RN].current_version, theme_key="ledelse-ned")
    if OUT:
        Path(OUT).mkdir(parents=True, exist_ok=True)
        (Path(OUT) / "dialogkort-ledelse-ned.pptx").write_bytes(response.content)
    found = _slides(response.content)
    assert len(found) == 1 + len(deck.cards) == 9
    assert "Ledelse ned" in found[0][0]
    for card, (text, notes) in zip(deck.cards, found[1:], strict=True):
        assert card.title in text and card.blocks[0].text[:60] in text
        assert all(q in notes for q in card.questions)
        assert "skrevet til intranettet" in notes
    assert len({notes for _text, notes in found[1:]}) == len(deck.cards)


def test_an_activitys_cards_as_powerpoint(client, org, activity_on_rn):
    plan, activity = activity_on_rn
    response = client_for(client, org.users["leader3"]).get(
        f"/planer/{plan.pk}/aktiviteter/{activity.pk}/dialogkort.pptx"
    )
    assert response.status_code == 200
    found = _slides(response.content)
    assert [t for t, _n in found[1:] if "Vi skifter gear" in t]
    assert len(found) == 4


@pytest.mark.parametrize("user,status", [("outsider", 404), (None, 302)])
def test_an_activitys_powerpoint_is_404_where_the_plan_is(client, org, activity_on_rn, user, status):
    plan, activity = activity_on_rn
    if user:
        client_for(client, org.users[user])
    assert client.get(f"/planer/{plan.pk}/aktiviteter/{activity.pk}/dialogkort.pptx").status_code == status


def test_a_frameworks_powerpoint_needs_a_signed_in_user(client, frameworks):
    assert client.get(f"/planer/materiale/{RN}/dialogkort.pptx").status_code == 302


# --- The meeting guide ------------------------------------------------------------------------


@pytest.fixture
def activity_on_rn(org, frameworks) -> tuple[Plan, object]:
    Framework.objects.filter(slug=RN).update(region=org.region)  # a rollout covers its own region
    frameworks[RN].refresh_from_db()
    version = frameworks[RN].current_version
    version.framework = frameworks[RN]
    rollout = services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Ledelsesgrundlaget 2026",
            scope_unit=org.units["RT"],
            framework_version=version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    keys = ("vi-kender-vores-omraade-godt", "vi-uddelegerer-tillidsfuldt-og-giver-ansvar", "vi-skifter-gear")
    activity = services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="dialog_ledergruppe",
            title="Dialogmøde i ledergruppen",
            description="At tale om, hvordan vi uddelegerer og skaber tid til ledelse.",
            responsible=org.people["leader2"],
            participants=(org.people["employee"],),
            participants_note="Ledergruppen i Afdeling A1",
            date=date(2026, 9, 14),
            start_time=time(9, 0),
            end_time=time(10, 0),
            location="Mødelokale Øst",
            principles=tuple(Item.objects.filter(version=version, key__in=keys)),
        ),
    )
    return plan, activity


def test_the_meeting_guide_runs_a_60_minute_meeting(activity_on_rn):
    plan, activity = activity_on_rn
    document = pdf.meeting_guide_document(plan=plan, activity=activity)
    assert sum(row.minutes for row in document.context["agenda"]) == 60
    content = _pdf(document)
    text = " ".join(text_of(content).split())
    for expected in (
        "Formål At tale om, hvordan vi uddelegerer",
        "mandag 14. september 2026, 09.00–10.00",
        "Mødelokale Øst",
        "Ledergruppen i Afdeling A1",
        "Velkomst og rammesætning",
        "Dialog: Vi skifter gear",
        "Hvad aftaler vi?",
        "Næste skridt",
        "I alt 60",
        "Facilitator",
        "Tidtager",
        "Referent",
        # The framework's own text for the chosen principles, and the principle's own questions.
        "Vi skaber forsimpling og har handlekraft i en verden, som er kompleks",
        "Hvornår har du sidst givet dig tid til at tænke og skabe overblik?",
        "Det tager vi med os fra kortet",
        "Skriv udbyttet ind i planen",
    ):
        assert expected in text, expected
    record = f"/planer/{plan.pk}/aktiviteter/{activity.pk}/praesentation/#udbytte"
    assert record in text
    last = len(reader(content).pages) - 1
    assert any(record in url for url in qr_codes(content, pages=range(last, last + 1)))
    assert_no_near_empty_pages(content, "meeting guide")


@pytest.mark.parametrize("minutes", [30, 45, 60, 90, 120])
@pytest.mark.parametrize("cards", [0, 1, 2, 3, 5, 8, 40])
def test_the_agendas_time_boxes_add_up_to_the_meetings_length(minutes, cards):
    start = time(9, 0)
    end = time(9 + minutes // 60, minutes % 60)
    activity = type("A", (), {"date": date(2026, 9, 14), "start_time": start, "end_time": end})()
    deck = [type("C", (), {"title": f"Kort {n}", "number": n})() for n in range(1, cards + 1)]
    rows, _per_card = pdf.meeting_agenda(activity=activity, cards=deck)
    assert sum(r.minutes for r in rows) == minutes
    assert all(r.minutes > 0 for r in rows)
    assert rows[0].start == "09.00"


# --- The recruitment guide --------------------------------------------------------------------


def test_the_recruitment_guide_asks_a_candidate_and_leads_into_the_first_lus(frameworks):
    framework = frameworks[RN]
    content = _pdf(pdf.recruitment_document(framework=framework, version=framework.current_version))
    text = " ".join(text_of(content).split())
    for expected in ("Stilling", "Kandidat", "Dato", "Interviewere", "Spørgsmål til kandidaten", "Det lytter I efter"):
        assert expected in text, expected
    assert "Fortæl om en opgave, du har uddelegeret." in text  # Ledelse ned, for a candidate
    assert "Tillidsfuld uddelegering og opfølgning." in text
    assert "Vi praktiserer det dobbelte lederskab" in text  # the framework's words
    assert "Fra interview til første LUS" in text and "første LUS" in text
    assert "1 – Slet ikke" in text and "5 – I meget høj grad" in text
    assert "Vurderingsskema" in text
    # Not the reflection questions written for sitting leaders.
    assert "Hvornår inviterer du din egen leder" not in text
    assert "Spørgsmålene og det, I lytter efter, er skrevet til intranettet" in text


def test_every_framework_theme_has_interview_questions_written_for_it(frameworks):
    written = pdf.interview_questions()
    for framework in frameworks.values():
        framework.current_version.framework = framework
        roots = values_selectors.version_tree(version=framework.current_version)
        for node in pdf._top_themes(roots):
            assert (framework.slug, node.item.key) in written, (framework.slug, node.item.key)
    assert all(len(q) >= 2 and listen for q, listen in written.values())


# --- Every document kind for every framework: no near-empty pages, A5 that folds ------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_document_of_every_framework_has_no_near_empty_pages(frameworks, slug):
    framework = frameworks[slug]
    version = framework.current_version
    documents = [
        pdf.booklet_document(framework=framework, version=version, page_format="a4"),
        pdf.booklet_document(framework=framework, version=version, page_format="a5"),
        pdf.recruitment_document(framework=framework, version=version),
    ]
    for document in documents:
        content = _pdf(document)
        assert_no_near_empty_pages(content, document.filename)
        if document.filename.endswith("-a5.pdf"):
            pages = len(reader(content).pages)
            assert pages % 4 == 0, f"{document.filename}: {pages} pages"
            # In reading order: the cover first, the contents second, notes (if any) last.
            texts = [page.extract_text() for page in reader(content).pages]
            assert framework.title.split()[0] in texts[0] and "Indhold" in texts[1]


# --- The plan on paper ------------------------------------------------------------------------


def test_the_plan_pdf_shows_participants_place_and_who_approved_it_and_when(org, activity_on_rn):
    plan, _activity = activity_on_rn
    plan = services.plan_transition(user=org.users["leader2"], plan=plan, action="submit")
    plan = services.plan_transition(user=org.users["leader"], plan=plan, action="approve")
    event = plan.events.get(to_state="godkendt")
    section = pdf.plan_sections([plan])
    content = _pdf(pdf.plan_document(sections=section, title="Plan", filename="plan.pdf"))
    text = " ".join(text_of(content).split())
    assert "Mødelokale Øst" in text and "Ledergruppen i Afdeling A1" in text
    assert org.people["employee"].name in text
    assert "Godkendt" in text and f"af {event.actor_name} den {timezone.localtime(event.at).day}." in text


def test_a_plan_not_yet_approved_says_so(plan):
    content = _pdf(pdf.plan_document(sections=pdf.plan_sections([plan]), title="Plan", filename="plan-kladde.pdf"))
    assert "Endnu ikke godkendt" in text_of(content)


# --- The LUS preparation on paper: the page's scale, in the page's words ---------------------


def test_the_lus_preparation_pdf_says_the_scale_as_the_page_does(org, client, lus):  # noqa: F811
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 2])
    url = reverse("lus:preparation_pdf", args=[lus.conversation.pk, "leader"])
    response = client_for(client, org.users["leader2"]).get(url)
    assert response.status_code == 200
    text = " ".join(text_of(response.content).split())
    # The same sentence as the preparation page (templates/lus/preparation_form.html).
    assert "Skala: 1 = slet ikke, 2 = i mindre grad, 3 = i nogen grad, 4 = i høj grad, 5 = i meget høj grad." in text
    page = client.get(reverse("lus:preparation_edit", args=[lus.conversation.pk])).content.decode()
    assert "Skala: 1 = slet ikke, 2 = i mindre grad, 3 = i nogen grad, 4 = i høj grad, 5 = i meget høj grad." in page
    assert "endnu ikke" not in text and "rigtig godt" not in text


def test_a_meeting_without_a_time_or_principles_gets_a_60_minute_guide_with_room_to_write(org, plan, make_activity):
    activity = make_activity(plan, title="Personalemøde om grundlaget", date=date(2026, 10, 1))
    document = pdf.meeting_guide_document(plan=plan, activity=activity)
    assert sum(row.minutes for row in document.context["agenda"]) == pdf.DEFAULT_MEETING_MINUTES == 60
    content = _pdf(document)
    text = " ".join(text_of(content).split())
    assert "forslag til et møde på 60 minutter" in text
    assert "Aktiviteten nævner ingen principper" in text or "ingen principper" in text
    assert_no_near_empty_pages(content, "meeting guide without principles")


def test_a_title_only_principle_on_screen_shows_its_themes_text(frameworks, client, org):
    """On screen as on paper: a strategispor slide has text beside its questions, not a title
    above an empty half."""
    client_for(client, org.users["employee"])
    html = client.get(
        f"/planer/materiale/{GLS}/praesentation/?princip=sammenhaeng-og-lighed-i-sundhed&princip=dialog"
    ).content.decode()
    assert "Grundlaget giver kun princippet en overskrift." in html
    assert "Vi vil fremme borgernes mulighed for sundhed" in html
    assert '<strong class="lead-in">Dialog</strong> betyder, at vi lytter' in html
    assert "Hvor oplever patienterne huller i overgangen" in html  # the principle's own questions
