"""A version's "changed" stamp (the pages cache under it), and the search vector kept
current in one place: a PostgreSQL trigger that computes it on every insert and every
change of an item's text, whoever writes it (services, the admin, a bulk update). It is
the expression the search used to be refreshed with: title (A), subtitle (B), text (C),
Danish. SQLite (make run) has no full-text search here and gets no trigger."""

import django.utils.timezone
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION values_item_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('danish'::regconfig, COALESCE(NEW.title, '')), 'A')
        || setweight(to_tsvector('danish'::regconfig, COALESCE(NEW.subtitle, '')), 'B')
        || setweight(
            to_tsvector('danish'::regconfig, COALESCE(NEW.body, '') || ' ' || COALESCE(NEW."after", '')), 'C'
        );
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS values_item_search_vector ON values_item;
CREATE TRIGGER values_item_search_vector
    BEFORE INSERT OR UPDATE OF title, subtitle, body, "after" ON values_item
    FOR EACH ROW EXECUTE FUNCTION values_item_search_vector();
-- Rows written before the trigger: the same expression once.
UPDATE values_item SET title = title;
"""

DROP = """
DROP TRIGGER IF EXISTS values_item_search_vector ON values_item;
DROP FUNCTION IF EXISTS values_item_search_vector();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("values", "0006_loaded_identity_based_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="frameworkversion",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="changed"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
