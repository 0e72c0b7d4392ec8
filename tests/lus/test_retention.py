"""Content older than the retention period is deleted by the retention task, which reports
what it deleted; the dry run reports the same and deletes nothing."""

from datetime import date

import pytest
from django.core.management import call_command

from ledelse.audit.models import AuditEntry
from lus import services
from lus.models import Conversation, Round
from lus.tasks import lus_retention

pytestmark = pytest.mark.django_db


def _lus_entries():
    return AuditEntry.objects.filter(object_type="lus.conversation")


@pytest.fixture
def old_round(org, lus):
    old = Round.objects.create(
        name="LUS 2019",
        region=lus.round.region,
        scope=lus.round.scope,
        framework_version=lus.version,
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 31),
        preparation_opens=date(2019, 2, 1),
        held_by=date(2019, 6, 1),
        confirmed_by=date(2019, 7, 1),
        questions=["?"],
    )
    services.round_conversations_create(lus_round=old)
    for c in old.conversations.all():
        services.conversation_read_log(user=org.users["leader"], conversations=c, parts=["record"])
    services.conversation_read_log(user=org.users["leader"], conversations=lus.conversation, parts=["record"])
    return old


def test_the_dry_run_reports_and_deletes_nothing(old_round):
    report = services.retention_run(today=date(2026, 9, 1), dry_run=True)
    assert report.dry_run and report.count == 2 and report.cutoff == date(2021, 9, 1)
    assert {name for _pk, name, _end in report.conversations} == {"LUS 2019"}
    assert Conversation.objects.count() == 4 and _lus_entries().count() == 3


def test_the_task_deletes_old_content_and_its_audit_rows_and_keeps_the_rest(old_round, lus):
    report = services.retention_run(today=date(2026, 9, 1))
    assert report.count == 2
    assert set(Conversation.objects.values_list("round__name", flat=True)) == {"LUS 2026"}
    # The audit log keeps a LUS's entries as long as the LUS: they went with it.
    assert list(_lus_entries().values_list("object_id", flat=True)) == [str(lus.conversation.pk)]
    assert Round.objects.filter(pk=old_round.pk).exists()  # HR's round without content stays


def test_the_number_of_years_is_a_setting(old_round, settings):
    settings.LUS_RETENTION_YEARS = 10
    assert services.retention_run(today=date(2026, 9, 1)).count == 0


def test_the_command_and_the_task(old_round, capsys):
    call_command("lus_retention", "--dry-run", "--today", "2026-09-01")
    out = capsys.readouterr().out
    assert "2" in out and "LUS 2019" in out and Conversation.objects.count() == 4
    assert lus_retention() == 2
    assert Conversation.objects.count() == 2
