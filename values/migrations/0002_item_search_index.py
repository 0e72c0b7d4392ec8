"""A GIN index for the Danish full-text search. PostgreSQL only: the embedded SQLite
default searches with a plain contains-filter instead."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS values_item_search_gin ON values_item USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS values_item_search_gin")


class Migration(migrations.Migration):
    dependencies = [("values", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
