"""The LUS audit entries move to the shared audit log (ledelse.audit): each row of
lus_auditentry becomes an entry `read` of object `lus.conversation` <id>, the part in
`detail`, the reader as actor, at the same time. Backwards the reads are copied back and the
LUS entries removed from the shared log (which only the cleanup flag lets a transaction delete)."""

from django.db import migrations

BATCH = 2000


def forward(apps, schema_editor):
    Old = apps.get_model("lus", "AuditEntry")
    New = apps.get_model("audit", "AuditEntry")
    rows = Old.objects.order_by("pk").values_list("at", "reader_id", "reader__username", "conversation_id", "part")
    batch = []
    for at, reader_id, username, conversation_id, part in rows.iterator(chunk_size=BATCH):
        batch.append(
            New(
                time=at,
                actor_id=reader_id,
                actor_label=username[:150],
                action="read",
                object_type="lus.conversation",
                object_id=str(conversation_id),
                detail=part,
            )
        )
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


BACKWARD = """
INSERT INTO lus_auditentry (conversation_id, reader_id, part, at)
SELECT CAST(a.object_id AS BIGINT), a.actor_id, a.detail, a.time
FROM audit_auditentry a
WHERE a.action = 'read' AND a.object_type = 'lus.conversation' AND a.actor_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM lus_conversation c WHERE CAST(c.id AS VARCHAR(64)) = a.object_id)
  AND EXISTS (SELECT 1 FROM ledelse_user u WHERE u.id = a.actor_id)
"""


def backward(apps, schema_editor):
    # SQL, not the ORM: lus.AuditEntry.at is auto_now_add and would take the time of now.
    schema_editor.execute(BACKWARD)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT set_config('ledelse.audit_cleanup', 'on', true)")
    New = apps.get_model("audit", "AuditEntry")
    entries = New.objects.filter(action__in=["read", "change"], object_type="lus.conversation")
    entries._raw_delete(entries.db)


class Migration(migrations.Migration):
    dependencies = [
        ("lus", "0002_audit_guard"),
        ("audit", "0003_read_and_change"),
    ]

    operations = [migrations.RunPython(forward, backward)]
