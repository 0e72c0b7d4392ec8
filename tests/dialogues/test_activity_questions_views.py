"""The activity's page with its questions before the meeting (issue 24): the person responsible
asks, those taking part answer, every reader of the plan sees the answers without names once
three have answered; the meeting guide (PDF), the presentation and the PowerPoint show them.
Each changing view with the right user, the wrong user and no user."""

from __future__ import annotations

import io
import re
from datetime import time

import pytest
from django.urls import reverse
from pptx import Presentation

from dialogues import activity_questions as aq
from dialogues import services
from dialogues.models import ActivityAnswer, ActivityQuestion
from tests.conftest import client_for
from tests.dialogues.conftest import activity_data, in_days
from tests.documents.conftest import _media_root, text_of  # noqa: F401

pytestmark = pytest.mark.django_db

ANSWERS = ("Vi siger det højt på tavlemødet.", "Alle får ordet først.", "Åbne døre hos lederen.")


@pytest.fixture
def meeting(org, plan, principles, colleagues, reflection):
    return services.activity_create(
        plan=plan,
        data=activity_data(
            org,
            title="Dialogmøde om tillid",
            date=in_days(10),
            start_time=time(9, 0),
            end_time=time(10, 0),
            principles=(principles[1],),
            participants=(org.people["employee"], org.people["leader2"], *colleagues),
        ),
    )


@pytest.fixture
def asked(org, meeting, principles, reflection):
    return aq.activity_questions_ask(
        activity=meeting, questions=[reflection[principles[1].key][0]], by=org.people["leader2"]
    )[0]


def page(meeting) -> str:
    return reverse("dialogues:activity_questions", args=[meeting.plan_id, meeting.pk])


def ask_url(meeting) -> str:
    return reverse("dialogues:activity_questions_ask", args=[meeting.plan_id, meeting.pk])


def answer_url(question) -> str:
    return reverse("dialogues:activity_answer", args=[question.activity.plan_id, question.activity_id, question.pk])


def answers_section(html: str) -> str:
    found = re.search(r'<ul class="activity-answers">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


# --- The page -----------------------------------------------------------------------------------


def test_the_plan_page_links_to_the_activitys_page(client, org, plan, meeting):
    response = client_for(client, org.users["employee"]).get(plan.get_absolute_url())
    assert page(meeting) in response.content.decode()


@pytest.mark.parametrize(("user", "status"), [("employee", 200), ("leader3", 200), ("outsider", 404)])
def test_the_page_is_read_where_the_plan_is(client, org, meeting, asked, user, status):
    response = client_for(client, org.users[user]).get(page(meeting))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert asked.text in html and "Svarene vises, når mindst 3 har svaret (0 har svaret)." in html


def test_signed_out_the_page_asks_to_sign_in(client, meeting):
    response = client.get(page(meeting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_responsible_person_is_offered_the_principles_questions_first(client, org, meeting, principles, reflection):
    html = client_for(client, org.users["leader2"]).get(page(meeting)).content.decode()
    first, other = reflection[principles[1].key][0].text, reflection["theme"][0].text
    assert "Stil deltagerne spørgsmål" in html
    assert html.index(first) < html.index("Andre spørgsmål fra ledelsesgrundlaget") < html.index(other)


def test_a_participant_gets_an_answer_form_and_a_reader_does_not(client, org, meeting, asked):
    assert 'name="svar-' in client_for(client, org.users["employee"]).get(page(meeting)).content.decode()
    html = client_for(client, org.users["leader3"]).get(page(meeting)).content.decode()
    assert 'name="svar-' not in html and "Stil deltagerne spørgsmål" not in html


def test_the_page_reads_in_a_fixed_number_of_queries(
    client, org, meeting, asked, colleagues, django_assert_max_num_queries
):
    for person in (*colleagues, org.people["employee"]):
        aq.activity_answer_save(question=asked, person=person, text=f"Svar fra {person.pk}")
    client_for(client, org.users["employee"])
    with django_assert_max_num_queries(25):
        assert client.get(page(meeting)).status_code == 200


# --- Asking: the right user, the wrong user, no user --------------------------------------------


def test_the_responsible_person_asks(client, org, meeting, principles, reflection):
    q1, q2 = reflection[principles[1].key]
    response = client_for(client, org.users["leader2"]).post(ask_url(meeting), {"questions": [q1.pk, q2.pk]})
    assert response.status_code == 302 and response["Location"] == page(meeting)
    assert list(meeting.questions.values_list("text", flat=True)) == [q1.text, q2.text]


@pytest.mark.parametrize(("user", "status"), [("employee", 403), ("leader", 403), ("koncern", 403), ("outsider", 404)])
def test_no_one_else_asks(client, org, meeting, principles, reflection, user, status):
    q1 = reflection[principles[1].key][0]
    response = client_for(client, org.users[user]).post(ask_url(meeting), {"questions": [q1.pk]})
    assert response.status_code == status
    assert not ActivityQuestion.objects.exists()


def test_signed_out_no_one_asks(client, meeting, principles, reflection):
    response = client.post(ask_url(meeting), {"questions": [reflection[principles[1].key][0].pk]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ActivityQuestion.objects.exists()


def test_three_questions_are_refused_in_danish_with_the_choice_kept(client, org, meeting, principles, reflection):
    chosen = [*reflection[principles[1].key], reflection["theme"][0]]
    response = client_for(client, org.users["leader2"]).post(ask_url(meeting), {"questions": [q.pk for q in chosen]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg højst to spørgsmål." in html
    for q in chosen:
        assert re.search(rf'value="{q.pk}" checked', html)
    assert not ActivityQuestion.objects.exists()


def test_asking_twice_with_one_click_asks_once(client, org, meeting, principles, reflection):
    q1 = reflection[principles[1].key][0]
    client_for(client, org.users["leader2"])
    for _ in range(2):
        response = client.post(ask_url(meeting), {"questions": [q1.pk], "once": "samme-klik"})
        assert response.status_code == 302
    assert meeting.questions.count() == 1


# --- Answering: the right user, the wrong user, no user -----------------------------------------


def test_a_participant_answers_and_changes_the_answer(client, org, meeting, asked):
    client_for(client, org.users["employee"])
    prefix = f"svar-{asked.pk}"
    response = client.post(answer_url(asked), {f"{prefix}-text": "Første svar"})
    assert response.status_code == 302 and response["Location"].endswith("#spoergsmaal-1")
    html = client.get(page(meeting)).content.decode()
    assert "Første svar" in html and "Gem dit ændrede svar" in html
    token = re.search(rf'name="{prefix}-seen_version" value="([^"]*)"', html).group(1)
    client.post(answer_url(asked), {f"{prefix}-text": "Andet svar", f"{prefix}-seen_version": token})
    assert ActivityAnswer.objects.get().text == "Andet svar"


@pytest.mark.parametrize(("user", "status"), [("leader3", 403), ("leader", 403), ("outsider", 404)])
def test_no_one_but_those_taking_part_answers(client, org, meeting, asked, user, status):
    response = client_for(client, org.users[user]).post(answer_url(asked), {f"svar-{asked.pk}-text": "Et svar"})
    assert response.status_code == status
    assert not ActivityAnswer.objects.exists()


def test_signed_out_no_one_answers(client, meeting, asked):
    response = client.post(answer_url(asked), {f"svar-{asked.pk}-text": "Et svar"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ActivityAnswer.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Et svar med \x07 klokke", "usynligt kontroltegn (U+0007)"),
        ("x" * 1_001, "højst have 1000 tegn"),
        ("   ", "Skriv dit svar."),
    ],
)
def test_a_bad_answer_is_refused_in_danish_and_the_text_is_kept(client, org, meeting, asked, text, message):
    response = client_for(client, org.users["employee"]).post(answer_url(asked), {f"svar-{asked.pk}-text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if text.strip():
        assert text[:50].replace("\x07", "") in html.replace("&#x27;", "'").replace("\x07", "")
    assert not ActivityAnswer.objects.exists()


def test_an_answer_after_the_meeting_started_is_refused(client, org, meeting, asked):
    meeting.__class__.objects.filter(pk=meeting.pk).update(date=in_days(-1))
    response = client_for(client, org.users["employee"]).post(answer_url(asked), {f"svar-{asked.pk}-text": "Sent"})
    assert response.status_code == 200
    assert "Mødet er begyndt" in response.content.decode()
    assert not ActivityAnswer.objects.exists()


# --- Shown without names from three: the page, the guide, the presentation ----------------------


def _three_answer(org, asked, colleagues):
    for person, text in zip((org.people["employee"], *colleagues), ANSWERS, strict=False):
        aq.activity_answer_save(question=asked, person=person, text=text)


def test_two_answers_are_not_shown_and_three_are_without_names(client, org, meeting, asked, colleagues):
    for person, text in zip((org.people["employee"], colleagues[0]), ANSWERS, strict=False):
        aq.activity_answer_save(question=asked, person=person, text=text)
    html = client_for(client, org.users["leader3"]).get(page(meeting)).content.decode()
    assert "(2 har svaret)" in html and ANSWERS[0] not in html and ANSWERS[1] not in html
    aq.activity_answer_save(question=asked, person=colleagues[1], text=ANSWERS[2])
    html = client.get(page(meeting)).content.decode()
    shown = answers_section(html)
    assert [shown.index(a) for a in sorted(ANSWERS, key=str.casefold)] == sorted(shown.index(a) for a in ANSWERS)
    for name in ("Emil Medarbejder", "Mette Medarbejder", "Niels Nielsen"):
        assert name not in shown
    assert "3 har svaret" in html


def test_the_meeting_guide_shows_the_question_and_the_answers_without_names(client, org, meeting, asked, colleagues):
    url = reverse("dialogues:activity_guide_pdf", args=[meeting.plan_id, meeting.pk])
    client_for(client, org.users["leader3"])
    text = " ".join(text_of(client.get(url).content).split())
    assert "Spørgsmål før mødet" in text and asked.text in text
    assert "Svarene vises, når mindst 3 har svaret (0 har svaret)." in text
    _three_answer(org, asked, colleagues)
    text = " ".join(text_of(client.get(url).content).split())
    for answer in ANSWERS:
        assert answer in text
    section = text[text.index("Spørgsmål før mødet") : text.index("De principper")]
    for name in ("Emil Medarbejder", "Mette Medarbejder", "Niels Nielsen"):
        assert name not in section


def test_the_presentation_and_the_powerpoint_show_the_answers_without_names(client, org, meeting, asked, colleagues):
    _three_answer(org, asked, colleagues)
    client_for(client, org.users["leader3"])
    html = client.get(reverse("dialogues:activity_presentation", args=[meeting.plan_id, meeting.pk])).content.decode()
    slide = html[html.index('id="spoergsmaal"') : html.index("</section>", html.index('id="spoergsmaal"'))]
    assert asked.text in slide and all(a in slide for a in ANSWERS) and "Mette" not in slide
    content = client.get(reverse("dialogues:activity_pptx", args=[meeting.plan_id, meeting.pk])).content
    deck = Presentation(io.BytesIO(content))
    second = "\n".join(shape.text_frame.text for shape in deck.slides[1].shapes if shape.has_text_frame)
    assert "Spørgsmål før mødet" in second and asked.text in second
    assert all(f"• {a}" in second for a in ANSWERS) and "Mette" not in second


def test_below_three_the_powerpoint_says_how_many_have_answered(client, org, meeting, asked):
    content = (
        client_for(client, org.users["leader3"])
        .get(reverse("dialogues:activity_pptx", args=[meeting.plan_id, meeting.pk]))
        .content
    )
    deck = Presentation(io.BytesIO(content))
    second = "\n".join(shape.text_frame.text for shape in deck.slides[1].shapes if shape.has_text_frame)
    assert "Svarene vises, når mindst 3 har svaret (0 har svaret)." in second
