"""No change without its audit entry (issue 17, point 4): with the audit table locked, a LUS
change and its entry fail together; nothing is saved without its entry, and the user gets a
clear page in Danish (503), not a 500 (point 5)."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ledelse.audit.models import AuditEntry
from lus.models import Conversation, Share
from tests.lus.conftest import held

pytestmark = pytest.mark.django_db(transaction=True)


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class AuditTableLocked:
    """Another session holds the audit table in ACCESS EXCLUSIVE mode (as a long migration
    or a stuck cleanup would); this session waits at most `lock_timeout`."""

    def __enter__(self):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        self.other = psycopg.connect(**params)
        self.other.execute(f"LOCK TABLE {AuditEntry._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        return self

    def __exit__(self, *exc):
        self.other.rollback()
        self.other.close()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def _record_post(conversation, notes):
    data = {
        "notes": notes,
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "20",
        "agreements-0-what": "Aftale",
        "agreements-0-due_on": "2026-10-01",
    }
    return data


def test_a_record_change_is_not_saved_without_its_audit_entry(org, lus):
    conversation = held(lus.conversation, lus.principles)
    leader = _session(org.users["leader2"])
    url = reverse("lus:record_edit", args=[conversation.pk])
    entries = AuditEntry.objects.count()
    with AuditTableLocked():
        response = leader.post(url, _record_post(conversation, "Ændret under låsen"))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Intet er gemt" in response.content.decode()
    c = Conversation.objects.get(pk=conversation.pk)
    assert c.notes != "Ændret under låsen"
    assert AuditEntry.objects.count() == entries
    # Once the lock is gone the change and its entry are saved together.
    assert leader.post(url, _record_post(conversation, "Ændret bagefter")).status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).notes == "Ændret bagefter"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE, object_id=str(conversation.pk)).exists()


def test_booking_confirming_and_sharing_are_not_saved_without_their_entries(org, lus):
    conversation = held(lus.conversation, lus.principles)
    leader = _session(org.users["leader2"])
    pk = conversation.pk
    with AuditTableLocked():
        booking = leader.post(
            reverse("lus:booking", args=[pk]), {"date": "2026-09-20", "time": "09:00", "location": "Lokale 9"}
        )
        confirm = leader.post(reverse("lus:record_confirm", args=[pk]))
        share = leader.post(reverse("lus:share_add", args=[pk]), {"who": "hr"})
    assert booking.status_code == confirm.status_code == share.status_code == 503
    c = Conversation.objects.get(pk=pk)
    assert c.location != "Lokale 9" and c.leader_confirmed_at is None
    assert not Share.objects.filter(conversation=c).exists()
    assert c.starts_at.date() != date(2026, 9, 20)
