"""The audit log: sign-ins, failed sign-ins and role changes, without content; the
application cannot change it, and old entries are removed by a periodic task."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ledelse.audit.models import AuditEntry, AuditLogIsAppendOnly
from ledelse.audit.services import audit_entries_remove_expired
from ledelse.services import person_roles_set
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"

# Also run on SQLite by make test (the guard's SQLite path: no trigger, the model refuses).
pytestmark = pytest.mark.sqlite


def test_a_sign_in_is_logged(client, org):
    client.post(LOGIN, {"login": "leader", "password": PASSWORD})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN)
    assert entry.actor_id == org.users["leader"].pk and entry.actor_label == "leader"


def test_a_failed_sign_in_is_logged_without_the_password(client, org):
    client.post(LOGIN, {"login": "leder@example.org", "password": "wrong-secret"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN_FAILED)
    assert entry.actor_id == org.users["leader"].pk
    assert "wrong-secret" not in str(AuditEntry.objects.values().first())


def test_a_failed_sign_in_to_an_unknown_account_is_logged_without_the_text_typed(client, org):
    client.post(LOGIN, {"login": "my-password-in-the-wrong-field", "password": "x"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN_FAILED)
    assert entry.actor_id is None
    assert "my-password" not in str(AuditEntry.objects.values().first())


def test_a_role_change_in_the_admin_is_logged_with_who_made_it(client, org):
    client.force_login(org.users["admin"])
    person = org.people["leader3"]
    person_roles_set(person=person, roles=[("hr", org.units["B"])], actor=org.users["admin"])
    added = AuditEntry.objects.get(action=AuditEntry.Action.ROLE_ADDED)
    assert added.actor_id == org.users["admin"].pk
    assert added.object_type == "ledelse.person" and added.object_id == str(person.pk)
    assert added.detail == "hr:B"
    person_roles_set(person=person, roles=[], actor=org.users["admin"])
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_REMOVED, detail="hr:B").exists()


def test_a_role_change_by_the_import_is_logged(org):
    from ledelse.organisation_import import organisation_import
    from tests.conftest import ORG_CSV

    text = ORG_CSV.replace("Sygeplejerske,A1,nej,,", "Sygeplejerske,A1,nej,,hr:A1")
    organisation_import(text=text)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLE_ADDED)
    assert entry.object_id == str(org.people["employee"].pk) and entry.detail == "hr:A1"
    assert entry.actor_id is None and entry.actor_label == "import"


def test_the_application_cannot_change_an_entry(org):
    entry = AuditEntry.objects.create(action=AuditEntry.Action.SIGN_IN, actor_label="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="y")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.actor_label = "y"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == "x"


@pytest.mark.postgresql  # the trigger (migration 0002) is PostgreSQL's
def test_the_database_refuses_changes_that_go_around_the_model(org):
    entry = AuditEntry.objects.create(action=AuditEntry.Action.SIGN_IN, actor_label="x")
    for sql in ("UPDATE audit_auditentry SET actor_label = 'y'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == "x"


def test_the_admin_shows_the_log_read_only(client, org):
    client.force_login(org.users["admin"])
    AuditEntry.objects.create(action=AuditEntry.Action.SIGN_IN, actor_label="x")
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403


def test_entries_older_than_their_period_are_removed(org, settings):
    settings.AUDIT_SIGN_IN_RETENTION_DAYS = 183
    settings.AUDIT_ROLE_CHANGE_RETENTION_DAYS = 730
    now = timezone.now()

    def entry(action, days_ago):
        return AuditEntry.objects.create(action=action, actor_label="x", time=now - timedelta(days=days_ago)).pk

    old_sign_in = entry(AuditEntry.Action.SIGN_IN, 184)
    old_failure = entry(AuditEntry.Action.SIGN_IN_FAILED, 200)
    recent_sign_in = entry(AuditEntry.Action.SIGN_IN, 182)
    role_change = entry(AuditEntry.Action.ROLE_ADDED, 400)
    old_role_change = entry(AuditEntry.Action.ROLE_REMOVED, 731)
    assert audit_entries_remove_expired(now=now) == 3
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {recent_sign_in, role_change}
    assert old_sign_in and old_failure and old_role_change


def test_the_cleanup_runs_periodically(settings):
    from ledelse.audit.tasks import remove_expired_audit_entries

    assert any(entry["task"] == remove_expired_audit_entries.name for entry in settings.CELERY_BEAT_SCHEDULE.values())
