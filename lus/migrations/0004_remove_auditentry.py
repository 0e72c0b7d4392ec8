"""lus.AuditEntry is gone: LUS reads and changes are in the shared audit log (ledelse.audit,
moved there by 0003), append-only by its own trigger. Its trigger and guard function go
first (forwards), and come back after the table (backwards)."""

from django.db import migrations

# As in 0002_audit_guard (a migration stays as it was written, so the SQL is repeated).
CREATE = """
CREATE OR REPLACE FUNCTION lus_auditentry_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('lus.retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'lus_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lus_auditentry_append_only BEFORE UPDATE OR DELETE ON lus_auditentry
    FOR EACH ROW EXECUTE FUNCTION lus_auditentry_guard();
"""
DROP = """
DROP TRIGGER IF EXISTS lus_auditentry_append_only ON lus_auditentry;
DROP FUNCTION IF EXISTS lus_auditentry_guard();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("lus", "0003_audit_in_ledelse_audit")]

    operations = [
        migrations.RunPython(_run(DROP), _run(CREATE)),
        migrations.DeleteModel(name="AuditEntry"),
    ]
