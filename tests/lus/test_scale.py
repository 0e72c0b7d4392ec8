"""The LUS part of seed_scale (lus/scale.py) at a small size: the same seed gives the same
LUS, every leader has one a round with their own leader, in every state, the rows keep the
rules the services keep, and the LUS pages work on them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse

from ledelse.models import Person
from ledelse.scale.generator import Sizes, region_generate
from ledelse.selectors import person_own_leader
from lus.models import Agreement, Conversation, FollowUp, Preparation, Rating, RecordRevision, Round, Share
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 1)
SMALL = Sizes(units=20, leaders=50, people=200, notifications=0)


class _Undo(Exception):
    pass


def _item(item) -> tuple[str, str] | None:
    return (item.kind, item.key) if item is not None else None


def _signature() -> list[tuple]:
    """Everything the generator wrote about LUS, by natural keys (the ids differ per run)."""

    def conv(c: Conversation) -> tuple:
        return (c.round.name, c.leader.employee_id)

    rows: list[tuple] = []
    for c in Conversation.objects.select_related("round", "leader", "partner"):
        rows.append(
            (
                "lus",
                *conv(c),
                c.partner.employee_id,
                c.state,
                c.starts_at,
                c.held_on,
                c.location,
                c.leader_confirmed_at,
                c.partner_confirmed_at,
                c.revision,
            )
        )
    for p in Preparation.objects.select_related("conversation__round", "conversation__leader").prefetch_related(
        "topics"
    ):
        rows.append(
            (
                "prep",
                *conv(p.conversation),
                p.role,
                p.prepared_at,
                p.shared_at,
                tuple(p.answers),
                tuple(sorted(p.time_now.items())),
                tuple(sorted(_item(t) for t in p.topics.all())),
            )
        )
    for r in Rating.objects.select_related(
        "item", "preparation__conversation__round", "preparation__conversation__leader"
    ):
        rows.append(("rating", *conv(r.preparation.conversation), r.preparation.role, _item(r.item), r.score, r.note))
    for a in Agreement.objects.select_related("conversation__round", "conversation__leader", "principle"):
        rows.append(("agreement", *conv(a.conversation), a.position, a.what, a.due_on, _item(a.principle)))
    for f in FollowUp.objects.select_related("agreement__conversation__round", "agreement__conversation__leader"):
        rows.append(("followup", *conv(f.agreement.conversation), f.agreement.position, f.date, f.status))
    for s in Share.objects.select_related("conversation__round", "conversation__leader", "person"):
        rows.append(("share", *conv(s.conversation), s.person.employee_id, s.created_at, s.revoked_at))
    return sorted(rows, key=repr)


def _generate(seed: int = 1, sizes: Sizes = SMALL):
    return region_generate(seed=seed, sizes=sizes, today=TODAY)


def _generated_then_undone(seed: int) -> list[tuple]:
    try:
        with transaction.atomic():
            _generate(seed)
            signature = _signature()
            raise _Undo
    except _Undo:
        pass
    return signature


def test_the_same_seed_makes_the_same_lus_and_another_seed_other_ones():
    first = _generated_then_undone(1)
    assert not Conversation.objects.exists()
    assert len(first) > 500
    assert _generated_then_undone(1) == first
    assert _generated_then_undone(2) != first


def test_it_makes_two_rounds_with_a_lus_for_every_leader_with_an_own_leader_in_every_state():
    made = _generate()
    rounds = list(Round.objects.order_by("period_start"))
    assert len(rounds) == 2
    assert rounds[1].period_start.year - rounds[0].period_start.year == 1
    # Every leader but the region's director (who has no own leader in the app) has one a round.
    assert Conversation.objects.count() == 2 * (SMALL.leaders - 1) == made.counts["LUS"]
    per_round = Conversation.objects.values("round").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(per_round) == {SMALL.leaders - 1}
    # The section leaders lead people without heading a unit (leads_people) and are included.
    assert Conversation.objects.filter(leader__leads_people=True).count() == 2 * (SMALL.leaders - SMALL.units) > 0
    assert set(Conversation.objects.values_list("state", flat=True)) == set(Conversation.State.values)
    # The counts printed are the rows in the database.
    assert made.counts["LUS-vurderinger"] == Rating.objects.count() > 0
    assert made.counts["LUS-aftaler"] == Agreement.objects.count() > 0
    assert made.counts["LUS-opfølgninger"] == FollowUp.objects.count() > 0


def test_it_scales_with_the_number_of_leaders():
    _generate(sizes=Sizes(units=20, leaders=80, people=200, notifications=0))
    assert Conversation.objects.count() == 2 * 79


def test_each_lus_is_between_a_leader_and_their_own_leader():
    _generate()
    conversations = list(Conversation.objects.select_related("leader__unit", "leader__own_leader", "partner"))
    assert conversations
    for c in conversations:
        assert c.partner is not None
        assert c.partner == person_own_leader(person=c.leader), c.leader.name
    # Section leaders (with an explicit own leader) and unit leaders both have LUS.
    leaders = {c.leader for c in conversations}
    assert any(p.is_leader for p in leaders) and any(not p.is_leader for p in leaders)


def test_ratings_topics_and_agreements_point_at_items_of_the_rounds_framework_version():
    _generate()
    version = F("preparation__conversation__round__framework_version")
    assert Rating.objects.exists()
    assert not Rating.objects.exclude(item__version=version).exists()
    assert not Rating.objects.exclude(score__range=(1, 5)).exists()
    Topic = Preparation.topics.through
    assert not Topic.objects.exclude(item__version=F("preparation__conversation__round__framework_version")).exists()
    assert (
        not Agreement.objects.filter(principle__isnull=False)
        .exclude(principle__version=F("conversation__round__framework_version"))
        .exists()
    )


def _assert_preparation_keeps_the_rules(p):
    c, lus_round = p.conversation, p.conversation.round
    common = {i.pk for i in lus_round.common_items.all()}
    topics = {i.pk for i in p.topics.all()}
    rated = {r.item_id for r in p.ratings.all()}
    if topics:  # preparation_topics_set: 2 or 3, none of them in common
        assert 2 <= len(topics) <= 3 and not topics & common
    # preparation_save: prepared exactly when every required item has a score
    assert (p.prepared_at is not None) == (common | topics <= rated)
    if p.role == Preparation.Role.LEADER:
        assert (p.prepared_at is not None) == (c.state != Conversation.State.NOT_STARTED)
        if p.time_now:
            assert sum(p.time_now.values()) == sum(p.time_wanted.values()) == 100
            assert set(p.time_now) <= set(lus_round.time_categories)
    if p.shared_at:
        assert p.prepared_at is not None


def test_the_rows_keep_the_rules_the_services_keep():
    _generate()
    for lus_round in Round.objects.prefetch_related("common_items"):
        assert lus_round.common_items.count() == 3
        assert {i.version_id for i in lus_round.common_items.all()} == {lus_round.framework_version_id}
    preparations = Preparation.objects.select_related("conversation__round").prefetch_related(
        "topics", "ratings", "conversation__round__common_items"
    )
    for p in preparations:
        _assert_preparation_keeps_the_rules(p)
    for c in Conversation.objects.select_related("round").annotate(n=Count("agreements")):
        if c.starts_at:  # conversation_book: inside the round
            assert c.round.period_start <= c.starts_at.date() <= c.round.period_end
        held = c.state in (Conversation.State.HELD, Conversation.State.CONFIRMED)
        assert held == (c.held_on is not None) == (c.n > 0)
        # record_confirm: both confirmations exactly on a confirmed LUS
        assert (c.state == Conversation.State.CONFIRMED) == c.is_locked
        if not held:
            assert not (c.leader_confirmed_at or c.partner_confirmed_at or c.notes)
    assert not Agreement.objects.annotate(n=Count("followups")).filter(n__gt=2).exists()
    assert not FollowUp.objects.exclude(agreement__conversation__state=Conversation.State.CONFIRMED).exists()
    for revision in RecordRevision.objects.select_related("conversation"):
        assert revision.conversation.revision == revision.number + 1
    assert not Share.objects.filter(person=F("conversation__leader")).exists()
    assert not Share.objects.filter(person=F("conversation__partner")).exists()


def test_the_lus_pages_answer_200_for_the_leader_and_the_partner_and_404_for_others(client):
    _generate()
    c = (
        Conversation.objects.filter(state=Conversation.State.CONFIRMED, leader__is_leader=True)
        .select_related("leader__user", "partner__user")
        .order_by("-round__period_start", "leader__unit__path")
        .first()
    )
    detail = reverse("lus:conversation_detail", args=[c.pk])
    client_for(client, c.leader.user)
    overview = client.get(reverse("lus:overview"))
    assert overview.status_code == 200
    assert detail.encode() in overview.content
    page = client.get(detail)
    assert page.status_code == 200
    assert c.agreements.first().what.encode() in page.content
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("lus:record_pdf", args=[c.pk])).status_code == 200
    client_for(client, c.partner.user)
    assert client.get(reverse("lus:overview")).status_code == 200
    assert client.get(detail).status_code == 200
    assert client.get(reverse("lus:preparation_edit", args=[c.pk])).status_code == 200
    stranger = Person.objects.filter(is_leader=False, own_leader__isnull=True).exclude(pk=c.leader_id).first()
    client_for(client, stranger.user)
    assert client.get(detail).status_code == 404
    # A LUS under way (prepared, not held) renders too, for its partner.
    open_one = Conversation.objects.filter(state=Conversation.State.PREPARED).select_related("partner__user").first()
    client_for(client, open_one.partner.user)
    assert client.get(reverse("lus:conversation_detail", args=[open_one.pk])).status_code == 200
