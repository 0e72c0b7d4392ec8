"""Issue 19, point 3: the approver and the owner talk to each other.

The send-back comment reaches the owners at the top of the plan, in "Næste skridt", in the
notice and the e-mail; the owner answers on resubmitting and the approver sees what changed;
approving takes an optional comment and clears the approver's waiting notices; a submitted
plan can be withdrawn; "Tjek din plan" comes before submitting; removing an activity asks
first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues import services
from ledelse.notifications.models import Reminder
from tests.dialogues.conftest import submitted

pytestmark = pytest.mark.django_db

COMMENT = "Skriv mere om, hvordan MED-udvalget er med."


@pytest.fixture
def themes(framework):
    return list(framework.current_version.items.filter(kind="theme").order_by("position"))


@pytest.fixture
def sent_back(org, plan, make_activity, themes):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Første udkast"}, focus_principles=[])
    make_activity(plan, title="Dialog i ledergruppen")
    plan = submitted(org, plan)
    return services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment=COMMENT)


def test_the_send_back_comment_is_at_the_top_and_in_the_next_step(org, client, sent_back):
    client.force_login(org.users["leader2"])
    html = client.get(sent_back.get_absolute_url()).content.decode()
    top = html.index("plan-sent-back")
    assert COMMENT in html[top : top + 1500]
    assert html.index(COMMENT) < html.index('id="workflow-title"')
    assert "Ret planen, som kommentaren ovenfor beder om" in html


def test_the_send_back_notice_and_e_mail_carry_the_comment(
    org, plan, make_activity, mailoutbox, django_capture_on_commit_callbacks
):
    make_activity(plan)
    submitted(org, plan)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment=COMMENT)
    notice = Reminder.objects.get(recipient=org.users["leader2"], kind="plan-sent-back")
    assert COMMENT in notice.title and notice.context["comment"] == COMMENT
    mail = next(m for m in mailoutbox if m.to == ["leder2@example.org"])
    assert COMMENT in mail.body and COMMENT in mail.alternatives[0][0]
    assert "historik" not in mail.body


def test_an_empty_send_back_says_what_to_write(org, client, plan, make_activity):
    make_activity(plan)
    submitted(org, plan)
    client.force_login(org.users["leader"])
    response = client.post(reverse("dialogues:plan_send_back", args=[plan.pk]), {"comment": ""})
    html = response.content.decode()
    assert "Skriv, hvad planen mangler, før den kan godkendes, så ejerne ved, hvad de skal ændre." in html
    assert "Dette felt er påkrævet" not in html and "?:" not in html


def test_the_approver_is_not_shown_the_owners_submit_step(org, client, sent_back):
    client.force_login(org.users["leader"])
    html = client.get(sent_back.get_absolute_url()).content.decode()
    assert reverse("dialogues:plan_check", args=[sent_back.pk]) not in html
    assert "Planen er en kladde hos ejerne." in html


def test_the_owner_answers_and_the_approver_sees_what_changed(org, client, sent_back, themes, make_activity):
    services.plan_translation_save(
        plan=sent_back, texts={themes[0].pk: "Andet udkast med MED"}, focus_principles=[], user=org.users["leader2"]
    )
    make_activity(sent_back, title="Punkt i MED-udvalget")
    client.force_login(org.users["leader2"])
    check = client.get(reverse("dialogues:plan_check", args=[sent_back.pk])).content.decode()
    assert "Dit svar på kommentaren" in check and COMMENT in check
    response = client.post(reverse("dialogues:plan_submit", args=[sent_back.pk]), {"comment": "MED er nu med."})
    assert response.status_code == 302
    client.force_login(org.users["leader"])
    html = client.get(sent_back.get_absolute_url()).content.decode()
    changes = html[html.index('id="changes-title"') :]
    assert "MED er nu med." in changes
    assert "Første udkast" in changes and "Andet udkast med MED" in changes
    assert "Tilføjet: Punkt i MED-udvalget" in changes
    # The approver's notice carries the answer.
    notice = Reminder.objects.filter(recipient=org.users["leader"], kind="plan-submitted").latest("pk")
    assert notice.context["comment"] == "MED er nu med."


def test_approving_takes_a_comment_and_clears_the_waiting_notices(
    org, client, plan, make_activity, mailoutbox, django_capture_on_commit_callbacks
):
    make_activity(plan)
    submitted(org, plan)
    waiting = Reminder.objects.get(recipient=org.users["leader"], kind="plan-submitted")
    assert waiting.read_at is None
    client.force_login(org.users["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dialogues:plan_approve", args=[plan.pk]), {"comment": "Flot arbejde."})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "godkendt"
    assert plan.events.latest("at", "id").comment == "Flot arbejde."
    waiting.refresh_from_db()
    assert waiting.read_at is not None
    approved = Reminder.objects.get(recipient=org.users["leader2"], kind="plan-approved")
    assert approved.context["comment"] == "Flot arbejde."
    mail = next(m for m in mailoutbox if m.to == ["leder2@example.org"] and "godkendt" in m.subject)
    assert "Flot arbejde." in mail.body


def test_the_approve_form_has_an_optional_comment(org, client, plan, make_activity):
    make_activity(plan)
    submitted(org, plan)
    client.force_login(org.users["leader"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="approve-comment"' in html


# --- Withdrawing ----------------------------------------------------------------------------------


def test_the_owner_withdraws_a_submitted_plan_to_a_draft(org, client, plan, make_activity):
    make_activity(plan)
    submitted(org, plan)
    client.force_login(org.users["leader2"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("dialogues:plan_withdraw", args=[plan.pk]) in html
    response = client.post(reverse("dialogues:plan_withdraw", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "kladde"
    # The approver's notice no longer waits, and the withdrawal is not a send-back.
    assert Reminder.objects.get(recipient=org.users["leader"], kind="plan-submitted").read_at is not None
    assert "plan-sent-back" not in client.get(plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["employee", "leader3", "hr"])
def test_others_may_not_withdraw(org, client, plan, make_activity, who):
    make_activity(plan)
    submitted(org, plan)
    client.force_login(org.users[who])
    assert client.post(reverse("dialogues:plan_withdraw", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.state == "indsendt"


def test_withdrawing_needs_sign_in_and_the_region(org, client, plan, make_activity):
    make_activity(plan)
    submitted(org, plan)
    url = reverse("dialogues:plan_withdraw", args=[plan.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(org.users["outsider"])
    assert client.post(url).status_code == 404
    plan.refresh_from_db()
    assert plan.state == "indsendt"


# --- Tjek din plan, and asking first --------------------------------------------------------------


def test_the_check_step_shows_the_whole_plan_before_submitting(org, client, plan, make_activity, themes):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Vores ord"}, focus_principles=[])
    make_activity(plan, title="Temadag")
    client.force_login(org.users["leader2"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("dialogues:plan_check", args=[plan.pk]) in html
    check = client.get(reverse("dialogues:plan_check", args=[plan.pk])).content.decode()
    assert "Vores ord" in check and "Temadag" in check
    assert "1 tema har ingen tekst endnu" in check
    assert f'action="{reverse("dialogues:plan_submit", args=[plan.pk])}"' in check


@pytest.mark.parametrize("who", ["employee", "leader3"])
def test_the_check_step_is_for_those_who_edit(org, client, plan, who):
    client.force_login(org.users[who])
    assert client.get(reverse("dialogues:plan_check", args=[plan.pk])).status_code == 403


def test_removing_an_activity_asks_first(org, client, plan, make_activity):
    activity = make_activity(plan)
    client.force_login(org.users["leader2"])
    url = reverse("dialogues:activity_delete", args=[plan.pk, activity.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Det kan ikke fortrydes." in page.content.decode()
    assert plan.activities.count() == 1
    edit = client.get(reverse("dialogues:activity_edit", args=[plan.pk, activity.pk])).content.decode()
    assert f'href="{url}"' in edit  # the edit page links to the question, it does not remove
    assert client.post(url).status_code == 302
    assert not plan.activities.exists()
