"""The status figures are counted once and shared for STATUS_CACHE_SECONDS by everyone who
views the same part with the same scope (ledelse.status.views._body), and never across
scopes."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.status.conftest import grow
from tests.status.test_queries import _lus_for_every_leader, _lus_round


def _get(client, url="/status/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_the_second_view_reads_the_figures_from_the_cache(client, org, status_data, settings):
    settings.STATUS_CACHE_SECONDS = 60
    client.force_login(org.users["koncern"])
    first, counted = _get(client)
    second, shared = _get(client)
    assert shared < counted - 5  # the table, coverage, lagging units and trend are not run again
    assert second.context["body"] == first.context["body"]
    assert "Tallene er opgjort kl." in second.content.decode()


def test_new_figures_show_when_the_cached_ones_expire(client, org, status_data, settings):
    settings.STATUS_CACHE_SECONDS = 60
    client.force_login(org.users["koncern"])
    before, _n = _get(client)
    grow(org, status_data.rollout, under="B", count=2)
    still, _n = _get(client)
    assert still.context["body"] == before.context["body"]  # within the minute: the shared figures
    cache.clear()  # what the minute's expiry does
    after, _n = _get(client)
    assert after.context["body"] != before.context["body"]
    assert "Ekstra 0" in after.content.decode()


def test_a_leader_does_not_get_the_lus_counts_cached_for_koncernledelse(client, org, status_data, settings):
    settings.STATUS_CACHE_SECONDS = 60
    lus_round = _lus_round(org, status_data)
    _lus_for_every_leader(lus_round, status_data)
    url = f"/status/?rollout={status_data.rollout.pk}&unit={org.units['A'].pk}"
    client.force_login(org.users["koncern"])
    koncern, _n = _get(client, url)
    assert 'id="status-lus"' in koncern.content.decode()
    client.force_login(org.users["leader"])
    leader, _n = _get(client, url)
    # Leaders see no LUS counts: their figures are cached under a key of their own.
    assert 'id="status-lus"' not in leader.content.decode()
    assert org.units["RT"].name not in [c.label for c in leader.context["breadcrumbs"]]


def test_with_zero_seconds_the_figures_are_counted_on_every_request(client, org, status_data, settings):
    settings.STATUS_CACHE_SECONDS = 0
    client.force_login(org.users["koncern"])
    _first, counted = _get(client)
    _second, again = _get(client)
    assert again == counted
