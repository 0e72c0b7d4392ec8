"""The hearing's pages: every view that changes something with the right user, the wrong
user (in the region: 403, or 404 where the hearing does not exist for them), another
region's user (404) and no user; bad input in Danish with the text kept; the plan page
shows the comments beside each theme to the owners, the approver and those invited, and to
nobody else; notices and e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dialogues import hearings
from dialogues.models import Hearing, HearingComment
from ledelse.concurrency.forms import ONCE_FIELD
from ledelse.notifications.models import Reminder
from values.models import Item

pytestmark = pytest.mark.django_db


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def themes(plan):
    return list(Item.objects.filter(version_id=plan.rollout.framework_version_id, kind="theme").order_by("position"))


@pytest.fixture
def hearing(org, plan) -> Hearing:
    return hearings.hearing_open(plan=plan, closes_on=in_days(7), audience="employees", by=org.users["leader2"])


@pytest.fixture
def a_comment(org, hearing, themes) -> HearingComment:
    return hearings.hearing_comment_add(
        hearing=hearing, theme=themes[0], text="Hvad med nattevagterne?", by=org.users["employee"]
    )


def _as(client, org, who):
    client.logout()
    if who is not None:
        client.force_login(org.users[who])
    return client


def _is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _open_url(plan):
    return reverse("dialogues:hearing_open", args=[plan.pk])


def _comment_url(plan, hearing, theme):
    return reverse("dialogues:hearing_comment", args=[plan.pk, hearing.pk, theme.pk])


def _answer_url(plan, comment):
    return reverse("dialogues:hearing_comment_answer", args=[plan.pk, comment.pk])


def _close_url(plan, hearing):
    return reverse("dialogues:hearing_close", args=[plan.pk, hearing.pk])


# --- Opening -----------------------------------------------------------------------------------


def test_the_owner_opens_a_hearing_and_those_invited_are_told(org, plan, client, django_capture_on_commit_callbacks):
    page = _as(client, org, "leader2").get(_open_url(plan))
    assert page.status_code == 200
    assert "Enhedens medarbejdere (1 personer)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _open_url(plan), {"audience": "employees", "closes_on": in_days(5).isoformat(), ONCE_FIELD: "k1"}
        )
    hearing = Hearing.objects.get()
    assert response.status_code == 302 and response["Location"] == hearing.get_absolute_url()
    notice = Reminder.objects.get(kind="hearing-opened")
    assert notice.recipient == org.users["employee"]
    from ledelse.dates import long_date

    assert (
        notice.title
        == f"Lars Leder To beder om dine kommentarer til planen for Afdeling A1 senest {long_date(in_days(5))}"
    )
    (message,) = mail.outbox
    assert message.to == ["emil@example.org"] and message.subject == notice.title
    assert "Spurgt: Enhedens medarbejdere" in message.body and f"/planer/{plan.pk}/#hoering" in message.body


def test_a_double_click_opens_one_hearing(org, plan, client):
    data = {"audience": "employees", "closes_on": in_days(5).isoformat(), ONCE_FIELD: "same-key"}
    first = _as(client, org, "leader2").post(_open_url(plan), data)
    second = client.post(_open_url(plan), data)
    assert first.status_code == second.status_code == 302
    assert Hearing.objects.count() == 1


def test_a_closing_date_in_the_past_is_refused_in_danish_and_the_form_kept(org, plan, client):
    response = _as(client, org, "leader2").post(
        _open_url(plan), {"audience": "employees", "closes_on": in_days(-1).isoformat()}
    )
    assert response.status_code == 200
    assert "Vælg en frist efter i dag." in response.content.decode()
    assert not Hearing.objects.exists()


@pytest.mark.parametrize("who", ["leader", "koncern", "employee", "hr"])
def test_others_in_the_region_may_not_open_a_hearing(org, plan, client, who):
    response = _as(client, org, who).post(
        _open_url(plan), {"audience": "employees", "closes_on": in_days(5).isoformat()}
    )
    assert response.status_code == 403
    assert not Hearing.objects.exists()


def test_another_region_and_no_user_cannot_open_a_hearing(org, plan, client):
    data = {"audience": "employees", "closes_on": in_days(5).isoformat()}
    assert _as(client, org, "outsider").post(_open_url(plan), data).status_code == 404
    assert _is_login_redirect(_as(client, org, None).post(_open_url(plan), data))
    assert not Hearing.objects.exists()


def test_an_open_hearing_sends_the_owner_to_it(org, plan, client, hearing):
    response = _as(client, org, "leader2").get(_open_url(plan))
    assert response.status_code == 302 and response["Location"] == hearing.get_absolute_url()


# --- Commenting ----------------------------------------------------------------------------------


def test_an_invited_employee_comments_on_a_theme(org, plan, client, hearing, themes):
    response = _as(client, org, "employee").post(
        _comment_url(plan, hearing, themes[1]), {"text": "Vi savner MED her", ONCE_FIELD: "c1"}
    )
    made = HearingComment.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert (made.theme, made.author_name, made.text) == (themes[1], "Emil Medarbejder", "Vi savner MED her")
    # A double click (the same key) makes one.
    client.post(_comment_url(plan, hearing, themes[1]), {"text": "Vi savner MED her", ONCE_FIELD: "c1"})
    assert HearingComment.objects.count() == 1


def test_a_comment_typed_while_the_hearing_closed_is_refused_and_kept(org, plan, client, hearing, themes):
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    response = _as(client, org, "employee").post(_comment_url(plan, hearing, themes[0]), {"text": "Min lange tekst"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Høringen er lukket, så din kommentar blev ikke gemt." in body
    assert "Min lange tekst</textarea>" in body
    assert not HearingComment.objects.exists()


def test_a_comment_with_control_characters_or_too_long_is_refused_in_danish(org, plan, client, hearing, themes):
    _as(client, org, "employee")
    response = client.post(_comment_url(plan, hearing, themes[0]), {"text": "ond\x07tekst"})
    assert response.status_code == 200 and "U+0007" in response.content.decode()
    response = client.post(_comment_url(plan, hearing, themes[0]), {"text": "x" * 2001})
    assert response.status_code == 200 and "2000" in response.content.decode()
    assert not HearingComment.objects.exists()


@pytest.mark.parametrize("who", ["leader2", "leader", "koncern"])
def test_those_who_read_the_hearing_but_are_not_invited_may_not_comment(org, plan, client, hearing, themes, who):
    response = _as(client, org, who).post(_comment_url(plan, hearing, themes[0]), {"text": "Hej"})
    assert response.status_code == 403
    assert not HearingComment.objects.exists()


@pytest.mark.parametrize("who", ["leader3", "hr", "admin", "outsider"])
def test_for_others_the_hearing_does_not_exist(org, plan, client, hearing, themes, who):
    assert _as(client, org, who).post(_comment_url(plan, hearing, themes[0]), {"text": "Hej"}).status_code == 404
    assert not HearingComment.objects.exists()


def test_commenting_needs_sign_in(org, plan, client, hearing, themes):
    assert _is_login_redirect(_as(client, org, None).post(_comment_url(plan, hearing, themes[0]), {"text": "Hej"}))


def test_a_theme_outside_the_plans_framework_is_not_found(org, plan, client, hearing, other_framework):
    foreign = Item.objects.filter(version=other_framework.current_version, kind="theme").first()
    assert _as(client, org, "employee").post(_comment_url(plan, hearing, foreign), {"text": "Hej"}).status_code == 404


# --- Answering -----------------------------------------------------------------------------------


def test_the_owner_answers_and_the_one_who_wrote_is_told(
    org, plan, client, a_comment, django_capture_on_commit_callbacks
):
    _as(client, org, "leader2")
    page = client.get(_answer_url(plan, a_comment))
    assert page.status_code == 200
    token = hearings.hearing_comment_seen_token(comment=a_comment)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_answer_url(plan, a_comment), {"answer": "Godt punkt", "seen_version": token})
    assert response.status_code == 302 and response["Location"] == a_comment.get_absolute_url()
    a_comment.refresh_from_db()
    assert a_comment.answer == "Godt punkt"
    notice = Reminder.objects.get(kind="hearing-comment-answered")
    assert notice.recipient == org.users["employee"]
    assert notice.title.startswith("Lars Leder To har svaret på din kommentar til")
    (message,) = mail.outbox
    assert message.to == ["emil@example.org"]
    assert "Hvad med nattevagterne?" in message.body and "Godt punkt" in message.body


def test_an_answer_over_a_newer_one_shows_both(org, plan, client, a_comment):
    plan.co_owners.add(org.people["leader3"])
    token = hearings.hearing_comment_seen_token(comment=a_comment)
    hearings.hearing_comment_answer(comment=a_comment, answer="Lises svar", by=org.users["leader3"])
    response = _as(client, org, "leader2").post(
        _answer_url(plan, a_comment), {"answer": "Lars' svar", "seen_version": token}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Lises svar" in body and "Lars&#x27; svar" in body
    a_comment.refresh_from_db()
    assert a_comment.answer == "Lises svar"


@pytest.mark.parametrize("who", ["employee", "leader", "koncern"])
def test_readers_of_the_hearing_who_do_not_own_the_plan_may_not_answer(org, plan, client, a_comment, who):
    assert _as(client, org, who).post(_answer_url(plan, a_comment), {"answer": "Nej"}).status_code == 403
    a_comment.refresh_from_db()
    assert a_comment.answer == ""


@pytest.mark.parametrize("who", ["leader3", "hr", "outsider"])
def test_for_others_the_comment_does_not_exist(org, plan, client, a_comment, who):
    assert _as(client, org, who).post(_answer_url(plan, a_comment), {"answer": "Nej"}).status_code == 404


def test_answering_needs_sign_in(org, plan, client, a_comment):
    assert _is_login_redirect(_as(client, org, None).post(_answer_url(plan, a_comment), {"answer": "Nej"}))


def test_an_empty_answer_is_refused_in_danish(org, plan, client, a_comment):
    response = _as(client, org, "leader2").post(_answer_url(plan, a_comment), {"answer": "  "})
    assert response.status_code == 200 and "Skriv dit svar." in response.content.decode()


# --- Closing -------------------------------------------------------------------------------------


def test_the_owner_closes_the_hearing(org, plan, client, hearing):
    response = _as(client, org, "leader2").post(_close_url(plan, hearing))
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.closed_how == "owner"


@pytest.mark.parametrize(("who", "code"), [("employee", 403), ("leader", 403), ("hr", 404), ("outsider", 404)])
def test_others_may_not_close_the_hearing(org, plan, client, hearing, who, code):
    assert _as(client, org, who).post(_close_url(plan, hearing)).status_code == code
    hearing.refresh_from_db()
    assert hearing.closed_at is None


def test_closing_needs_sign_in(org, plan, client, hearing):
    assert _is_login_redirect(_as(client, org, None).post(_close_url(plan, hearing)))


# --- The plan page -----------------------------------------------------------------------------


def test_the_invited_employee_sees_a_comment_form_per_theme(org, plan, client, hearing, themes):
    body = _as(client, org, "employee").get(plan.get_absolute_url()).content.decode()
    assert "Du er inviteret til at kommentere planen." in body
    for theme in themes:
        assert _comment_url(plan, hearing, theme) in body


def test_the_owner_sees_the_comments_beside_the_theme_with_an_answer_form(org, plan, client, a_comment):
    body = _as(client, org, "leader2").get(plan.get_absolute_url()).content.decode()
    assert "Hvad med nattevagterne?" in body and "Emil Medarbejder" in body
    assert _answer_url(plan, a_comment) in body
    assert "Luk høringen nu" in body


def test_the_approver_sees_comments_and_answers(org, plan, client, a_comment):
    hearings.hearing_comment_answer(comment=a_comment, answer="Vi tager det op", by=org.users["leader2"])
    body = _as(client, org, "leader").get(plan.get_absolute_url()).content.decode()
    assert "Hvad med nattevagterne?" in body and "Vi tager det op" in body
    assert _answer_url(plan, a_comment) not in body


@pytest.mark.parametrize("who", ["leader3", "hr"])
def test_others_in_the_region_read_the_plan_without_the_comments(org, plan, client, a_comment, who):
    body = _as(client, org, who).get(plan.get_absolute_url()).content.decode()
    assert "Hvad med nattevagterne?" not in body and "Emil Medarbejder" not in body
    assert "Sendt i høring" in body  # the history says a hearing was held, not what was said


def test_the_history_shows_the_closed_hearing_with_its_comment_count(org, plan, client, hearing, a_comment):
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    body = _as(client, org, "leader3").get(plan.get_absolute_url()).content.decode()
    assert "<strong>Høring lukket</strong>" in body and "(1 kommentar)" in body


def test_the_plan_page_reads_the_hearing_in_a_fixed_number_of_queries(
    org, plan, client, hearing, themes, django_assert_max_num_queries
):
    for i in range(6):
        hearings.hearing_comment_add(
            hearing=hearing, theme=themes[i % 2], text=f"Kommentar {i}", by=org.users["employee"]
        )
    _as(client, org, "leader2").get(plan.get_absolute_url())
    with django_assert_max_num_queries(60) as few:
        client.get(plan.get_absolute_url())
    hearings.hearing_comment_add(hearing=hearing, theme=themes[0], text="En til", by=org.users["employee"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(plan.get_absolute_url())


def test_the_check_page_says_the_hearing_must_close_first(org, plan, client, hearing):
    body = _as(client, org, "leader2").get(reverse("dialogues:plan_check", args=[plan.pk])).content.decode()
    assert "Luk høringen, før du indsender planen" in body and _close_url(plan, hearing) in body
