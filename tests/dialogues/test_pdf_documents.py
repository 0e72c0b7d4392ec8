"""The booklet, the recruitment guide, the meeting guide and the plan as documents: page
counts, titles and questions with æøå intact, metadata, embedded fonts, QR codes, and
user text that prints as text and fetches nothing."""

from __future__ import annotations

from datetime import date, time

import pypdfium2
import pytest

from dialogues import services
from tests.conftest import client_for
from tests.dialogues.conftest import activity_data
from tests.documents.conftest import _media_root, assert_is_a_good_pdf, qr_codes, reader, text_of  # noqa: F401
from values.models import Item, ReflectionQuestion

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:6379/">'


@pytest.fixture
def questions(framework):
    themes = Item.objects.filter(version=framework.current_version, kind="theme").order_by("position")
    for n, theme in enumerate(themes, start=1):
        ReflectionQuestion.objects.create(item=theme, text=f"Hvordan skaber vi åbenhed og tillid i tema {n}?")
        ReflectionQuestion.objects.create(item=theme, text=f"Hvad gør vi, når vi er uenige om tema {n}?", position=1)
    return themes


@pytest.fixture
def meeting(org, plan, principles, questions):
    return services.activity_create(
        plan=plan,
        data=activity_data(
            org,
            title="Dialogmøde om tillid og ærlighed",
            description=f"Formålet: at tale om tillid. {HOSTILE}",
            date=date(2026, 9, 14),
            start_time=time(9, 0),
            end_time=time(10, 30),
            location="Mødelokale Øst",
            principles=(principles[0], principles[2]),
        ),
    )


@pytest.fixture(autouse=True)
def _principle_question(principles):
    ReflectionQuestion.objects.create(
        item=principles[2], text="Hvordan holder vi tilliden, når vi er uenige om princip 2.1?"
    )
    ReflectionQuestion.objects.create(item=principles[2], text="Hvem taler vi med først om princip 2.1?", position=1)


def _get(client, org, user, url):
    return client_for(client, org.users[user]).get(url)


@pytest.mark.parametrize("page_format", ["a4", "a5"])
def test_the_booklet_has_a_contents_with_page_numbers(client, org, framework, questions, page_format):
    response = _get(client, org, "employee", f"/planer/materiale/{framework.slug}/haefte.pdf?format={page_format}")
    assert response.status_code == 200
    r = assert_is_a_good_pdf(response.content, title="Testgrundlag")
    box = r.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == (210 if page_format == "a4" else 148)
    text = text_of(response.content)
    assert "Indhold" in text and "Tema 1" in text and "Princip 2.2" in text
    assert "Hvordan skaber vi åbenhed og tillid i tema 1?" in text
    assert "Spørgsmålene er skrevet til intranettet" in text
    toc = pypdfium2.PdfDocument(response.content)[1].get_textpage().get_text_range()
    lines = [" ".join(line.replace(".", " ").split()) for line in toc.splitlines()]
    # Each entry ends with the page its section starts on (cover 1, contents 2; the
    # sections follow on from each other, right after the contents).
    pages = [page.extract_text() for page in r.pages]
    for heading in ("Forord", "Tema 1", "Tema 2"):
        number = next(int(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(heading + " "))
        # On the contents page itself the heading shows twice: in the contents and above its text.
        assert pages[number - 1].count(heading) >= (2 if number == 2 else 1), (heading, number)


def test_the_recruitment_guide_has_the_themes_questions_and_a_scoring_grid(client, org, framework, questions):
    response = _get(client, org, "employee", f"/planer/materiale/{framework.slug}/rekruttering.pdf")
    assert response.status_code == 200
    assert_is_a_good_pdf(response.content, title="Interviewguide til rekruttering af ledere: Testgrundlag")
    text = text_of(response.content)
    assert "1. Tema 1" in text and "2. Tema 2" in text and "Princip 1.2" in text
    # Questions for a candidate, not the reflection questions written for sitting leaders: a
    # theme the project wrote no interview questions for gets two built from its title.
    assert "Hvad gør vi, når vi er uenige om tema 2?" not in text
    assert "har arbejdet med „Tema 2“" in " ".join(text.split())
    assert "er skrevet til intranettet og er ikke en del af grundlaget" in " ".join(text.split())
    assert "Vurderingsskema" in text


def test_the_meeting_guide_has_purpose_agenda_principles_and_a_record_page(client, org, plan, meeting):
    response = _get(client, org, "employee", f"/planer/{plan.pk}/aktiviteter/{meeting.pk}/dialogmoedeguide.pdf")
    assert response.status_code == 200
    r = assert_is_a_good_pdf(response.content, title="Dialogmødeguide: Dialogmøde om tillid og ærlighed")
    text = text_of(response.content)
    assert "Formål" in text and "Dagsorden" in text and "09.00" in text and "Mødelokale Øst" in text
    assert "Princip 1.1" in text and "Princip 2.1" in text and "Princip 1.2" not in text
    # A principle's own questions; never its theme's list repeated on each principle.
    assert "Hvordan holder vi tilliden, når vi er uenige om princip 2.1?" in " ".join(text.split())
    assert "Hvordan skaber vi åbenhed og tillid i tema 2?" not in text
    assert "Hvad kom der ud af det" in " ".join(r.pages[-1].extract_text().split())
    assert f"/planer/{plan.pk}/aktiviteter/{meeting.pk}/praesentation/#udbytte" in " ".join(
        qr_codes(response.content, pages=range(len(r.pages) - 1, len(r.pages)))
    )
    # The user's text prints as text.
    assert 'src="file:///etc/passwd"' in text.replace("\n", " ")


def test_the_plan_document_prints_user_text_as_text_and_fetches_nothing(client, org, plan, meeting, framework, caplog):
    theme = Item.objects.filter(version=framework.current_version, kind="theme").first()
    services.plan_translation_save(
        plan=plan, texts={theme.pk: f"Hos os betyder det ærlighed. {HOSTILE}"}, focus_principles=[]
    )
    response = _get(client, org, "leader3", f"/planer/{plan.pk}/plan.pdf")  # a reader in the region
    assert response.status_code == 200
    assert_is_a_good_pdf(response.content, title="Plan for Afdeling A1")
    text = " ".join(text_of(response.content).split())
    assert "Hos os betyder det ærlighed." in text
    assert '<img src="file:///etc/passwd">' in text
    assert "Dialogmøde om tillid og ærlighed" in text
    assert not any("etc/passwd" in r.getMessage() or "6379" in r.getMessage() for r in caplog.records)
    assert len(reader(response.content).pages) >= 1


@pytest.mark.parametrize("user,status", [("outsider", 404), (None, 302)])
def test_a_plans_documents_are_404_where_the_plan_is(client, org, plan, meeting, user, status):
    if user:
        client_for(client, org.users[user])
    for url in (
        f"/planer/{plan.pk}/plan.pdf",
        f"/planer/{plan.pk}/aktiviteter/{meeting.pk}/dialogmoedeguide.pdf",
        f"/planer/{plan.pk}/aktiviteter/{meeting.pk}/praesentation/",
    ):
        assert client.get(url).status_code == status, url


def test_an_activity_of_another_plan_is_404(client, org, plan, meeting, rollout):
    other = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    assert (
        _get(client, org, "leader", f"/planer/{other.pk}/aktiviteter/{meeting.pk}/dialogmoedeguide.pdf").status_code
        == 404
    )


def test_a_framework_in_draft_has_no_material_for_readers(client, org):
    from tests.values.factories import make_framework

    draft = make_framework(slug="kladde-grundlag", title="Kladde", status="kladde")
    for url in ("/", "/dialogkort.pdf", "/haefte.pdf", "/rekruttering.pdf", "/praesentation/"):
        path = f"/planer/materiale/{draft.slug}{url}"
        assert _get(client, org, "employee", path).status_code == 404, path
    assert client.logout() is None
    assert client.get(f"/planer/materiale/{draft.slug}/dialogkort.pdf").status_code == 302
