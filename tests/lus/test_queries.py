"""The LUS list and a LUS page read a fixed number of queries, whatever the number of LUS,
agreements, follow-ups and ratings."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledelse.models import Person, Unit
from lus import services
from lus.models import Conversation, Preparation
from tests.conftest import client_for
from tests.lus.conftest import held, prepare
from values.models import FrameworkVersion, Item

pytestmark = pytest.mark.django_db


def _add_leaders(org, n, start):
    a = Unit.objects.get(code="A")
    for i in range(start, start + n):
        unit = Unit.objects.add_child(
            Unit.objects.get(pk=a.pk),
            create_kwargs={"code": f"AX{i}", "name": f"Afdeling X{i}", "kind": "department", "region": a.region},
        )
        Person.objects.create(employee_id=f"X{i}", name=f"Leder X{i}", unit=unit, is_leader=True)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lus_list_is_the_same_number_of_queries_for_2_and_6_lus(org, client, lus):
    client_for(client, org.users["leader"])
    url = reverse("lus:overview")
    _add_leaders(org, 1, 0)
    services.round_conversations_create(lus_round=lus.round)
    small = _count(client, url)
    _add_leaders(org, 4, 1)
    services.round_conversations_create(lus_round=lus.round)
    assert lus.round.conversations.filter(partner=org.people["leader"]).count() == 6
    assert _count(client, url) == small
    assert small <= 12


def test_the_round_page_is_the_same_number_of_queries_at_two_sizes(org, client, lus):
    client_for(client, org.users["hr"])
    url = reverse("lus:round_detail", args=[lus.round.pk])
    small = _count(client, url)
    _add_leaders(org, 5, 0)
    services.round_conversations_create(lus_round=lus.round)
    assert _count(client, url) == small


def test_a_lus_page_is_the_same_number_of_queries_with_more_agreements_and_follow_ups(org, client, lus):
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3])
    held(c, lus.principles, agreements=1)
    client_for(client, org.users["leader2"])
    url = reverse("lus:conversation_detail", args=[c.pk])
    _count(client, url)  # a first read keeps the version's items in the process (lus.selectors)
    small = _count(client, url)
    services.record_save(
        conversation=c,
        notes="Mere",
        agreements=[
            services.AgreementData(what=f"Aftale {n}", due_on=date(2026, 12, 1), principle=lus.principles[n % 2])
            for n in range(6)
        ],
    )
    for agreement in c.agreements.all():
        services.followup_add(agreement=agreement, date=date(2026, 11, 1))
        services.followup_add(agreement=agreement, date=date(2026, 12, 1))
    services.share_add(conversation=c, who="leader3")
    assert _count(client, url) == small
    assert small <= 14  # the LUS and its items in one query (lus.selectors.conversation_page_get)


def _earlier_round(lus, year):
    """A confirmed LUS of leader2 in an earlier round (same framework), with agreements
    and follow-ups, so the owner's page has a previous LUS and a longer continuity."""
    lus_round = services.round_create(
        user=lus.round.created_by,
        name=f"LUS {year}",
        scope=lus.round.scope,
        framework_version=lus.version,
        period_start=date(year, 8, 1),
        period_end=date(year, 12, 31),
        preparation_opens=date(year, 8, 15),
        held_by=date(year, 11, 30),
        confirmed_by=date(year, 12, 15),
        questions=lus.round.questions,
        time_categories=lus.round.time_categories,
    )
    services.round_conversations_create(lus_round=lus_round)
    c = lus_round.conversations.select_related("round", "leader__user", "partner__user").get(
        leader=lus.conversation.leader
    )
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3])
    services.conversation_book(
        conversation=c,
        starts_at=timezone.make_aware(datetime.combine(date(year, 9, 10), time(10))),
        location="Mødelokale 1",
    )
    c.refresh_from_db()
    services.record_save(
        conversation=c,
        notes="Referat",
        agreements=[
            services.AgreementData(what=f"Aftale {n}", due_on=date(year, 10, 1), principle=lus.principles[0])
            for n in range(3)
        ],
    )
    for role in (Preparation.Role.LEADER, Preparation.Role.PARTNER):
        services.record_confirm(conversation=c, role=role)
    for agreement in c.agreements.all():
        services.followup_add(agreement=agreement, date=date(year, 11, 1))
    return c


def test_a_lus_page_as_the_partner_is_the_same_number_of_queries_with_more_agreements_and_a_previous_lus(
    org, client, lus
):
    """The partner's page (the benchmark's "En LUS"): no audit trail, sharing or continuity,
    so the LUS with the previous one, the preparations with their ratings, the items, the
    agreements with their follow-ups of both, and the audit entry."""
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3])
    held(c, lus.principles, agreements=1)
    client_for(client, org.users["leader"])
    url = reverse("lus:conversation_detail", args=[c.pk])
    _count(client, url)  # a first read keeps the version's items in the process (lus.selectors)
    small = _count(client, url)
    _earlier_round(lus, 2025)
    for agreement in c.agreements.all():
        services.followup_add(agreement=agreement, date=date(2026, 11, 1))
        services.followup_add(agreement=agreement, date=date(2026, 12, 1))
    assert "Aftale 0" in client.get(url).content.decode()  # the previous LUS's agreements show
    assert _count(client, url) == small
    assert small <= 9


def test_the_leaders_own_list_and_lus_page_are_the_same_number_of_queries_with_more_years(org, client, lus):
    """The owner's views (their list, their LUS with the previous one, the audit log and the
    continuity over the years) do not grow with the number of rounds behind them."""
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    held(c, lus.principles, agreements=2)
    _earlier_round(lus, 2025)
    client_for(client, org.users["leader2"])
    overview, detail = reverse("lus:overview"), reverse("lus:conversation_detail", args=[c.pk])
    _count(client, detail)  # a first read, so the audit log is not empty in either count
    small = (_count(client, overview), _count(client, detail))
    for year in (2022, 2023, 2024):
        _earlier_round(lus, year)
    assert Conversation.objects.filter(leader=c.leader).count() == 5
    assert (_count(client, overview), _count(client, detail)) == small
    assert small[1] <= 15


@pytest.mark.parametrize(
    "rule,columns",
    [
        ("conversations_readable_by", ["leader_id", "partner_id"]),
        ("conversations_writable_by", ["leader_id", "partner_id"]),
        ("conversations_owned_by", ["leader_id"]),
    ],
)
def test_the_access_rules_find_the_users_lus_by_the_leader_and_partner_indexes(org, lus, rule, columns):
    """Every LUS page starts with one of these rules, so each must look the user's LUS up in
    the leader and partner indexes. An OR over the joins to the people (leader__user=user |
    partner__user=user) has no plan but reading every LUS (at 5,000 LUS, 30-50 ms a page):
    with sequential scans priced out it walks a whole index instead, with no condition."""
    from lus import access

    sql, params = getattr(access, rule)(org.users["leader"]).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in columns:
        assert f"Index Cond: ({column} = " in plan, plan


def test_a_lus_page_reads_the_framework_items_once_per_changed_stamp(org, client, lus):
    """The version's themes and principles are the same for every reader: kept in the
    process under the version's changed stamp, so a second read does not ask for them and
    an edit (which bumps the stamp, values.services) shows at once."""
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    client_for(client, org.users["leader2"])
    url = reverse("lus:conversation_detail", args=[c.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    assert len(second.captured_queries) == len(first.captured_queries) - 1
    assert f"<li>{lus.themes[0].title}</li>" in page
    Item.objects.filter(pk=lus.themes[0].pk).update(title="Et nyt navn")
    FrameworkVersion.objects.filter(pk=lus.version.pk).update(changed_at=timezone.now())
    # The radar chart's list of axes is read from the version's items.
    assert "<li>Et nyt navn</li>" in client.get(url).content.decode()
