"""Every read and every change of LUS content goes to the shared audit log (ledelse.audit:
who, when, which LUS, which part, never the content); the leader sees who read or changed
their LUS; the application cannot change the log, and neither can SQL; the entries live as
long as the LUS."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ledelse.audit.models import AuditEntry, AuditLogIsAppendOnly
from ledelse.audit.services import audit_entries_remove_expired, audit_record
from ledelse.models import Person
from lus import services
from lus.models import Conversation, Preparation
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db


def _lus_entries(action=AuditEntry.Action.READ):
    return sorted(
        AuditEntry.objects.filter(object_type="lus.conversation", action=action).values_list(
            "actor__username", "object_id", "detail"
        )
    )


def test_reading_a_lus_writes_who_read_which_part(org, client, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 2])
    client_for(client, org.users["leader"]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    pk = str(lus.conversation.pk)
    assert _lus_entries() == [("leader", pk, "preparation-leader"), ("leader", pk, "record")]


def test_a_refused_read_writes_nothing(org, client, lus):
    for username in ("hr", "koncern", "leader3"):
        client_for(client, org.users[username]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    assert not AuditEntry.objects.filter(object_type="lus.conversation").exists()


def _preparation(lus):
    data = {"answer_0": "Det gik godt", **{f"time_now_{n}": "25" for n in range(4)}}
    for item in lus.round.common_items.all():
        data[f"score_{item.pk}"], data[f"note_{item.pk}"] = "4", "Et eksempel"
    return data


def _record(lus):
    return {
        "notes": "Hemmelige noter",
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "20",
        "agreements-0-what": "Mentor",
        "agreements-0-due_on": "2026-12-01",
    }


def _nothing(lus):
    return {}


def _followup_edit(lus):
    followup = services.followup_add(agreement=lus.conversation.agreements.first(), date=timezone.localdate())
    return reverse("lus:followup_edit", args=[lus.conversation.pk, followup.pk])


# (who, the URL, the form, the part logged); each is a change of the LUS that succeeds.
CHANGES = {
    "preparation": (
        "leader2",
        lambda lus: reverse("lus:preparation_edit", args=[lus.conversation.pk]),
        _preparation,
        "preparation-leader",
    ),
    "topics": (
        "leader",
        lambda lus: reverse("lus:preparation_edit", args=[lus.conversation.pk]),
        lambda lus: {"form": "topics", "topics-items": [p.pk for p in lus.principles[:2]]},
        "preparation-partner",
    ),
    "share preparation": (
        "leader2",
        lambda lus: reverse("lus:preparation_share", args=[lus.conversation.pk]),
        _nothing,
        "preparation-leader",
    ),
    "booking": (
        "leader2",
        lambda lus: reverse("lus:booking", args=[lus.conversation.pk]),
        lambda lus: {"date": "2026-09-11", "time": "10:00", "location": "Lokale 3"},
        "booking",
    ),
    "record": ("leader", lambda lus: reverse("lus:record_edit", args=[lus.conversation.pk]), _record, "record"),
    "confirm": ("leader", lambda lus: reverse("lus:record_confirm", args=[lus.conversation.pk]), _nothing, "record"),
    "follow-up": (
        "leader2",
        lambda lus: reverse("lus:followup_add", args=[lus.conversation.pk, lus.conversation.agreements.first().pk]),
        lambda lus: {"date": "2026-10-15"},
        "record",
    ),
    "follow-up status": (
        "leader2",
        _followup_edit,
        lambda lus: {"date": "2026-10-16", "status": "paa_vej", "note": "Godt i gang"},
        "record",
    ),
    "share": (
        "leader2",
        lambda lus: reverse("lus:share_add", args=[lus.conversation.pk]),
        lambda lus: {"who": "leader3"},
        "sharing",
    ),
    "partner": (
        "hr",
        lambda lus: reverse("lus:conversation_partner", args=[lus.conversation.pk]),
        lambda lus: {"partner": Person.objects.get(user__username="koncern").pk},
        "partner",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_of_a_lus_is_logged_without_its_content(org, client, lus, change):
    username, url, data, part = CHANGES[change]
    if change in ("confirm", "follow-up", "follow-up status"):
        held(lus.conversation, lus.principles)
    response = client_for(client, org.users[username]).post(url(lus), data(lus))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _lus_entries(AuditEntry.Action.CHANGE) == [(username, str(lus.conversation.pk), part)]
    logged = str(list(AuditEntry.objects.values()))
    assert "Hemmelige" not in logged and "Et eksempel" not in logged and "Lokale 3" not in logged


def test_a_refused_change_is_not_logged_as_one(org, client, lus):
    client_for(client, org.users["leader2"]).post(
        reverse("lus:booking", args=[lus.conversation.pk]), {"date": "2027-02-01", "time": "10:00", "location": "x"}
    )
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


def test_the_leader_sees_who_read_or_changed_their_lus_and_the_partner_does_not(org, client, lus):
    url = reverse("lus:conversation_detail", args=[lus.conversation.pk])
    client_for(client, org.users["leader"]).get(url)
    client_for(client, org.users["leader"]).post(reverse("lus:record_edit", args=[lus.conversation.pk]), _record(lus))
    html = client_for(client, org.users["leader2"]).get(url).content.decode()
    audit = html.split('class="table table--borderless lus-table lus-audit"', 1)[1].split("</table>", 1)[0]
    assert "Lene Leder" in audit and "Referat og aftaler" in audit and "Ændret: Referat og aftaler" in audit
    assert "lus-audit" not in client_for(client, org.users["leader"]).get(url).content.decode()


def test_the_trail_shows_only_this_lus(org, client, lus):
    other = Conversation.objects.exclude(pk=lus.conversation.pk).get(round=lus.round)
    audit_record(action=AuditEntry.Action.READ, actor=org.users["koncern"], obj=other, detail="record")
    html = client_for(client, org.users["leader2"]).get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
    audit = html.content.decode().split("lus-audit", 1)[1].split("</table>", 1)[0]
    assert org.people["koncern"].name not in audit


def _an_entry(org, lus):
    return audit_record(action=AuditEntry.Action.READ, actor=org.users["leader"], obj=lus.conversation, detail="record")


def test_the_application_cannot_change_or_delete_an_entry(org, lus):
    entry = _an_entry(org, lus)
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="export")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(object_type="lus.conversation").delete()
    entry.detail = "export"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == "record"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET detail = 'export' WHERE object_type = 'lus.conversation'",
        "DELETE FROM audit_auditentry WHERE object_type = 'lus.conversation'",
    ],
)
def test_the_database_refuses_updates_and_deletes(org, lus, sql):
    entry = _an_entry(org, lus)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).detail == "record"


def test_the_cleanup_keeps_a_lus_entries_as_long_as_the_lus(org, lus, settings):
    """However old, an entry of a LUS that exists stays; once the LUS is gone (deleted by
    anything but the retention task), the periodic cleanup removes its entries."""
    settings.AUDIT_SIGN_IN_RETENTION_DAYS = 1
    kept = _an_entry(org, lus)
    gone = Conversation.objects.exclude(pk=lus.conversation.pk).get(round=lus.round)
    orphan = audit_record(action=AuditEntry.Action.CHANGE, actor=org.users["koncern"], obj=gone, detail="record")
    gone.delete()
    sign_in = audit_record(action=AuditEntry.Action.SIGN_IN, actor=org.users["leader"])
    assert audit_entries_remove_expired(now=timezone.now() + timedelta(days=3650)) == 2
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {kept.pk}
    assert orphan.pk and sign_in.pk


def test_the_audit_log_knows_nothing_of_lus():
    """The shared mechanism stays generic: LUS declares its kept-with-object type on its
    AppConfig, and ledelse/audit names no LUS module."""
    source = Path(settings.BASE_DIR, "ledelse", "audit")
    for path in source.rglob("*.py"):
        text = path.read_text()
        assert "import lus" not in text and "from lus" not in text, path
