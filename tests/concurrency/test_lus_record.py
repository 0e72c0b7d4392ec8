"""Two people, one LUS record (issue 17, points 1 and 2): the partner's save from an older
form does not delete the agreement the leader just added or overwrite the notes; a
confirmation names the version seen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ledelse.concurrency.versions import Seen, VersionConflict
from lus import services
from lus.models import Conversation
from tests.concurrency.htmlform import form_fields, with_values
from tests.lus.conftest import held

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _add_agreement(data: dict, what: str, due: str) -> dict:
    n = int(data["agreements-TOTAL_FORMS"][0])
    # The formset's empty rows are the extra ones: fill the first empty one.
    for i in range(n):
        if not data.get(f"agreements-{i}-what", [""])[0]:
            return with_values(data, **{f"agreements__{i}__what": what, f"agreements__{i}__due_on": due})
    raise AssertionError("no empty row")


def test_the_partners_older_form_does_not_delete_the_leaders_new_agreement(org, lus):
    conversation = held(lus.conversation, lus.principles)
    url = reverse("lus:record_edit", args=[conversation.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    leaders_form = form_fields(leader.get(url).content.decode())
    partners_form = form_fields(partner.get(url).content.decode())

    leaders = _add_agreement(leaders_form, "Sparring med HR", "2026-11-01")
    leaders = with_values(leaders, notes="Lederens noter")
    assert leader.post(url, leaders).status_code == 302
    # The partner saves from the form loaded before: notes changed, no new agreement.
    response = partner.post(url, with_values(partners_form, notes="Partnerens noter"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Der er gemt en ændring, mens du redigerede" in page
    assert "Sparring med HR" in page and "Partnerens noter" in page and "Lederens noter" in page
    c = Conversation.objects.get(pk=conversation.pk)
    assert c.notes == "Lederens noter"
    assert "Sparring med HR" in c.agreements.values_list("what", flat=True)

    # The partner takes the leader's agreements and keeps their own notes: both are kept.
    again = form_fields(page)
    assert again["conflict-agreements"] == ["theirs"] and again["conflict-notes"] == ["mine"]
    assert partner.post(url, again).status_code == 302
    c.refresh_from_db()
    assert c.notes == "Partnerens noter"
    assert sorted(c.agreements.values_list("what", flat=True)) == ["Aftale 1", "Aftale 2", "Sparring med HR"]


def test_the_partner_may_take_the_leaders_notes_instead(org, lus):
    conversation = held(lus.conversation, lus.principles)
    url = reverse("lus:record_edit", args=[conversation.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    partners_form = form_fields(partner.get(url).content.decode())
    leader.post(url, with_values(form_fields(leader.get(url).content.decode()), notes="Lederens noter"))
    page = partner.post(url, with_values(partners_form, notes="Partnerens noter")).content.decode()
    assert partner.post(url, with_values(form_fields(page), conflict__notes="theirs")).status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).notes == "Lederens noter"


def test_a_save_of_something_else_than_the_other_changed_is_not_a_conflict(org, lus):
    conversation = held(lus.conversation, lus.principles)
    url = reverse("lus:record_edit", args=[conversation.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    leaders_form = form_fields(leader.get(url).content.decode())
    partners_form = form_fields(partner.get(url).content.decode())
    assert leader.post(url, with_values(leaders_form, notes="Nye noter")).status_code == 302
    # The partner saves the same notes: nothing of the leader's would be lost.
    assert partner.post(url, with_values(partners_form, notes="Nye noter")).status_code == 302


def test_the_service_refuses_a_save_from_an_older_version(org, lus):
    conversation = held(lus.conversation, lus.principles)
    token = services.record_seen_token(conversation=conversation)
    services.record_save(
        conversation=conversation, notes="Ny", agreements=[], version=Seen.parse(token), by=org.users["leader2"]
    )
    with pytest.raises(VersionConflict) as caught:
        services.record_save(conversation=conversation, notes="Gammel", agreements=[], version=Seen.parse(token))
    assert [c.name for c in caught.value.changes] == ["notes"]
    assert Conversation.objects.get(pk=conversation.pk).notes == "Ny"


def test_confirming_names_the_version_seen_and_a_changed_record_asks_again(org, lus):
    conversation = held(lus.conversation, lus.principles)
    detail = reverse("lus:conversation_detail", args=[conversation.pk])
    confirm = reverse("lus:record_confirm", args=[conversation.pk])
    leader, partner = _session(org.users["leader2"]), _session(org.users["leader"])
    partners_page = form_fields(partner.get(detail).content.decode(), contains="bekraeft")
    # The leader changes the record after the partner loaded the page.
    url = reverse("lus:record_edit", args=[conversation.pk])
    leader.post(url, with_values(form_fields(leader.get(url).content.decode()), notes="Ændret efter"))

    response = partner.post(confirm, partners_page, follow=True)
    assert "Referatet er ændret, siden du åbnede siden" in response.content.decode()
    c = Conversation.objects.get(pk=conversation.pk)
    assert c.partner_confirmed_at is None
    # Read again, confirm again: accepted.
    partner.post(confirm, form_fields(partner.get(detail).content.decode(), contains="bekraeft"))
    c.refresh_from_db()
    assert c.partner_confirmed_at is not None


def test_confirming_only_by_the_two_parties(org, lus, client):
    conversation = held(lus.conversation, lus.principles)
    confirm = reverse("lus:record_confirm", args=[conversation.pk])
    data = {"seen_version": str(conversation.lock_version)}
    assert _session(org.users["hr"]).post(confirm, data).status_code == 404
    assert client.post(confirm, data).status_code == 302  # to sign-in
    assert Conversation.objects.get(pk=conversation.pk).partner_confirmed_at is None
