"""Reads of LUS data scoped to a user (the access rules live in lus/access.py)."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Model, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ledelse.audit.models import AuditEntry, audit_object_type
from ledelse.audit.selectors import audit_entries_for_objects
from ledelse.models import Person, Unit
from ledelse.selectors import leading_unit_paths, people_own_leaders
from lus import access
from lus.models import Agreement, AuditPart, Conversation, FollowUp, Preparation, Rating, Round, Share
from values.models import Framework, FrameworkVersion, Item

User = AbstractBaseUser | AnonymousUser


# --- Rounds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    leader: Person
    partner: Person | None
    exists: bool
    other_round: str = ""  # another open round (overlapping, not confirmed) the leader is in


def leaders_with_partners(*, scope: Unit) -> list[tuple[Person, Person | None]]:
    """Every leader in `scope`'s subtree with their own leader, as
    ledelse.selectors.people_own_leaders defines it (explicit own leader, else the leader of
    the nearest unit above), computed for all of them in two queries. Leaders who lead people
    without heading a unit (Person.leads_people, e.g. afsnitsledere) are included; their own
    leader is their unit's leader (or the nearest one above)."""
    leaders = list(
        Person.objects.filter(Q(is_leader=True) | Q(leads_people=True), unit__path__startswith=scope.path)
        .select_related("unit", "own_leader", "user")
        .order_by("unit__path", "-is_leader", "name")
    )
    partners = people_own_leaders(leaders)
    return [(leader, partners[leader.pk]) for leader in leaders]


def _other_open_rounds(lus_round: Round, leader_ids: list[int]) -> dict[int, str]:
    """Leaders who already have an unconfirmed LUS in another round whose period overlaps."""
    rows = (
        Conversation.objects.filter(
            leader_id__in=leader_ids,
            round__period_start__lte=lus_round.period_end,
            round__period_end__gte=lus_round.period_start,
        )
        .exclude(round=lus_round)
        .exclude(state=Conversation.State.CONFIRMED)
        .values_list("leader_id", "round__name")
    )
    return dict(rows)


def round_preview(*, lus_round: Round) -> list[PreviewRow]:
    """Who would get a LUS with whom, whether it is made, and a warning for a leader who
    would be in two open rounds: three queries."""
    existing = set(lus_round.conversations.values_list("leader_id", flat=True))
    pairs = leaders_with_partners(scope=lus_round.scope)
    others = _other_open_rounds(lus_round, [leader.pk for leader, _p in pairs])
    return [
        PreviewRow(leader=leader, partner=partner, exists=leader.pk in existing, other_round=others.get(leader.pk, ""))
        for leader, partner in pairs
    ]


@dataclass
class RoundStatus:
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    by_unit: list[tuple[str, dict[str, int]]] = field(default_factory=list)


def _overdue_q(today: date) -> Q:
    return Q(
        round__held_by__lt=today,
        state__in=[Conversation.State.NOT_STARTED, Conversation.State.PREPARED],
    ) | Q(round__confirmed_by__lt=today, state__in=[Conversation.State.HELD])


def conversation_overdue_q(*, today: date) -> Q:
    """A LUS past its round's deadline for being held or for confirming the agreements (for
    counts elsewhere, e.g. the implementation status)."""
    return _overdue_q(today)


def round_status(*, lus_round: Round, today: date) -> RoundStatus:
    """Counts by state, overdue ones, and counts per unit (the leader's unit's top-level
    unit under the round's scope): a fixed number of queries."""
    rows = lus_round.conversations.values("state").annotate(n=Count("pk"))
    by_state = {state: 0 for state, _label in Conversation.State.choices}
    for row in rows:
        by_state[row["state"]] = row["n"]
    overdue = lus_round.conversations.filter(_overdue_q(today)).count()
    per_unit: dict[str, Counter] = defaultdict(Counter)
    for name, state in lus_round.conversations.values_list("leader__unit__name", "state"):
        per_unit[name][state] += 1
    return RoundStatus(
        total=sum(by_state.values()),
        by_state=by_state,
        overdue=overdue,
        by_unit=sorted((name, dict(c)) for name, c in per_unit.items()),
    )


def round_conversations_for_hr(*, user: User, lus_round: Round, today: date) -> QuerySet[Conversation]:
    """The round's LUS, people and dates only (never deferred content is read by the page)."""
    return (
        access.conversations_listed_for_hr(user)
        .filter(round=lus_round)
        .select_related("leader__unit", "partner")
        .only(
            "pk",
            "state",
            "starts_at",
            "held_on",
            "leader_confirmed_at",
            "partner_confirmed_at",
            "round_id",
            "leader__name",
            "leader__unit__name",
            "partner__name",
        )
        .annotate(is_overdue=Count("pk", filter=_overdue_q(today)))
        .order_by("state", "leader__name")
    )


# --- A leader's own page -------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    """One LUS in the user's list: its round, people, time and state (never the record's
    text), read as plain values."""

    pk: int
    round_name: str
    leader_name: str
    partner_name: str  # "" without a partner
    starts_at: datetime | None
    state: str

    @property
    def state_label(self) -> str:
        return str(Conversation.State(self.state).label)  # in the page's language, as it is rendered


@dataclass
class Overview:
    as_leader: list[OverviewRow]
    as_partner: list[OverviewRow]
    shared_with_me: list[OverviewRow]
    waiting: list[tuple[OverviewRow, str]]
    waiting_own: list[tuple[OverviewRow, str]]  # of `waiting`: the user's own LUS
    waiting_led: list[tuple[OverviewRow, str]]  # of `waiting`: the LUS with the leaders the user leads


# What the list reads of a LUS, its round and its people (never the record's text).
_OVERVIEW_FIELDS = (
    "pk",
    "state",
    "starts_at",
    "leader_confirmed_at",
    "partner_confirmed_at",
    "round__name",
    "round__preparation_opens",
    "leader__name",
    "leader__user_id",
    "partner__name",
    "partner__user_id",
)


def overview_for_user(*, user: User, today: date) -> Overview:
    """The user's LUS as leader, as partner and shared with them, and what waits: two
    queries whatever their number, of plain values (a leader's list at region scale)."""
    readable = list(
        access.conversations_readable_by(user)
        .order_by("-round__period_start", "leader__name")
        .values_list(*_OVERVIEW_FIELDS)
    )
    prepared = set(
        Preparation.objects.filter(conversation_id__in=[r[0] for r in readable], prepared_at__isnull=False)
        .order_by()
        .values_list("conversation_id", "role")
    )
    overview = Overview(as_leader=[], as_partner=[], shared_with_me=[], waiting=[], waiting_own=[], waiting_led=[])
    for (
        pk,
        state,
        starts_at,
        leader_at,
        partner_at,
        round_name,
        opens,
        leader,
        leader_uid,
        partner,
        partner_uid,
    ) in readable:
        row = OverviewRow(
            pk=pk,
            round_name=round_name,
            leader_name=leader,
            partner_name=partner or "",
            starts_at=starts_at,
            state=state,
        )
        if leader_uid == user.pk:
            overview.as_leader.append(row)
            role, confirmed, own = Preparation.Role.LEADER, leader_at, overview.waiting_own
        elif partner_uid is not None and partner_uid == user.pk:
            overview.as_partner.append(row)
            role, confirmed, own = Preparation.Role.PARTNER, partner_at, overview.waiting_led
        else:
            overview.shared_with_me.append(row)
            continue
        what = None
        if state in (Conversation.State.NOT_STARTED, Conversation.State.PREPARED) and (pk, role) not in prepared:
            if opens <= today:
                what = "prepare"
        elif state == Conversation.State.HELD and not confirmed:
            what = "confirm"
        if what is not None:
            overview.waiting.append((row, what))
            own.append((row, what))
    return overview


# --- One LUS ---------------------------------------------------------------------------------


def conversation_get_for_user(*, user: User, pk: int) -> Conversation:
    return get_object_or_404(
        access.conversations_readable_by(user).select_related(
            "round__framework_version__framework", "leader__user", "leader__unit", "partner__user"
        ),
        pk=pk,
    )


def confirmed_by_role(*, conversation: Conversation, role: str | None) -> bool:
    if role == Preparation.Role.LEADER:
        return conversation.leader_confirmed_at is not None
    if role == Preparation.Role.PARTNER:
        return conversation.partner_confirmed_at is not None
    return False


def conversation_can_be_confirmed(*, conversation: Conversation, has_agreements: bool, now: datetime) -> bool:
    """Whether "confirm" is offered: agreements exist and the conversation is held (or its
    booked time has passed, which lus.services.record_confirm records as held)."""
    if conversation.is_locked or not has_agreements:
        return False
    if conversation.state == Conversation.State.HELD:
        return True
    not_held = conversation.state in (Conversation.State.NOT_STARTED, Conversation.State.PREPARED)
    return not_held and bool(conversation.starts_at and conversation.starts_at <= now)


def conversation_items(*, conversation: Conversation, preparations: list[Preparation]) -> list[Item]:
    """The items rated in this LUS: the round's common ones and both parties' topics, in the
    framework's order."""
    ids = {i.pk for i in conversation.round.common_items.all()}
    for prep in preparations:
        ids |= {i.pk for i in prep.topics.all()}
    return [i for i in _version_items(conversation.round) if i.pk in ids]


def conversation_items_read(*, conversation: Conversation) -> list[Item]:
    """conversation_items without the preparations' topics prefetched (the LUS page): the
    round's common items and every party's topics in one query, the version's items from
    `_version_items`."""
    ids = getattr(conversation, "page_item_ids", None)  # read with the LUS (conversation_page_get)
    if ids is not None:
        return [i for i in _version_items(conversation.round) if i.pk in ids]
    Common = Round.common_items.through
    Topic = Preparation.topics.through
    ids = set(
        Common.objects.filter(round_id=conversation.round_id)
        .values_list("item_id", flat=True)
        .union(Topic.objects.filter(preparation__conversation_id=conversation.pk).values_list("item_id", flat=True))
    )
    return [i for i in _version_items(conversation.round) if i.pk in ids]


# The themes and principles of a framework version, the same for every reader, kept in the
# process under the version's `changed_at` stamp (bumped by every service that changes its
# items, values.services): a LUS page reads the stamp with its round, so it never shows a
# stale title. A few versions are in use at a time; the dict is emptied when it grows.
_VERSION_ITEMS: dict[tuple[int, float], list[Item]] = {}
_VERSION_ITEMS_KEPT = 32


def _version_items(lus_round: Round) -> list[Item]:
    cache = getattr(lus_round, "_lus_items", None)
    if cache is None:
        version = lus_round.framework_version
        key = (version.pk, version.changed_at.timestamp())
        cache = _VERSION_ITEMS.get(key)
        if cache is None:
            cache = list(
                Item.objects.filter(version_id=version.pk, kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE]).order_by(
                    "position"
                )
            )
            if len(_VERSION_ITEMS) >= _VERSION_ITEMS_KEPT:
                _VERSION_ITEMS.clear()
            _VERSION_ITEMS[key] = cache
        lus_round._lus_items = cache
    return cache


def topic_choices(*, lus_round: Round) -> list[Item]:
    """What a party may pick as their own topics: the version's themes and principles that
    the round does not already make common."""
    common = {i.pk for i in lus_round.common_items.all()}
    return [i for i in _version_items(lus_round) if i.pk not in common]


def preparations_for(*, conversation: Conversation, topics: bool = True) -> list[Preparation]:
    """The LUS's preparations with their ratings (and, with `topics`, their topics: the
    preparation form and its document; the LUS page reads preparations_with_ratings)."""
    return list(conversation.preparations.prefetch_related("ratings", *(["topics"] if topics else [])))


def preparations_with_ratings(*, conversation: Conversation) -> tuple[list[Preparation], dict[int, dict[int, Rating]]]:
    """The LUS page's preparations and their ratings by preparation and item, in one plain
    query (_joined_read): the preparations joined to their ratings (a preparation without
    ratings is one row with none); preparations_for's prefetch is a second query."""
    preparations: dict[int, Preparation] = {}
    ratings: dict[int, dict[int, Rating]] = {}
    for preparation, rating in _joined_read(Preparation, Rating, [conversation.pk]):
        if preparation.pk not in preparations:
            preparation.conversation = conversation
            preparations[preparation.pk] = preparation
            ratings[preparation.pk] = {}
        if rating is not None:
            ratings[preparation.pk][rating.item_id] = rating
    return sorted(preparations.values(), key=lambda p: p.pk), ratings


@functools.cache
def _joined_sql(parent: type[Model], child: type[Model]) -> str:
    """The SELECT of _joined_read: `parent`'s rows of some LUS, each joined to its `child`
    rows (by the child's foreign key to the parent), both models' concrete columns."""
    link = next(f for f in child._meta.concrete_fields if f.is_relation and f.related_model is parent)
    columns = ", ".join(
        [f"a.{f.column}" for f in parent._meta.concrete_fields] + [f"b.{f.column}" for f in child._meta.concrete_fields]
    )
    key = parent._meta.get_field("conversation").column  # type: ignore[union-attr]
    return (
        f"SELECT {columns} FROM {parent._meta.db_table} a LEFT JOIN {child._meta.db_table} b "
        f"ON b.{link.column} = a.{parent._meta.pk.column} WHERE a.{key}"
    )


def _joined_read(parent: type[Model], child: type[Model], conversation_ids: list[int]) -> list[tuple[Any, Any]]:
    """(parent, child or None) of the LUS's `parent` rows joined to their `child` rows, in one
    plain query (the ORM's values_list over the join cost ~1-2 ms a query to build), in no
    order; the same parent is one instance in every row of it."""
    params: list[Any]
    if connection.vendor == "postgresql":  # one statement for any number of LUS
        sql, params = f"{_joined_sql(parent, child)} = ANY(%s)", [conversation_ids]
    else:  # make run's SQLite
        sql, params = f"{_joined_sql(parent, child)} IN ({', '.join(['%s'] * len(conversation_ids))})", conversation_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    parents: dict[int, Model] = {}
    pairs = []
    for row in found:
        at = len(parent._meta.concrete_fields)
        one = parents.get(row[0])
        if one is None:
            one, at = _from_row(parent, row, 0)
            parents[row[0]] = one  # type: ignore[assignment]
        other, _end = _from_row(child, row, at)
        pairs.append((one, other))
    return pairs


def _agreements(conversation_ids: list[int]) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(conversation_id__in=conversation_ids)
        .select_related("principle")
        .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.order_by("date", "pk")))
    )


def agreements_for(*, conversation: Conversation) -> list[Agreement]:
    """The LUS's agreements in order, each with its follow-ups in order (`followup_list`)."""
    agreements = list(_agreements([conversation.pk]))
    for agreement in agreements:
        agreement.followup_list = list(agreement.followups.all())
    return agreements


def agreements_by_conversation(*, conversations: list[Conversation]) -> dict[int, list[Agreement]]:
    """agreements_for of several LUS in one query (a LUS page with the previous LUS): the
    agreements joined to their follow-ups, read as plain rows (_joined_read) and put in
    order here (the model's ordering starts with "conversation", which sorts by the LUS's
    own ordering and joins the round and the leader for it). An agreement's principle is
    taken from its round's themes and principles (`_version_items`, kept in the process, so
    its round's version must be read with it), from the database only when it is not one of
    them."""
    found: dict[int, list[Agreement]] = {c.pk: [] for c in conversations}
    items = {i.pk: i for c in conversations for i in _version_items(c.round)}
    agreements: dict[int, Agreement] = {}
    for agreement, followup in _joined_read(Agreement, FollowUp, list(found)):
        if agreement.pk not in agreements:
            agreements[agreement.pk] = agreement
            agreement.followup_list = []
        if followup is not None:
            agreement.followup_list.append(followup)
    missing = {
        a.principle_id for a in agreements.values() if a.principle_id is not None and a.principle_id not in items
    }
    if missing:
        items.update(Item.objects.in_bulk(missing))
    for agreement in sorted(agreements.values(), key=lambda a: (a.position, a.pk)):
        if agreement.principle_id is not None:
            agreement.principle = items[agreement.principle_id]
        agreement.followup_list.sort(key=lambda f: (f.date, f.pk))
        found[agreement.conversation_id].append(agreement)
    return found


def _previous_q(*, leader_id: int | Subquery) -> Q:
    """The LUS that can be a leader's "last time": theirs, held or confirmed (never an
    unheld LUS of an overlapping round); `_previous_among` picks the one."""
    return Q(leader_id=leader_id, state__in=[Conversation.State.HELD, Conversation.State.CONFIRMED])


def _previous_among(conversation: Conversation, candidates: list[Conversation]) -> Conversation | None:
    """Of `candidates` (_previous_q, their rounds read), the latest in a round that began
    before the conversation's."""
    start = conversation.round.period_start
    earlier = [c for c in candidates if c.pk != conversation.pk and c.round.period_start < start]
    return max(earlier, key=lambda c: c.round.period_start, default=None)


def previous_for(*, user: User, conversation: Conversation) -> Conversation | None:
    """The leader's last held LUS before this one that `user` may read (for "last time's
    agreements"): through the access rule. A leader has one LUS a year: all of them are read."""
    candidates = (
        access.conversations_readable_by(user)
        .filter(_previous_q(leader_id=conversation.leader_id))
        .select_related("round__framework_version")
    )
    return _previous_among(conversation, list(candidates))


# The LUS page's one query (conversation_page_get), written as plain SQL: the ORM built the
# access rule's union, the previous LUS's subquery and the joins for each request (on the
# bench copy the ORM read and the items query took ~14 ms on a loaded machine, this one ~4 ms,
# of which PostgreSQL's planning ~1.7). The LUS with its round, framework version, framework, leader and partner, and the
# leader's held LUS (the previous one is picked among them in Python), through
# access.readable_sql; for the LUS itself also the ids of the items rated in it (the round's
# common items and every party's topics, conversation_items_read without a query).
def _page_models() -> list[tuple[str, type[Model], str | None]]:
    return [
        ("c", Conversation, None),
        ("r", Round, "JOIN {table} r ON r.id = c.round_id"),
        ("v", FrameworkVersion, "JOIN {table} v ON v.id = r.framework_version_id"),
        ("f", Framework, "JOIN {table} f ON f.id = v.framework_id"),
        ("l", Person, "JOIN {table} l ON l.id = c.leader_id"),
        ("p", Person, "LEFT JOIN {table} p ON p.id = c.partner_id"),
    ]


@functools.cache
def _page_query() -> tuple[str, list[type[Model]]]:
    """The page query's SQL, made once from the models' tables and columns, and its models
    in column order."""
    models = _page_models()
    columns = ", ".join(f"{a}.{f.column}" for a, m, _j in models for f in m._meta.concrete_fields)
    joins = " ".join(j.format(table=m._meta.db_table) for _a, m, j in models if j)
    common = Round.common_items.through._meta
    topic = Preparation.topics.through._meta
    preparation = Preparation._meta.db_table
    items = (
        f"CASE WHEN c.id = %(pk)s THEN ARRAY(SELECT ci.item_id FROM {common.db_table} ci WHERE ci.round_id = c.round_id "
        f"UNION SELECT t.item_id FROM {topic.db_table} t JOIN {preparation} pr ON pr.id = t.preparation_id "
        "WHERE pr.conversation_id = c.id) END"
    )
    sql = (
        f"SELECT {columns}, {items} FROM {Conversation._meta.db_table} c {joins} "
        f"WHERE (c.id = %(pk)s OR (c.leader_id = (SELECT leader_id FROM {Conversation._meta.db_table} "
        "WHERE id = %(pk)s) AND c.state IN (%(held)s, %(confirmed)s))) "
        f"AND {access.readable_sql('c')}"
    )
    return sql, [m for _a, m, _j in models]


def _page_sql() -> str:
    return _page_query()[0]


def _from_row(model: type[Model], row: tuple, start: int) -> tuple[Model | None, int]:
    """The model instance of `row`'s columns from `start` (its concrete fields, converted as
    the ORM converts them: a JSON field's text is decoded), None when its id is NULL (no
    partner), and where the next model's columns start."""
    attnames, converted = _row_shape(model)
    end = start + len(attnames)
    values = list(row[start:end])
    if values[0] is None:
        return None, end
    for n, f, converters in converted:
        for convert in converters:
            values[n] = convert(values[n], f, connection)
    return model.from_db(connection.alias, attnames, values), end


_ROW_SHAPES: dict[type[Model], tuple[list[str], list[tuple[int, Any, list]]]] = {}


def _row_shape(model: type[Model]) -> tuple[list[str], list[tuple[int, Any, list]]]:
    """A model's concrete fields' attnames, and the fields the ORM converts on reading (by
    position, with their converters: the backend's and the field's own)."""
    found = _ROW_SHAPES.get(model)
    if found is None:
        fields = model._meta.concrete_fields
        converted = []
        for n, f in enumerate(fields):
            col = f.get_col(model._meta.db_table)
            converters = [*connection.ops.get_db_converters(col), *f.get_db_converters(connection)]
            if converters:
                converted.append((n, f, converters))
        found = _ROW_SHAPES[model] = ([f.attname for f in fields], converted)
    return found


def conversation_page_get(*, user: User, pk: int) -> tuple[Conversation, Conversation | None]:
    """The LUS page's LUS (conversation_get_for_user, without the people's accounts and
    unit, which the page never reads) and its previous_for, in one plain query through the
    access rule (access.readable_sql): the LUS and its leader's held ones that `user` may
    read; the LUS carries `page_item_ids` (conversation_items_read). 404 as
    conversation_get_for_user."""
    if connection.vendor != "postgresql":  # make run's SQLite: the plain reads (the SQL is PostgreSQL's)
        found_one = conversation_get_for_user(user=user, pk=pk)
        return found_one, previous_for(user=user, conversation=found_one)
    person = access.reader_person_id(user)
    if person is None:
        raise Http404
    params: dict[str, int | str] = {
        "pk": pk,
        "me": person,
        "held": str(Conversation.State.HELD.value),
        "confirmed": str(Conversation.State.CONFIRMED.value),
    }
    sql, models = _page_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows: list[Conversation] = []
    page_item_ids = None
    for row in found:
        at = 0
        objects: list[Any] = []
        for model in models:
            obj, at = _from_row(model, row, at)
            objects.append(obj)
        conversation, lus_round, version, framework, leader, partner = objects
        version.framework = framework
        lus_round.framework_version = version
        conversation.round = lus_round
        conversation.leader = leader
        conversation.partner = partner
        if conversation.pk == pk:
            page_item_ids = set(row[at] or ())
        rows.append(conversation)
    conversation = next((c for c in rows if c.pk == pk), None)
    if conversation is None:
        raise Http404
    conversation.page_item_ids = page_item_ids  # type: ignore[attr-defined]
    return conversation, _previous_among(conversation, rows)


def preparations_visible_to(
    *, conversation: Conversation, user: User, preparations: list[Preparation]
) -> dict[str, Preparation]:
    """The one rule for what a reader may see of the preparations, by role: a party sees
    their own always and the other party's once shared; the leader's share readers and the
    leader's export see only shared ones, never an unshared preparation of someone else."""
    role = None
    if user.is_authenticated:
        if conversation.leader.user_id == user.pk:
            role = Preparation.Role.LEADER
        elif conversation.partner_id and conversation.partner.user_id == user.pk:
            role = Preparation.Role.PARTNER
    return {p.role: p for p in preparations if p.role == role or p.shared_at}


def partner_candidates(*, conversation: Conversation) -> list[Person]:
    """Who may be the LUS's conversation partner: a leader with an account above the leader
    in the ledelseskæde (the leader's own leader, or one further up when that post is vacant
    or its holder away), plus an explicitly set own leader. Never the leader, never someone
    the leader leads; a role (HR, koncernledelse) counts for nothing here. One or two queries."""
    leader = conversation.leader
    q = Q(is_leader=True, unit__path__in=leading_unit_paths(leader))
    if leader.own_leader_id:
        q |= Q(pk=leader.own_leader_id)
    people = (
        Person.objects.filter(q, user__isnull=False)
        .exclude(pk=leader.pk)
        .select_related("unit", "user")
        .order_by("-unit__depth", "name")
    )
    if leader.is_leader:
        people = people.exclude(unit__path__startswith=leader.unit.path, unit__depth__gt=leader.unit.depth)
    return [p for p in people if p.own_leader_id != leader.pk]  # never someone the leader leads


@dataclass(frozen=True)
class TrailEntry:
    """One line of a LUS's audit trail, read from the shared audit log (ledelse.audit)."""

    who: str
    part: str
    what: str
    at: datetime
    changed: bool


_TRAIL_ACTIONS = (AuditEntry.Action.READ, AuditEntry.Action.CHANGE)


def _trail_entry(entry: AuditEntry) -> TrailEntry:
    person = getattr(entry.actor, "person", None) if entry.actor_id else None
    if person is not None:
        who = person.name
    elif entry.actor is not None:
        who = entry.actor.get_full_name() or entry.actor.get_username()
    else:
        who = entry.actor_label
    label = AuditPart(entry.detail).label if entry.detail in AuditPart.values else entry.detail
    changed = entry.action == AuditEntry.Action.CHANGE
    what = _("Changed: %(part)s") % {"part": label} if changed else str(label)
    return TrailEntry(who=who, part=entry.detail, what=what, at=entry.time, changed=changed)


def audit_trail_by_conversation(*, conversations: list[Conversation]) -> dict[int, list[TrailEntry]]:
    """Who read or changed which part of each LUS, newest first (one query)."""
    trail: dict[int, list[TrailEntry]] = {c.pk: [] for c in conversations}
    entries = audit_entries_for_objects(
        object_type=audit_object_type(Conversation), object_ids=list(trail), actions=_TRAIL_ACTIONS
    )
    for entry in entries:
        trail[int(entry.object_id)].append(_trail_entry(entry))
    return trail


def audit_for_owner(*, conversation: Conversation, limit: int = 200) -> list[TrailEntry]:
    """The trail the leader sees on their LUS: the latest `limit` reads and changes."""
    entries = audit_entries_for_objects(
        object_type=audit_object_type(Conversation), object_ids=[conversation.pk], actions=_TRAIL_ACTIONS
    )
    return [_trail_entry(e) for e in entries[:limit]]


@dataclass
class Continuity:
    years: list[str]
    ratings: list[tuple[str, list[int | None]]]
    time: list[tuple[str, dict, dict]]
    balance: list[tuple[str, int]]


def continuity_for(*, conversation: Conversation) -> Continuity:
    """The leader's own ratings per theme across their LUS (by theme title, so versions
    and rounds line up), their time split per round, and how their agreements spread over
    the themes: three queries (the LUS, the leader's preparations joined to their ratings,
    the agreements)."""
    history = list(
        Conversation.objects.filter(
            leader_id=conversation.leader_id, round__period_start__lte=conversation.round.period_start
        )
        .select_related("round")
        .order_by("round__period_start")
    )
    # One column per round, headed by the round's name (two rounds in one year are two columns).
    years = [c.round.name for c in history]
    index = {c.pk: n for n, c in enumerate(history)}
    table: dict[str, list[int | None]] = {}
    split: dict[int, tuple[dict, dict]] = {}
    for conv_id, time_now, time_wanted, title, kind, score in (
        Preparation.objects.filter(conversation__in=list(index), role=Preparation.Role.LEADER)
        .order_by()
        .values_list(
            "conversation_id",
            "time_now",
            "time_wanted",
            "ratings__item__title",
            "ratings__item__kind",
            "ratings__score",
        )
    ):
        split[conv_id] = (time_now, time_wanted)
        if kind == Item.Kind.THEME:
            table.setdefault(title, [None] * len(history))[index[conv_id]] = score
    time = [(c.round.name, *split[c.pk]) for c in history if c.pk in split and any(split[c.pk])]
    balance = Counter()
    for principle_title, parent_title, kind in Agreement.objects.filter(
        conversation__in=list(index), principle__isnull=False
    ).values_list("principle__title", "principle__parent__title", "principle__kind"):
        balance[principle_title if kind == Item.Kind.THEME else (parent_title or principle_title)] += 1
    return Continuity(years=years, ratings=sorted(table.items()), time=time, balance=sorted(balance.items()))


def shares_active_for(*, conversation: Conversation) -> list[Share]:
    """Whom the leader shares the LUS with now, oldest first, with their names (the owner's
    page). Ordered by the share's own time: the model's ordering starts with "conversation",
    which sorts by the LUS's ordering and joins its round and leader for it."""
    return list(
        conversation.shares.filter(revoked_at__isnull=True).select_related("person").order_by("created_at", "pk")
    )


def unit_plan_for(*, user: User, unit: Unit):
    """The unit's activation plan in its newest rollout, read-only, through the plans'
    own access rule (dialogues.access), with its activity counts: one query."""
    from dialogues.access import plans_visible_to
    from dialogues.models import Activity

    return (
        plans_visible_to(user)
        .filter(unit=unit)
        .select_related("rollout")
        .annotate(
            activity_count=Count("activities"),
            activities_done=Count("activities", filter=Q(activities__status=Activity.Status.GENNEMFOERT)),
        )
        .order_by("-rollout__starts_on", "-pk")
        .first()
    )
