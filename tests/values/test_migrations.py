"""The data steps of values/0005 and 0006 on a database made by the earlier loader."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("values", "0004_remove_item_unique_item_position_per_version_and_more"), ("ledelse", "0001_initial")]
AFTER = [("values", "0006_loaded_identity_based_on")]


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_earlier_loads_get_one_published_version_and_the_files_identity():
    apps = _migrate(BEFORE)
    Region = apps.get_model("ledelse", "Region")
    Unit = apps.get_model("ledelse", "Unit")
    Framework = apps.get_model("values", "Framework")
    FrameworkVersion = apps.get_model("values", "FrameworkVersion")
    # The organisation import renamed the region after the frameworks were loaded.
    region = Region.objects.create(name="Region Midt", slug="region-midtjylland")
    Unit.objects.create(path="0001", depth=1, numchild=0, code="RM", name="Region Midt", kind="region", region=region)
    framework = Framework.objects.create(
        slug="rm-personalepolitik", title="Personalepolitik (rettet)", kind="personalepolitik", region=region
    )
    v1 = FrameworkVersion.objects.create(
        framework=framework, number=1, status="udgivet", content_hash="a", published_at="2026-01-01T00:00Z"
    )
    v2 = FrameworkVersion.objects.create(
        framework=framework, number=2, status="udgivet", content_hash="b", published_at="2026-02-01T00:00Z"
    )
    framework.current_version = v2
    framework.save()
    try:
        apps = _migrate(AFTER)
        Framework = apps.get_model("values", "Framework")
        FrameworkVersion = apps.get_model("values", "FrameworkVersion")
        framework = Framework.objects.get(slug="rm-personalepolitik")
        assert FrameworkVersion.objects.get(pk=v1.pk).status == "arkiveret"
        assert FrameworkVersion.objects.get(pk=v2.pk).status == "udgivet"
        assert framework.loaded_version_id == v2.pk
        # What the shipped file says, not what the database holds today.
        assert framework.loaded_identity["region"] == "Region Midtjylland"
        assert framework.loaded_identity["title"] == "Personalepolitik"
    finally:
        _migrate(_latest())
        from values.models import Framework as LiveFramework
        from values.models import FrameworkVersion as LiveVersion

        LiveFramework.objects.update(current_version=None, loaded_version=None)
        LiveVersion.objects.all().delete()
        LiveFramework.objects.all().delete()
