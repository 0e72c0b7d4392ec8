"""The status page and its exports run the same number of queries whatever the number of
units, plans and activities (aggregates grouped over the path prefix, not a loop per unit)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledelse.models import Person
from ledelse.status.services import snapshots_take
from lus.models import Agreement, Conversation, Round
from tests.status.conftest import grow

# Session, user, roles (2), status scope, rollouts, the table (4), the trend, the
# coverage (3), the lagging units, the unread notifications; the LUS rounds, the LUS per
# group and its units, the development themes (2). The chain above the viewed unit only
# when a part of the user's lies above it (not here: koncernledelse at the region's top).
MAX_QUERIES = 21


def _lus_round(org, status_data):
    """A current LUS round over Region Test (its LUS are added as the tree grows)."""
    today = status_data.today
    return Round.objects.create(
        name="LUS",
        region=org.units["RT"].region,
        scope=org.units["RT"],
        framework_version=status_data.framework.current_version,
        period_start=today - timedelta(days=10),
        period_end=today + timedelta(days=100),
        preparation_opens=today - timedelta(days=10),
        held_by=today - timedelta(days=1),
        confirmed_by=today + timedelta(days=10),
    )


def _lus_for_every_leader(lus_round, status_data):
    p11 = status_data.principles[0]
    for person in Person.objects.filter(is_leader=True, unit__path__startswith=lus_round.scope.path).exclude(
        pk__in=Conversation.objects.filter(round=lus_round).values("leader_id")
    ):
        conversation = Conversation.objects.create(round=lus_round, leader=person, state="held")
        Agreement.objects.create(conversation=conversation, what="x", due_on=status_data.today, principle=p11)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_a_fixed_number_of_queries_at_two_sizes(
    client, org, status_data, django_assert_max_num_queries, settings
):
    settings.STATUS_CACHE_SECONDS = 0  # count the figures on every request (test_cache.py has the shared figures)
    client.force_login(org.users["koncern"])
    lus_round = _lus_round(org, status_data)
    grow(org, status_data.rollout, under="B", count=3)
    _lus_for_every_leader(lus_round, status_data)
    snapshots_take()
    small = {url: _count(client, url) for url in ("/status/", "/status/status.csv", "/status/status.xlsx")}
    grow(org, status_data.rollout, under="HR", count=25, activities=3)
    _lus_for_every_leader(lus_round, status_data)
    snapshots_take()
    large = {url: _count(client, url) for url in small}
    assert large == small
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/status/")
    assert response.context["lus"].total.total > 25  # the LUS figures were computed
