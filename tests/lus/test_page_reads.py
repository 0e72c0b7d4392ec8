"""The LUS page's own reads (lus.selectors.preparations_with_ratings, agreements_by_conversation)
read joined rows and put them in order in Python: they must give what the plain reads give
(preparations_for, agreements_for), in the same order, with and without ratings and
follow-ups."""

from datetime import date

import pytest
from django.urls import reverse

from lus import selectors, services
from lus.models import Agreement, Preparation
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

# Also in the SQLite leg: the page reads written as plain SQL must work on make run's database.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _shuffled_agreements(lus):
    """Three agreements whose positions run against their ids, each with follow-ups added
    latest date first (one without any)."""
    c = held(lus.conversation, lus.principles, agreements=3)
    agreements = list(Agreement.objects.filter(conversation=c).order_by("pk"))
    for position, agreement in zip((2, 0, 1), agreements, strict=True):
        Agreement.objects.filter(pk=agreement.pk).update(position=position)
    for agreement in agreements[:2]:
        services.followup_add(agreement=agreement, date=date(2026, 12, 1))
        services.followup_add(agreement=agreement, date=date(2026, 11, 1))
    return c


def _shape(agreements):
    return [(a.pk, a.what, a.principle_id, [(f.pk, f.date) for f in a.followup_list]) for a in agreements]


def test_the_pages_agreements_are_the_plain_reads_in_order_with_follow_ups_by_date(org, lus):
    c = _shuffled_agreements(lus)
    read = selectors.agreements_by_conversation(conversations=[c])[c.pk]
    assert _shape(read) == _shape(selectors.agreements_for(conversation=c))
    assert [a.what for a in read] == ["Aftale 2", "Aftale 3", "Aftale 1"]
    assert [[f.date for f in a.followup_list] for a in read] == [
        [date(2026, 11, 1), date(2026, 12, 1)],
        [],
        [date(2026, 11, 1), date(2026, 12, 1)],
    ]
    assert read[0].principle == lus.principles[0]  # from the version's items, not a query


def test_the_page_shows_the_agreements_in_order_with_their_follow_ups(org, client, lus):
    c = _shuffled_agreements(lus)
    client_for(client, org.users["leader"])  # the partner
    page = client.get(reverse("lus:conversation_detail", args=[c.pk])).content.decode()
    assert page.index("Aftale 2") < page.index("Aftale 3") < page.index("Aftale 1")
    assert page.index("1. november 2026") < page.index("1. december 2026")


def test_the_pages_preparations_are_the_plain_reads_with_and_without_ratings(org, lus):
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    empty = services.preparation_for(conversation=c, role=Preparation.Role.PARTNER)  # opened, nothing typed
    preparations, ratings = selectors.preparations_with_ratings(conversation=c)
    # preparations_for has no order (Preparation has none): the page's read is by id.
    plain = sorted(selectors.preparations_for(conversation=c, topics=False), key=lambda p: p.pk)
    assert [(p.pk, p.role, p.answers, p.time_now, p.prepared_at, p.shared_at) for p in preparations] == [
        (p.pk, p.role, p.answers, p.time_now, p.prepared_at, p.shared_at) for p in plain
    ]
    assert ratings == {p.pk: {r.item_id: r for r in p.ratings.all()} for p in plain}
    assert ratings[empty.pk] == {}
    assert sorted(r.score for r in ratings[preparations[0].pk].values()) == [2, 3, 4]
    assert all(r.note.startswith("Et eksempel") for r in ratings[preparations[0].pk].values())


def test_the_owners_continuity_has_each_rounds_theme_ratings_time_and_agreements_in_round_order(org, client, lus):
    from tests.lus.test_queries import _earlier_round

    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [5, 1, 2])
    held(c, lus.principles, agreements=2)
    earlier = _earlier_round(lus, 2025)  # the leader rated [4, 3, 2] there, with three agreements
    continuity = selectors.continuity_for(conversation=c)
    assert continuity.years == [earlier.round.name, lus.round.name]
    assert continuity.ratings == sorted(
        (theme.title, [old, new]) for theme, old, new in zip(lus.themes, (4, 3, 2), (5, 1, 2), strict=True)
    )
    split = {"Ledelse op": 25, "Ledelse ned": 25, "Ledelse på tværs": 25, "Ledelse ind": 25}
    assert [(name, now) for name, now, _wanted in continuity.time] == [
        (earlier.round.name, split),
        (lus.round.name, split),
    ]
    principle = lus.principles[0]
    counted = principle.parent.title if principle.parent_id else principle.title
    assert continuity.balance == [(counted, 5)]
    client_for(client, org.users["leader2"])
    page = client.get(reverse("lus:conversation_detail", args=[c.pk])).content.decode()
    assert page.index(f"<li>{earlier.round.name}: Ledelse op 25 %") < page.index(
        f"<li>{lus.round.name}: Ledelse op 25 %"
    )


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_pages_plain_sql_reads_give_every_field_as_the_orm_does(org, lus):
    """The page's joined reads are plain SQL (lus.selectors._joined_read): every column of
    the preparations, ratings, agreements and follow-ups (JSON, dates and times converted)
    is what the ORM reads."""
    c = _shuffled_agreements(lus)
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3])
    Preparation.objects.filter(conversation=c).update(time_wanted={"Ledelse op": 40})
    preparations, ratings = selectors.preparations_with_ratings(conversation=c)
    plain = sorted(selectors.preparations_for(conversation=c, topics=False), key=lambda p: p.pk)
    assert [_fields(p) for p in preparations] == [_fields(p) for p in plain]
    assert {pk: {i: _fields(r) for i, r in by_item.items()} for pk, by_item in ratings.items()} == {
        p.pk: {r.item_id: _fields(r) for r in p.ratings.all()} for p in plain
    }
    read = selectors.agreements_by_conversation(conversations=[c])[c.pk]
    orm = selectors.agreements_for(conversation=c)
    assert [(_fields(a), [_fields(f) for f in a.followup_list]) for a in read] == [
        (_fields(a), [_fields(f) for f in a.followup_list]) for a in orm
    ]
