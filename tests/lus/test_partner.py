"""Issue 18, point 1: the conversation partner is a leader above the leader in the
ledelseskæde. HR cannot read a LUS by making itself (or anyone else outside the chain) the
partner; the leader, the old and the new partner are told; the change is in the audit trail;
a partner's preparation is never silently deleted (the change is refused once they prepared).

In the `lus` fixture leader2 (Afdeling A1) has leader (Hospital A) as partner; above them is
koncern (Region Test). hr is HR for Hospital A and leads no unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ledelse.audit.models import AuditEntry
from ledelse.models import Person, RoleAssignment
from ledelse.notifications.models import Reminder
from lus import services
from lus.models import Conversation, Preparation
from lus.selectors import partner_candidates
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db


def _fresh(lus):
    return Conversation.objects.select_related("round", "leader__unit", "partner").get(pk=lus.conversation.pk)


def test_reproduction_hr_cannot_make_itself_the_partner_and_read_the_lus(org, client, lus):
    """The issue's steps: leader2 prepares and shares; hr posts itself as partner. Before the
    fix the POST was accepted and hr read the ratings, notes and PDF."""
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 5], note="Lars' private note")
    client_for(client, org.users["hr"])
    detail = reverse("lus:conversation_detail", args=[lus.conversation.pk])
    assert client.get(detail).status_code == 404
    url = reverse("lus:conversation_partner", args=[lus.conversation.pk])
    # The old form's field and the new one, both naming hr.
    response = client.post(url, {"who": "hr", "partner": org.people["hr"].pk})
    assert response.status_code == 400
    assert _fresh(lus).partner == org.people["leader"]
    assert client.get(detail).status_code == 404
    assert client.get(reverse("lus:preparation_pdf", args=[lus.conversation.pk, "leader"])).status_code == 404
    assert "Lars' private note" not in client.get(url).content.decode()


def test_the_leaders_own_employee_cannot_be_made_partner(org, client, lus):
    client_for(client, org.users["hr"])
    url = reverse("lus:conversation_partner", args=[lus.conversation.pk])
    response = client.post(url, {"who": "employee", "partner": org.people["employee"].pk})
    assert response.status_code == 400
    assert _fresh(lus).partner == org.people["leader"]
    employee = client_for(client, org.users["employee"])
    assert employee.get(reverse("lus:conversation_detail", args=[lus.conversation.pk])).status_code == 404


def test_the_form_offers_only_leaders_above_the_leader(org, client, lus):
    page = client_for(client, org.users["hr"]).get(reverse("lus:conversation_partner", args=[lus.conversation.pk]))
    html = page.content.decode()
    form = html[html.index('name="partner"') : html.index("</select>", html.index('name="partner"'))]
    assert "Lene Leder" in form and "Kirsten Koncern" in form
    for name in ("Hanne HR", "Emil Medarbejder", "Lise Leder Tre", "Ole Udenfor", "Anna Admin", "Lars Leder To"):
        assert name not in form
    assert [p.user.username for p in partner_candidates(conversation=_fresh(lus))] == ["leader", "koncern"]


def _refused(lus, partner, by, message):
    with pytest.raises(ValidationError) as error:
        services.conversation_partner_set(conversation=lus.conversation, partner=partner, by=by)
    assert message in " ".join(error.value.messages)
    assert _fresh(lus).partner_id == lus.conversation.partner_id


def test_never_the_acting_user_even_a_leader_in_the_chain(org, lus):
    # koncern is above leader2, but may not appoint themself.
    _refused(lus, org.people["koncern"], org.users["koncern"], "Du kan ikke gøre dig selv til samtalepartner.")


def test_never_hr_by_virtue_of_the_role(org, lus):
    _refused(lus, org.people["hr"], org.users["admin"], "skal være en leder over Lars Leder To i ledelseskæden")


def test_never_koncernledelse_by_virtue_of_the_role(org, lus):
    member = Person.objects.create(
        user=None, employee_id="P9", name="Karl Koncern", unit=org.units["HR"], is_leader=False
    )
    member.user = type(org.users["hr"]).objects.create_user("koncern2", password="x-password-123")
    member.save()
    RoleAssignment.objects.create(person=member, role=RoleAssignment.Role.KONCERNLEDELSE, unit=org.units["RT"])
    _refused(lus, member, org.users["hr"], "i ledelseskæden")


def test_never_someone_the_leader_leads(org, lus):
    _refused(lus, org.people["employee"], org.users["hr"], "i ledelseskæden")
    leaders_lus = Conversation.objects.select_related("round", "leader__unit").get(leader=org.people["leader"])
    with pytest.raises(ValidationError):  # leader2 works under leader: not leader's partner
        services.conversation_partner_set(conversation=leaders_lus, partner=org.people["leader2"], by=org.users["hr"])


def test_never_the_leader_themself(org, lus):
    _refused(lus, org.people["leader2"], org.users["hr"], "Samtalepartneren kan ikke være lederen selv.")


@pytest.mark.parametrize("who", ["leader3", "outsider"])
def test_never_outside_the_chain(org, lus, who):
    _refused(lus, org.people[who], org.users["hr"], "i ledelseskæden")


def test_the_partner_is_fixed_once_the_conversation_is_held(org, lus):
    held(lus.conversation, lus.principles)
    _refused(lus, org.people["koncern"], org.users["hr"], "Samtalen er afholdt")


def test_a_partner_who_has_prepared_is_not_replaced_and_their_preparation_is_kept(org, lus):
    prepare(lus.conversation, Preparation.Role.PARTNER, [2, 2, 2], share=False)
    _refused(lus, org.people["koncern"], org.users["hr"], "Forberedelsen er vedkommendes egen og slettes ikke")
    assert lus.conversation.preparations.get(role=Preparation.Role.PARTNER).ratings.count() == 3


def test_a_change_tells_all_three_and_is_in_the_leaders_audit_trail(org, client, lus):
    # An empty preparation row (nothing typed) does not block the change.
    Preparation.objects.create(conversation=lus.conversation, role=Preparation.Role.PARTNER)
    client_for(client, org.users["hr"])
    url = reverse("lus:conversation_partner", args=[lus.conversation.pk])
    assert client.post(url, {"partner": org.people["koncern"].pk}).status_code == 302
    assert _fresh(lus).partner == org.people["koncern"]
    titles = dict(Reminder.objects.values_list("recipient__username", "title"))
    assert titles == {
        "leader2": "LUS med Kirsten Koncern: din samtalepartner er skiftet",
        "koncern": "LUS med Lars Leder To: du er nu samtalepartner",
        "leader": "LUS med Lars Leder To: du er ikke længere samtalepartner",
    }
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, detail="partner")
    assert entry.actor == org.users["hr"] and entry.object_id == str(lus.conversation.pk)
    trail = client_for(client, org.users["leader2"]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    assert "Hanne HR" in trail.content.decode()
    # The old partner no longer reads the LUS; the new one does.
    assert client_for(client, org.users["leader"]).get(trail.request["PATH_INFO"]).status_code == 404
    assert client_for(client, org.users["koncern"]).get(trail.request["PATH_INFO"]).status_code == 200
