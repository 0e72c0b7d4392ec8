"""Issue 18, point 5: the other party is told (notice and e-mail, no LUS content, naming the
other person), and the leader's own page never asks them to "prepare the LUS with" themself."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ledelse.notifications.models import Reminder
from lus import services
from lus.models import Preparation
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db


def _titles():
    """The notices (the calendar invitations that go with a booking are not notices)."""
    return sorted(Reminder.objects.filter(kind="lus-waiting").values_list("recipient__username", "title"))


def test_booking_tells_the_other_party_by_name_with_nothing_of_the_lus(
    org, client, lus, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(client, org.users["leader2"]).post(
            reverse("lus:booking", args=[lus.conversation.pk]),
            {"date": "2026-09-10", "time": "10:00", "location": "Hemmeligt lokale", "duration_minutes": "60"},
        )
    assert _titles() == [
        ("leader", "LUS med Lars Leder To: samtalen er booket; kalenderinvitationen er sendt med e-mail")
    ]
    (message,) = [m for m in mailoutbox if "LUS med" in m.subject]
    assert message.to == ["leder@example.org"] and "Lars Leder To" in message.subject
    text = message.body + "".join(str(a[0]) for a in message.alternatives)
    assert "Hemmeligt lokale" not in text and "LUS 2026" not in text
    # A rebooking tells again.
    client.post(
        reverse("lus:booking", args=[lus.conversation.pk]),
        {"date": "2026-09-11", "time": "10:00", "location": "Hemmeligt lokale", "duration_minutes": "60"},
    )
    assert Reminder.objects.filter(recipient=org.users["leader"], kind="lus-waiting").count() == 2


def test_sharing_a_preparation_tells_the_other_party(org, client, lus):
    prepare(lus.conversation, Preparation.Role.PARTNER, [3, 3, 3], share=False)
    client_for(client, org.users["leader"]).post(reverse("lus:preparation_share", args=[lus.conversation.pk]))
    assert _titles() == [("leader2", "LUS med Lene Leder: forberedelsen er delt med dig")]


def test_a_saved_record_and_a_reset_confirmation_are_told(org, lus):
    held(lus.conversation, lus.principles)
    Reminder.objects.all().delete()
    services.record_save(
        conversation=lus.conversation,
        notes="Ny tekst",
        agreements=[services.AgreementData(what="Aftale", due_on=date(2027, 1, 1))],
        by=org.users["leader"],
    )
    assert _titles() == [("leader2", "LUS med Lene Leder: referatet venter på din bekræftelse")]
    Reminder.objects.all().delete()
    services.record_confirm(conversation=lus.conversation, role=Preparation.Role.LEADER)
    services.record_save(
        conversation=lus.conversation,
        notes="Rettet",
        agreements=[services.AgreementData(what="Aftale", due_on=date(2027, 1, 1))],
        by=org.users["leader"],
    )
    assert _titles() == [("leader2", "LUS med Lene Leder: referatet er ændret; bekræft det igen")]


def test_the_leader_is_never_asked_to_prepare_the_lus_with_themself(org, client, lus):
    lus.round.preparation_opens = date(2026, 1, 1)
    lus.round.save()
    html = client_for(client, org.users["leader2"]).get(reverse("lus:overview")).content.decode()
    assert "Forbered LUS med Lars Leder To" not in html
    assert "Forbered din egen LUS" in html
    partner = client_for(client, org.users["leader"]).get(reverse("lus:overview")).content.decode()
    assert "Forbered LUS med Lars Leder To" in partner and "Forbered din egen LUS" in partner
    assert "Min egen LUS" in partner and "LUS med de ledere, jeg leder" in partner
