"""Every edit form carries the version it was loaded from (issue 17, point 1): the rollout,
the LUS round, the booking, a follow-up, a preparation (the same party in two tabs) and the
plan's co-owners. Each test loads the form in two sessions, lets one save, posts the other's
older form and checks that nothing was overwritten and the conflict is shown in Danish."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Plan, Rollout
from ledelse.concurrency.versions import Seen, VersionConflict
from lus import services as lus_services
from lus.models import Conversation, FollowUp, Preparation, Round
from tests.concurrency.htmlform import form_fields, with_values
from tests.lus.conftest import held

pytestmark = pytest.mark.django_db

CONFLICT = "En anden har gemt, mens du redigerede"
NOTHING_SAVED = "Der er gemt en ændring, mens du redigerede"


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _two_forms(url: str, first: Client, second: Client) -> tuple[dict, dict]:
    return form_fields(first.get(url).content.decode()), form_fields(second.get(url).content.decode())


def _shows_conflict(response) -> str:
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert CONFLICT in page and NOTHING_SAVED in page
    return page


def test_an_older_rollout_form_does_not_revert_the_title(org, rollout):
    url = reverse("dialogues:rollout_edit", args=[rollout.pk])
    first, second = _session(org.users["koncern"]), _session(org.users["koncern"])
    firsts, seconds = _two_forms(url, first, second)

    assert first.post(url, with_values(firsts, title="Udrulning 2026 – forår")).status_code == 302
    response = second.post(url, with_values(seconds, deadline="2026-11-30"))

    page = _shows_conflict(response)
    assert "Udrulning 2026 – forår" in page
    stored = Rollout.objects.get(pk=rollout.pk)
    assert stored.title == "Udrulning 2026 – forår" and stored.deadline == date(2026, 12, 31)
    # Saving the conflict page takes the other's title (offered) and keeps the new deadline.
    assert second.post(url, form_fields(page)).status_code == 302
    stored.refresh_from_db()
    assert stored.title == "Udrulning 2026 – forår" and stored.deadline == date(2026, 11, 30)


def test_an_older_round_form_does_not_revert_the_name(org, lus):
    url = reverse("lus:round_edit", args=[lus.round.pk])
    first, second = _session(org.users["hr"]), _session(org.users["hr"])
    firsts, seconds = _two_forms(url, first, second)

    assert first.post(url, with_values(firsts, name="LUS efterår 2026")).status_code == 302
    response = second.post(url, with_values(seconds, held_by="2026-11-15"))

    page = _shows_conflict(response)
    stored = Round.objects.get(pk=lus.round.pk)
    assert stored.name == "LUS efterår 2026" and stored.held_by == date(2026, 11, 30)
    assert second.post(url, form_fields(page)).status_code == 302
    stored.refresh_from_db()
    assert stored.name == "LUS efterår 2026" and stored.held_by == date(2026, 11, 15)


def test_an_older_round_form_does_not_revert_the_common_items(org, lus):
    url = reverse("lus:round_edit", args=[lus.round.pk])
    first, second = _session(org.users["hr"]), _session(org.users["hr"])
    firsts, seconds = _two_forms(url, first, second)
    firsts["common-items"] = [str(lus.themes[0].pk)]

    assert first.post(url, firsts).status_code == 302
    _shows_conflict(second.post(url, with_values(seconds, name="LUS 2026 (ny)")))
    stored = Round.objects.get(pk=lus.round.pk)
    assert list(stored.common_items.all()) == [lus.themes[0]] and stored.name == "LUS 2026"


def test_an_older_booking_form_does_not_move_the_others_booking(org, lus):
    conversation = lus.conversation
    url = reverse("lus:booking", args=[conversation.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    leaders, partners = _two_forms(url, leader, partner)

    booked = with_values(leaders, date="2026-10-01", time="10:00", location="Mødelokale 1")
    assert leader.post(url, booked).status_code == 302
    response = partner.post(url, with_values(partners, date="2026-10-02", time="13:00", location="Kontoret"))

    page = _shows_conflict(response)
    assert "Mødelokale 1" in page
    stored = Conversation.objects.get(pk=conversation.pk)
    assert stored.location == "Mødelokale 1"
    starts = timezone.localtime(stored.starts_at)
    assert (starts.date(), starts.hour) == (date(2026, 10, 1), 10)


def test_an_older_followup_form_does_not_revert_the_note(org, lus):
    conversation = held(lus.conversation, lus.principles)
    agreement = conversation.agreements.first()
    followup = lus_services.followup_add(agreement=agreement, date=date(2026, 11, 1))
    url = reverse("lus:followup_edit", args=[conversation.pk, followup.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    leaders, partners = _two_forms(url, leader, partner)

    assert leader.post(url, with_values(leaders, note="På vej med sparring")).status_code == 302
    response = partner.post(url, with_values(partners, status="naaet"))

    page = _shows_conflict(response)
    assert "På vej med sparring" in page
    stored = FollowUp.objects.get(pk=followup.pk)
    assert stored.note == "På vej med sparring" and stored.status == ""
    assert partner.post(url, form_fields(page)).status_code == 302
    stored.refresh_from_db()
    assert stored.note == "På vej med sparring" and stored.status == "naaet"


def test_the_same_party_in_two_tabs_does_not_overwrite_the_preparation(org, lus):
    conversation = lus.conversation
    url = reverse("lus:preparation_edit", args=[conversation.pk])
    tab1, tab2 = _session(org.users["leader2"]), _session(org.users["leader2"])
    firsts, seconds = _two_forms(url, tab1, tab2)

    assert tab1.post(url, with_values(firsts, answer_0="Svar fra fane 1")).status_code == 302
    response = tab2.post(url, with_values(seconds, answer_0="Svar fra fane 2"))

    page = _shows_conflict(response)
    assert "Svar fra fane 1" in page and "Svar fra fane 2" in page
    stored = Preparation.objects.get(conversation=conversation, role=Preparation.Role.LEADER)
    assert stored.answers[0] == "Svar fra fane 1"
    # The user keeps their own answer (their change is offered as "mine").
    again = form_fields(page)
    assert again["conflict-answer_0"] == ["mine"]
    assert tab2.post(url, again).status_code == 302
    stored.refresh_from_db()
    assert stored.answers[0] == "Svar fra fane 2"


def test_the_two_parties_preparations_do_not_conflict(org, lus):
    conversation = lus.conversation
    url = reverse("lus:preparation_edit", args=[conversation.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    leaders, partners = _two_forms(url, leader, partner)

    assert leader.post(url, with_values(leaders, answer_0="Lederens svar")).status_code == 302
    assert partner.post(url, with_values(partners, answer_0="Partnerens svar")).status_code == 302
    answers = dict(Preparation.objects.filter(conversation=conversation).values_list("role", "answers"))
    assert answers[Preparation.Role.LEADER][0] == "Lederens svar"
    assert answers[Preparation.Role.PARTNER][0] == "Partnerens svar"


def test_an_older_co_owners_form_does_not_undo_the_others_choice(org, plan):
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    owner, above = _session(org.users["leader2"]), _session(org.users["leader"])
    owners, aboves = _two_forms(url, owner, above)

    assert owner.post(url, with_values(owners, co_owners=str(org.people["employee"].pk))).status_code == 302
    response = above.post(url, with_values(aboves, co_owners=str(org.people["leader"].pk)))

    page = _shows_conflict(response)
    assert org.people["employee"].name in page
    assert list(Plan.objects.get(pk=plan.pk).co_owners.all()) == [org.people["employee"]]


def test_a_record_save_meanwhile_is_no_conflict_for_the_booking(org, lus):
    """The booking shares the LUS's version with the record: only what the booking form
    shows is compared, so a record change meanwhile does not stop a booking."""
    conversation = lus.conversation
    url = reverse("lus:booking", args=[conversation.pk])
    leader = _session(org.users["leader2"])
    form = form_fields(leader.get(url).content.decode())
    lus_services.record_save(conversation=conversation, notes="Noter skrevet imens", agreements=[])
    booked = with_values(form, date="2026-10-01", time="10:00", location="Mødelokale 1")
    assert leader.post(url, booked).status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).location == "Mødelokale 1"


def test_an_activity_meanwhile_is_no_conflict_for_the_co_owners(org, plan, make_activity):
    url = reverse("dialogues:plan_co_owners_edit", args=[plan.pk])
    owner = _session(org.users["leader2"])
    form = form_fields(owner.get(url).content.decode())
    make_activity(plan)  # raises the plan's version
    assert owner.post(url, with_values(form, co_owners=str(org.people["employee"].pk))).status_code == 302
    assert list(Plan.objects.get(pk=plan.pk).co_owners.all()) == [org.people["employee"]]


def test_the_services_refuse_a_save_from_an_older_version(org, lus):
    """Internal callers name no version and are not checked; a caller that names an older
    one is refused by the service itself, whatever the view does."""
    conversation = held(lus.conversation, lus.principles)
    followup = lus_services.followup_add(agreement=conversation.agreements.first(), date=date(2026, 11, 1))
    seen = Seen.parse(lus_services.followup_seen_token(followup=followup))
    lus_services.followup_update(followup=followup, date=followup.date, status="paa_vej", note="Ny", version=seen)
    with pytest.raises(VersionConflict):
        lus_services.followup_update(followup=followup, date=followup.date, status="", note="Gammel", version=seen)
    assert FollowUp.objects.get(pk=followup.pk).note == "Ny"

    seen = Seen.parse(lus_services.booking_seen_token(conversation=conversation))
    starts = conversation.starts_at
    lus_services.conversation_book(conversation=conversation, starts_at=starts, location="Kontoret", version=seen)
    with pytest.raises(VersionConflict):
        lus_services.conversation_book(conversation=conversation, starts_at=starts, location="Kantinen", version=seen)
    assert Conversation.objects.get(pk=conversation.pk).location == "Kontoret"
