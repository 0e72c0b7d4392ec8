"""The audit log is append-only in the database too: a trigger refuses UPDATE and DELETE on
lus_auditentry unless the transaction set `lus.retention` (only lus.services.retention_run
does, with SET LOCAL). PostgreSQL only; SQLite (make run) relies on the model's guard."""

from django.db import migrations

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
    dependencies = [("lus", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
