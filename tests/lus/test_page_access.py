"""The LUS page reads its LUS in one plain SQL query (lus.selectors.conversation_page_get,
through lus.access.readable_sql) instead of the ORM's conversations_readable_by: it must let
exactly the same readers in, give the same previous LUS (previous_for), the same LUS, round,
framework and people (JSON and dates converted as the ORM converts them) and the same items
(conversation_items), for every kind of reader: the leader, the partner, a reader it is shared
with, one whose share was taken back, the leader's own leader once someone else is the
partner, HR in scope, koncernledelse, an employee, an outsider and an administrator."""

import pytest
from django.db import connection
from django.http import Http404

from ledelse.models import Person
from lus import access, selectors, services
from lus.models import Conversation, Preparation
from tests.lus.conftest import held, prepare
from tests.lus.test_queries import _earlier_round

pytestmark = pytest.mark.django_db

EVERYONE = ["leader2", "leader", "leader3", "employee", "hr", "koncern", "outsider", "admin"]


def _cast(org, lus):
    """leader2's LUS (partner: leader) prepared with topics and held, shared with leader3 and
    (taken back) with the employee; an earlier confirmed LUS of leader2's whose partner is
    koncern (so the current partner may not read it), and leader's own LUS without a partner."""
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2, 1, 2], topics=lus.principles[:2])
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3], share=False)
    held(c, lus.principles)
    services.share_add(conversation=c, who="leader3")
    revoked = services.share_add(conversation=c, who="employee")
    services.share_revoke(share=revoked)
    earlier = _earlier_round(lus, 2025)
    Conversation.objects.filter(pk=earlier.pk).update(partner=org.people["koncern"])
    alone = Conversation.objects.get(round=lus.round, leader=org.people["leader"])  # the hospital director's
    Conversation.objects.filter(pk=alone.pk).update(partner=None)
    return [c.pk, earlier.pk, alone.pk]


def _fields(obj):
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same_as_the_orm(user, pk):
    readable = access.conversations_readable_by(user)
    if not readable.filter(pk=pk).exists():
        with pytest.raises(Http404):
            selectors.conversation_page_get(user=user, pk=pk)
        return False
    read, previous = selectors.conversation_page_get(user=user, pk=pk)
    orm = readable.select_related("round__framework_version__framework", "leader", "partner").get(pk=pk)
    assert _fields(read) == _fields(orm)
    assert _fields(read.round) == _fields(orm.round)
    assert _fields(read.round.framework_version) == _fields(orm.round.framework_version)
    assert _fields(read.round.framework_version.framework) == _fields(orm.round.framework_version.framework)
    assert _fields(read.leader) == _fields(orm.leader)
    assert _fields(read.partner) == _fields(orm.partner)
    assert previous == selectors.previous_for(user=user, conversation=orm)
    if previous is not None:
        assert _fields(previous) == _fields(Conversation.objects.get(pk=previous.pk))
    plain = selectors.conversation_items(conversation=orm, preparations=selectors.preparations_for(conversation=orm))
    assert selectors.conversation_items_read(conversation=read) == plain
    return True


def test_the_page_query_lets_in_whom_the_orm_rule_lets_in_with_the_same_lus(org, lus):
    pks = _cast(org, lus)
    seen = {who: [pk for pk in pks if _same_as_the_orm(org.users[who], pk)] for who in EVERYONE}
    current, earlier, alone = pks
    assert seen["leader2"] == [current, earlier]
    assert seen["leader"] == [current, alone]  # the partner now (not of the earlier LUS); their own without partner
    assert seen["leader3"] == [current]  # shared with
    assert seen["koncern"] == [earlier]  # the earlier LUS's partner
    for who in ("employee", "hr", "outsider", "admin"):  # a share taken back; HR and the rest see no content
        assert seen[who] == [], who


def test_the_leaders_own_leader_who_is_not_the_partner_is_a_404(org, lus):
    c = lus.conversation
    Conversation.objects.filter(pk=c.pk).update(partner=org.people["koncern"])
    assert not _same_as_the_orm(org.users["leader"], c.pk)
    assert _same_as_the_orm(org.users["koncern"], c.pk)
    assert _same_as_the_orm(org.users["leader2"], c.pk)


def test_a_share_taken_back_or_added_changes_the_page_query_at_once(org, lus):
    c = lus.conversation
    share = services.share_add(conversation=c, who="leader3")
    assert _same_as_the_orm(org.users["leader3"], c.pk)
    services.share_revoke(share=share)
    assert not _same_as_the_orm(org.users["leader3"], c.pk)
    services.share_add(conversation=c, who="leader3")  # shared again
    assert _same_as_the_orm(org.users["leader3"], c.pk)


def test_the_access_condition_is_the_orm_rule_for_every_person_and_every_lus(org, lus):
    _cast(org, lus)
    sql = f"SELECT c.id FROM {Conversation._meta.db_table} c WHERE {access.readable_sql('c')}"
    for person in Person.objects.filter(user__isnull=False).select_related("user"):
        with connection.cursor() as cursor:
            cursor.execute(sql, {"me": person.pk})
            found = {row[0] for row in cursor.fetchall()}
        expected = set(access.conversations_readable_by(person.user).values_list("pk", flat=True))
        assert found == expected, person


def test_a_user_without_a_person_reads_no_lus(org, lus, django_user_model):
    user = django_user_model.objects.create_user("nobody", "nobody@example.org", "x")
    with pytest.raises(Http404):
        selectors.conversation_page_get(user=user, pk=lus.conversation.pk)


def test_the_page_query_reads_the_lus_by_its_key_and_the_leaders_index(org, lus):
    """The LUS by its primary key and the leader's held ones by the leader index, never a
    scan of every LUS (seed_scale's 5,000)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN " + selectors._page_sql(),
            {"pk": lus.conversation.pk, "me": org.people["leader"].pk, "held": "held", "confirmed": "confirmed"},
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "lus_conversation_pkey" in plan and "leader_id" in plan, plan
    assert "Seq Scan on lus_conversation" not in plan, plan
