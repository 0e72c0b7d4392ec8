"""Issue 18, points 3 and 4: nothing typed is lost (one preparation form, a locked record
read-only, the agreement limit in the service) and the states follow the calendar (held only
when the booked time has passed or the partner says when; the deadline warned of; no rebooking
of a locked LUS; confirm offered only to who has not; follow-ups with a time)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lus import services
from lus.models import Conversation, Preparation, Rating
from tests.conftest import client_for
from tests.lus.conftest import confirmed, held

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _agreements(n=1):
    return [services.AgreementData(what=f"Aftale {i}", due_on=date(2027, 3, 1)) for i in range(n)]


# --- Point 3 -------------------------------------------------------------------------------


def test_topics_and_ratings_are_saved_together_by_one_button(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    data = {"topics-items": [p.pk for p in lus.principles[:2]], "answer_0": "Dialog"}
    for theme in lus.themes:
        data[f"score_{theme.pk}"] = "4"
        data[f"note_{theme.pk}"] = f"Eksempel {theme.title}"
    response = client_for(client, org.users["leader2"]).post(url, data)
    assert response.status_code == 302
    prep = Preparation.objects.get(conversation=lus.conversation, role="leader")
    assert set(prep.topics.all()) == set(lus.principles[:2])
    assert Rating.objects.filter(preparation=prep).count() == 3 and prep.answers[0] == "Dialog"
    page = client.get(url).content.decode()
    assert page.count('type="submit"') - page.count('name="share"') >= 1
    assert "Gem emner" not in page  # no second form that would drop the ratings


def test_a_wrong_number_of_topics_saves_nothing_and_keeps_what_was_typed(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    data = {"topics-items": [lus.principles[0].pk], f"note_{lus.themes[0].pk}": "Skrevet med omhu"}
    response = client_for(client, org.users["leader2"]).post(url, data)
    assert response.status_code == 400
    assert "Vælg 2 eller 3 emner." in response.content.decode()
    assert "Skrevet med omhu" in response.content.decode()
    assert not Preparation.objects.exists()


def test_a_locked_record_is_shown_read_only_with_a_visible_revision(org, client, lus):
    confirmed(lus.conversation, lus.principles)
    page = client_for(client, org.users["leader"]).get(reverse("lus:record_edit", args=[lus.conversation.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Start en revision" in html and "Gem referat" not in html and 'name="notes"' not in html
    assert "Referatets hemmelige tekst" in html


def test_the_agreement_limit_is_enforced_by_the_service(org, lus):
    with pytest.raises(ValidationError):
        services.record_save(conversation=lus.conversation, notes="", agreements=_agreements(21))
    assert not lus.conversation.agreements.exists()
    services.record_save(conversation=lus.conversation, notes="", agreements=_agreements(20))
    assert lus.conversation.agreements.count() == 20


def test_the_agreement_form_refuses_more_than_the_limit(org, client, lus):
    data = {
        "notes": "",
        "agreements-TOTAL_FORMS": "150",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "20",
    }
    for n in range(150):
        data[f"agreements-{n}-what"] = "x" * 100
        data[f"agreements-{n}-due_on"] = "2027-01-01"
    response = client_for(client, org.users["leader"]).post(
        reverse("lus:record_edit", args=[lus.conversation.pk]), data
    )
    assert response.status_code == 400 and not lus.conversation.agreements.exists()


def test_a_name_the_sharing_refuses_comes_back_in_the_field_once(org, client, lus):
    client_for(client, org.users["leader2"])
    url = reverse("lus:conversation_detail", args=[lus.conversation.pk])
    response = client.post(reverse("lus:share_add", args=[lus.conversation.pk]), {"who": "Ingen Sådan"}, follow=True)
    html = response.content.decode()
    assert "Ingen i organisationen" in html
    assert 'value="Ingen Sådan"' in html  # the typed name is kept, not silently dropped
    assert 'value="Ingen Sådan"' not in client.get(url).content.decode()  # once


def test_a_follow_up_date_the_server_refuses_comes_back_in_its_field_once(org, client, lus):
    conversation = held(lus.conversation, lus.principles)
    agreement = conversation.agreements.first()
    client_for(client, org.users["leader2"])
    url = reverse("lus:conversation_detail", args=[conversation.pk])
    response = client.post(
        reverse("lus:followup_add", args=[conversation.pk, agreement.pk]),
        {"date": "2150-01-01", "time": "10:30"},
        follow=True,
    )
    html = response.content.decode()
    assert not agreement.followups.exists()
    assert 'value="2150-01-01" aria-invalid="true"' in html and 'value="10:30"' in html
    assert 'value="2150-01-01"' not in client.get(url).content.decode()  # once


# --- Point 4 -------------------------------------------------------------------------------


def test_a_record_written_before_the_booked_time_does_not_make_the_lus_held(org, lus):
    future = timezone.localdate() + timedelta(days=30)
    Conversation.objects.filter(pk=lus.conversation.pk).update(starts_at=_at(future))
    services.record_save(conversation=lus.conversation, notes="Før samtalen", agreements=_agreements())
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.state == Conversation.State.NOT_STARTED and c.held_on is None
    with pytest.raises(ValidationError):
        services.record_confirm(conversation=c, role=Preparation.Role.LEADER)


def test_the_lus_is_held_once_the_booked_time_has_passed(org, lus):
    held(lus.conversation, lus.principles)  # booked 10 September 2026, in the past
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.state == Conversation.State.HELD and c.held_on == date(2026, 9, 10)


def test_the_partner_says_it_was_held_earlier_with_the_date(org, lus):
    future = timezone.localdate() + timedelta(days=30)
    Conversation.objects.filter(pk=lus.conversation.pk).update(starts_at=_at(future))
    with pytest.raises(ValidationError):  # the leader cannot
        services.record_save(
            conversation=lus.conversation,
            notes="",
            agreements=_agreements(),
            held_on=date(2026, 9, 1),
            by=org.users["leader2"],
        )
    with pytest.raises(ValidationError):  # not in the future
        services.record_save(
            conversation=lus.conversation, notes="", agreements=_agreements(), held_on=future, by=org.users["leader"]
        )
    services.record_save(
        conversation=lus.conversation,
        notes="",
        agreements=_agreements(),
        held_on=date(2026, 9, 1),
        by=org.users["leader"],
    )
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.state == Conversation.State.HELD and c.held_on == date(2026, 9, 1)


def test_a_booking_after_the_deadline_is_warned_of_and_the_form_shows_the_deadline(org, client, lus):
    client_for(client, org.users["leader"])
    url = reverse("lus:booking", args=[lus.conversation.pk])
    page = client.get(url).content.decode()
    assert "30. november 2026" in page or "30.11.2026" in page
    response = client.post(
        url, {"date": "2026-12-10", "time": "09:30", "location": "Lokale 2", "duration_minutes": "90"}, follow=True
    )
    assert "efter rundens frist for at holde samtalerne (30. november 2026)" in response.content.decode()
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.duration_minutes == 90
    event = Calendar.from_ical(client.get(reverse("lus:booking_ics", args=[c.pk])).content).walk("VEVENT")[0]
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=90)


def test_a_locked_lus_cannot_be_rebooked(org, client, lus):
    confirmed(lus.conversation, lus.principles)
    with pytest.raises(ValidationError):
        services.conversation_book(conversation=lus.conversation, starts_at=_at(date(2026, 9, 12)), location="Ny")
    response = client_for(client, org.users["leader"]).post(
        reverse("lus:booking", args=[lus.conversation.pk]),
        {"date": "2026-09-12", "time": "10:00", "location": "Ny", "duration_minutes": "60"},
    )
    assert response.status_code == 302
    assert Conversation.objects.get(pk=lus.conversation.pk).location == "Mødelokale 1"


def test_confirm_is_not_offered_to_who_has_confirmed(org, client, lus):
    held(lus.conversation, lus.principles)
    services.record_confirm(conversation=lus.conversation, role=Preparation.Role.LEADER)
    url = reverse("lus:conversation_detail", args=[lus.conversation.pk])
    assert "Bekræft referatet" not in client_for(client, org.users["leader2"]).get(url).content.decode()
    assert "Du har bekræftet referatet." in client.get(url).content.decode()
    assert "Bekræft referatet" in client_for(client, org.users["leader"]).get(url).content.decode()


def test_a_follow_up_talk_takes_a_time(org, client, lus):
    held(lus.conversation, lus.principles, agreements=1)
    agreement = lus.conversation.agreements.get()
    client_for(client, org.users["leader"]).post(
        reverse("lus:followup_add", args=[lus.conversation.pk, agreement.pk]), {"date": "2026-11-02", "time": "13:15"}
    )
    followup = agreement.followups.get()
    assert followup.time.hour == 13 and followup.time.minute == 15
    ics = client.get(reverse("lus:followup_ics", args=[lus.conversation.pk, followup.pk]))
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert isinstance(event["DTSTART"].dt, datetime) and event["DTSTART"].dt.hour == 13


def test_the_hourly_task_marks_a_lus_held_once_its_booked_time_has_passed(org, lus):
    from lus.tasks import lus_mark_held

    services.conversation_book(conversation=lus.conversation, starts_at=_at(date(2026, 12, 1), 23), location="L")
    assert services.conversations_mark_held(now=_at(date(2026, 12, 1), 22)) == 0
    assert Conversation.objects.get(pk=lus.conversation.pk).state == Conversation.State.NOT_STARTED
    assert services.conversations_mark_held(now=_at(date(2026, 12, 2), 9)) == 1
    c = Conversation.objects.get(pk=lus.conversation.pk)
    assert c.state == Conversation.State.HELD and c.held_on == date(2026, 12, 1)  # the local day, at 23:00
    assert lus_mark_held.delay().get() == 0  # nothing left to mark
