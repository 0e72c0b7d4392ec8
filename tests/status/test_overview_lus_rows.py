"""Mit overblik reads the LUS waiting and the LUS agreements in one plain-SQL query
(ledelse.status.overview._lus_both): the same items and caps as the two ORM reads
(_lus_waiting on lus.access.conversations_writable_by, _lus_agreements on
conversations_owned_by), for every reader, on every day, with every kind of follow-up."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ledelse.status import overview
from lus.models import Agreement, Conversation, FollowUp, Preparation
from tests.lus.conftest import confirmed, held, make_lus, prepare

# Also in the SQLite leg: the page reads written as plain SQL must work on make run's database.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

DAYS = (date(2026, 8, 1), date(2026, 9, 1), date(2026, 9, 25), date(2026, 10, 2), date(2027, 1, 10))


def _same_for_everyone(org):
    for name, user in org.users.items():
        person = org.people[name]
        for today in DAYS:
            both = overview._lus_both(user, person.pk, today)
            assert both == (overview._lus_waiting(user, today), overview._lus_agreements(user, today)), (name, today)


@pytest.fixture
def lus_states(org):
    """leader2's LUS confirmed, with agreements followed up in each way; leader's LUS held
    and confirmed by the leader only (it waits for the partner, not for the leader)."""
    data = make_lus(org)
    prepare(data.conversation, Preparation.Role.LEADER, [3, 4, 5])
    confirmed(data.conversation, data.principles)
    first, second = Agreement.objects.filter(conversation=data.conversation).order_by("pk")
    FollowUp.objects.create(agreement=first, date=date(2026, 9, 20), status="")  # a follow-up due
    FollowUp.objects.create(agreement=second, date=date(2026, 9, 20), status=FollowUp.Status.ON_TRACK)
    other = Conversation.objects.get(round=data.round, leader=org.people["leader"])
    held(other, data.principles, agreements=3)
    Conversation.objects.filter(pk=other.pk).update(leader_confirmed_at=timezone.now())
    return data


def test_the_lus_rows_agree_with_the_two_reads(org, lus_states):
    _same_for_everyone(org)
    # The cases the data was made for.
    waiting, _ = overview._lus_both(org.users["leader"], org.people["leader"].pk, date(2026, 9, 25))[0]
    assert not waiting  # confirmed by the leader: waits for the partner only
    waiting, _ = overview._lus_both(org.users["koncern"], org.people["koncern"].pk, date(2026, 9, 25))[0]
    assert [i.title for i in waiting] == ["LUS 2026"]
    (follow, capped) = overview._lus_both(org.users["leader2"], org.people["leader2"].pk, date(2026, 9, 25))[1]
    assert len(follow) == 2 and not capped


def test_a_settled_agreement_leaves_and_the_caps_agree(org, lus_states, monkeypatch):
    first = Agreement.objects.filter(conversation=lus_states.conversation).order_by("pk").first()
    FollowUp.objects.create(agreement=first, date=date(2026, 9, 21), status=FollowUp.Status.REACHED)
    _same_for_everyone(org)
    monkeypatch.setattr(overview, "CAP", 1)
    _same_for_everyone(org)
    (follow, capped) = overview._lus_both(org.users["leader2"], org.people["leader2"].pk, date(2026, 9, 25))[1]
    assert len(follow) == 1 and not capped  # the reached one left


def test_the_caps_agree_with_more_agreements_than_the_cap(org, lus_states, monkeypatch):
    monkeypatch.setattr(overview, "CAP", 1)
    _same_for_everyone(org)
    (follow, capped) = overview._lus_both(org.users["leader2"], org.people["leader2"].pk, date(2026, 9, 25))[1]
    assert len(follow) == 1 and capped
