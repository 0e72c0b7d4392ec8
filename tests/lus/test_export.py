"""A leader downloads all their own LUS data as JSON, including who read it; the export is
itself logged, and holds the partner's notes only once the partner shared them."""

import json

import pytest
from django.urls import reverse

from ledelse.audit.models import AuditEntry
from lus.models import Preparation
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db


def test_the_leader_downloads_their_own_lus_with_who_read_it(org, client, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 2], note="Mit eksempel")
    prepare(lus.conversation, Preparation.Role.PARTNER, [3, 3, 3], note="Partnerens note", share=False)
    held(lus.conversation, lus.principles)
    client_for(client, org.users["leader"]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    response = client_for(client, org.users["leader2"]).get(reverse("lus:export"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    (conversation,) = data["conversations"]
    assert conversation["round"] == "LUS 2026" and conversation["partner"] == "Lene Leder"
    assert conversation["notes"] == "Referatets hemmelige tekst"
    assert [a["what"] for a in conversation["agreements"]] == ["Aftale 1", "Aftale 2"]
    assert [p["role"] for p in conversation["preparations"]] == ["leader"]
    assert "Partnerens note" not in response.content.decode()
    assert {r["reader"] for r in conversation["read_by"]} == {"Lene Leder"}
    exports = AuditEntry.objects.filter(actor=org.users["leader2"], action="read", detail="export")
    assert list(exports.values_list("object_type", "object_id")) == [("lus.conversation", str(lus.conversation.pk))]


def test_the_partner_gets_no_one_elses_lus_in_their_export(org, client, lus):
    held(lus.conversation, lus.principles)
    data = json.loads(client_for(client, org.users["leader"]).get(reverse("lus:export")).content)
    assert [c["round"] for c in data["conversations"]] == ["LUS 2026"]  # leader's own LUS (with koncern)
    assert all(c["notes"] != "Referatets hemmelige tekst" for c in data["conversations"])
