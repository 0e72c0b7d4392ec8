"""Booking (within the round, with an .ics for both), the record with agreements, both
confirm, then it is locked; a later change is a new, visible revision; follow-ups."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from lus import services
from lus.models import Agreement, Conversation, FollowUp, Preparation, RecordRevision
from tests.conftest import client_for
from tests.lus.conftest import confirmed, held

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def _record_post(*agreements, notes="Vi talte om dialog", held_on=""):
    data = {
        "notes": notes,
        "held_on": held_on,
        "agreements-TOTAL_FORMS": str(max(2, len(agreements))),
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "20",
    }
    for n, (what, due) in enumerate(agreements):
        data[f"agreements-{n}-what"] = what
        data[f"agreements-{n}-due_on"] = due
    return data


def test_booking_is_within_the_round_and_gives_both_an_invitation(org, client, lus):
    client_for(client, org.users["leader"])
    url = reverse("lus:booking", args=[lus.conversation.pk])
    response = client.post(url, {"date": "2027-02-01", "time": "10:00", "location": "Lokale 3"})
    assert response.status_code == 400 and "Samtalen skal ligge inden for runden" in response.content.decode()
    assert Conversation.objects.get(pk=lus.conversation.pk).starts_at is None
    assert client.post(url, {"date": "2026-09-10", "time": "10:00", "location": "Lokale 3"}).status_code == 302
    ics = client.get(reverse("lus:booking_ics", args=[lus.conversation.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"lus-{lus.conversation.pk}@ledelsesgrundlag"
    assert event["DTSTART"].dt.hour == 10 and str(event["LOCATION"]) == "Lokale 3"
    assert {str(a) for a in event.get("ATTENDEE")} == {"mailto:leder2@example.org", "mailto:leder@example.org"}
    # A new time raises the sequence, so the calendar updates the event.
    client.post(url, {"date": "2026-09-11", "time": "10:00", "location": "Lokale 3"})
    event = Calendar.from_ical(client.get(reverse("lus:booking_ics", args=[lus.conversation.pk])).content).walk(
        "VEVENT"
    )[0]
    assert event["SEQUENCE"] == 1


def test_the_record_with_two_agreements_is_confirmed_by_both_and_locked(org, client, lus):
    url = reverse("lus:record_edit", args=[lus.conversation.pk])
    client_for(client, org.users["leader"])
    assert (
        client.post(
            url, _record_post(("Faste dialogmøder", "2026-12-01"), ("Mentor", "2027-03-01"), held_on="2026-09-20")
        ).status_code
        == 302
    )
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.state == Conversation.State.HELD and c.notes == "Vi talte om dialog"
    assert list(c.agreements.values_list("what", flat=True)) == ["Faste dialogmøder", "Mentor"]
    client.post(reverse("lus:record_confirm", args=[c.pk]))
    c.refresh_from_db()
    assert c.partner_confirmed_at and not c.leader_confirmed_at and not c.is_locked
    client_for(client, org.users["leader2"]).post(reverse("lus:record_confirm", args=[c.pk]))
    c.refresh_from_db()
    assert c.is_locked and c.state == Conversation.State.CONFIRMED


def test_confirming_a_record_without_agreements_is_refused(org, client, lus):
    services.conversation_book(
        conversation=lus.conversation,
        starts_at=datetime(2026, 9, 10, 10, 0, tzinfo=CPH),
        location="Mødelokale 1",
    )
    client_for(client, org.users["leader2"])
    client.post(reverse("lus:record_edit", args=[lus.conversation.pk]), _record_post())
    response = client.post(reverse("lus:record_confirm", args=[lus.conversation.pk]), follow=True)
    assert "Et referat kan kun bekræftes, når det har mindst én aftale." in response.content.decode()
    assert Conversation.objects.get(pk=lus.conversation.pk).leader_confirmed_at is None


def test_an_agreement_without_a_date_is_refused_and_nothing_saved(org, client, lus):
    client_for(client, org.users["leader2"])
    response = client.post(reverse("lus:record_edit", args=[lus.conversation.pk]), _record_post(("Uden dato", "")))
    assert response.status_code == 400 and "Angiv en dato for aftalen." in response.content.decode()
    assert not Agreement.objects.exists()
    assert Conversation.objects.get(pk=lus.conversation.pk).notes == ""


def test_a_locked_record_is_not_edited(org, client, lus):
    confirmed(lus.conversation, lus.principles)
    client_for(client, org.users["leader"])
    url = reverse("lus:record_edit", args=[lus.conversation.pk])
    response = client.post(url, _record_post(("Ny", "2026-12-01")), follow=True)
    assert response.redirect_chain[0] == (url, 302)
    assert "Referatet er bekræftet og låst. Start en revision for at ændre det." in response.content.decode()
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.notes == "Referatets hemmelige tekst" and c.agreements.count() == 2


def test_a_later_change_is_a_new_visible_revision(org, client, lus):
    confirmed(lus.conversation, lus.principles)
    client_for(client, org.users["leader"])
    assert client.post(reverse("lus:record_revise", args=[lus.conversation.pk])).status_code == 302
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.revision == 2 and not c.is_locked and c.state == Conversation.State.HELD
    revision = RecordRevision.objects.get(conversation=c)
    assert revision.number == 1 and revision.snapshot["notes"] == "Referatets hemmelige tekst"
    assert [a["what"] for a in revision.snapshot["agreements"]] == ["Aftale 1", "Aftale 2"]
    services.record_save(
        conversation=c,
        notes="Rettet referat",
        agreements=[services.AgreementData(what="Aftale 1", due_on=date(2026, 12, 1))],
    )
    html = client.get(reverse("lus:conversation_detail", args=[c.pk])).content.decode()
    assert "Revision 1" in html and "revision 2" in html and "Rettet referat" in html


def test_preparations_are_locked_with_the_record(org, lus):
    confirmed(lus.conversation, lus.principles)
    prep = services.preparation_for(conversation=lus.conversation, role=Preparation.Role.LEADER)
    with pytest.raises(Exception, match="låst"):
        services.preparation_save(preparation=prep, ratings={}, answers=[], required_item_ids=set())


def test_each_agreement_gets_at_most_two_follow_ups_with_a_status(org, client, lus):
    held(lus.conversation, lus.principles)
    agreement = lus.conversation.agreements.first()
    client_for(client, org.users["leader2"])
    url = reverse("lus:followup_add", args=[lus.conversation.pk, agreement.pk])
    for day in ("2026-10-15", "2026-11-15", "2026-12-15"):
        client.post(url, {"date": day})
    assert list(agreement.followups.values_list("date", flat=True)) == [date(2026, 10, 15), date(2026, 11, 15)]
    followup = agreement.followups.first()
    edit = reverse("lus:followup_edit", args=[lus.conversation.pk, followup.pk])
    assert client.post(edit, {"date": "2026-10-16", "status": "paa_vej", "note": "Godt i gang"}).status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.ON_TRACK and followup.sequence == 1
    ics = client.get(reverse("lus:followup_ics", args=[lus.conversation.pk, followup.pk]))
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"lus-followup-{followup.pk}@ledelsesgrundlag" and event["SEQUENCE"] == 1


def test_last_years_agreements_show_on_this_years_preparation(org, client, lus):
    from lus.models import Round

    confirmed(lus.conversation, lus.principles)
    new_round = Round.objects.create(
        name="LUS 2027",
        region=lus.round.region,
        scope=lus.round.scope,
        framework_version=lus.version,
        period_start=date(2027, 8, 1),
        period_end=date(2027, 12, 31),
        preparation_opens=date(2027, 8, 1),
        held_by=date(2027, 11, 1),
        confirmed_by=date(2027, 12, 1),
        questions=["?"],
    )
    services.round_conversations_create(lus_round=new_round)
    this_year = Conversation.objects.get(round=new_round, leader=org.people["leader2"])
    html = (
        client_for(client, org.users["leader2"])
        .get(reverse("lus:preparation_edit", args=[this_year.pk]))
        .content.decode()
    )
    assert "Sidste gangs aftaler (LUS 2026)" in html and "Aftale 1" in html
