"""The status page and its exports run the same number of queries whatever the number of
units, plans and activities (aggregates grouped over the path prefix, not a loop per unit)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledelse.status.services import snapshots_take
from tests.status.conftest import grow

# Session, user, roles (2), status scope, rollouts, the chain above, the table (4),
# the trend, the coverage (3), the lagging units, the unread notifications.
MAX_QUERIES = 17


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_a_fixed_number_of_queries_at_two_sizes(client, org, status_data, django_assert_max_num_queries):
    client.force_login(org.users["koncern"])
    grow(org, status_data.rollout, under="B", count=3)
    snapshots_take()
    small = {url: _count(client, url) for url in ("/status/", "/status/status.csv", "/status/status.xlsx")}
    grow(org, status_data.rollout, under="HR", count=25, activities=3)
    snapshots_take()
    large = {url: _count(client, url) for url in small}
    assert large == small
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/status/")
