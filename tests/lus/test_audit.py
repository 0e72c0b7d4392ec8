"""Every read of LUS content is logged (who, when, which LUS, which part); the leader sees
who read their LUS; the application cannot change the log, and neither can SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from lus.models import AuditEntry, AuditEntryError, Preparation
from tests.conftest import client_for
from tests.lus.conftest import prepare

pytestmark = pytest.mark.django_db


def test_reading_a_lus_writes_who_read_which_part(org, client, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 2])
    client_for(client, org.users["leader"]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    entries = list(AuditEntry.objects.values_list("reader__username", "conversation_id", "part"))
    assert sorted(entries) == [
        ("leader", lus.conversation.pk, "preparation-leader"),
        ("leader", lus.conversation.pk, "record"),
    ]


def test_a_refused_read_writes_nothing(org, client, lus):
    for username in ("hr", "koncern", "leader3"):
        client_for(client, org.users[username]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    assert not AuditEntry.objects.exists()


def test_the_leader_sees_who_read_their_lus_and_the_partner_does_not(org, client, lus):
    url = reverse("lus:conversation_detail", args=[lus.conversation.pk])
    client_for(client, org.users["leader"]).get(url)
    html = client_for(client, org.users["leader2"]).get(url).content.decode()
    audit = html.split('class="table table--borderless lus-table lus-audit"', 1)[1].split("</table>", 1)[0]
    assert "Lene Leder" in audit and "Referat og aftaler" in audit
    assert "lus-audit" not in client_for(client, org.users["leader"]).get(url).content.decode()


def test_the_application_cannot_change_or_delete_an_entry(org, lus):
    entry = AuditEntry.objects.create(conversation=lus.conversation, reader=org.users["leader"], part="record")
    entry.part = "export"
    with pytest.raises(AuditEntryError):
        entry.save()
    with pytest.raises(AuditEntryError):
        entry.delete()
    assert AuditEntry.objects.get().part == "record"


@pytest.mark.parametrize(
    "sql",
    ["UPDATE lus_auditentry SET part = 'export'", "DELETE FROM lus_auditentry"],
)
def test_the_database_refuses_updates_and_deletes(org, lus, sql):
    AuditEntry.objects.create(conversation=lus.conversation, reader=org.users["leader"], part="record")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.get().part == "record"


def test_deleting_a_lus_outside_the_retention_task_is_refused(org, lus):
    AuditEntry.objects.create(conversation=lus.conversation, reader=org.users["leader"], part="record")
    with pytest.raises(DatabaseError), transaction.atomic():
        lus.conversation.delete()
    assert AuditEntry.objects.count() == 1
