"""Who sees what of a LUS. Every LUS view and document fetches through these querysets, so a
LUS the user may not read is a 404 (a 403 would tell that it exists).

- content (preparations, record, agreements): the leader, the partner, and people the leader
  shares it with (read-only, until revoked);
- existence, people, dates and state: also HR whose scope covers the leader's unit;
- counts only: koncernledelse for their region (and HR in scope).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q, QuerySet, Subquery

from ledelse import access
from ledelse.models import Person
from lus.models import Conversation, Round, Share

User = AbstractBaseUser | AnonymousUser

_USES_LUS_KEY = "lus:uses:{pk}"
USES_LUS_CACHE_SECONDS = 600


def _anonymous(user: User) -> bool:
    return not getattr(user, "is_authenticated", False)


def _me(user: User) -> Subquery | int | None:
    """The user's person (one at most: Person.user is one-to-one): its id when the request
    has read the user's roles already (the page's menu reads them; a literal id is a
    cheaper query to build), else a scalar subquery. Compared with leader_id and partner_id,
    PostgreSQL reads their indexes; an OR over the joins to the people (leader__user=user |
    partner__user=user) read and sorted every LUS instead (EXPLAIN on seed_scale's 5,000
    LUS: 30-50 ms a page, growing with the data). None: the user has no person (and so no
    LUS); never compare with None, which Django reads as IS NULL."""
    roles = access.roles_if_read(user)
    if roles is not None:
        return roles.person.pk if roles.person is not None else None
    return Subquery(Person.objects.filter(user=user).order_by().values("pk")[:1])


def conversations_readable_by(user: User) -> QuerySet[Conversation]:
    """The LUS whose content `user` may read. The LUS page reads through its SQL twin,
    `readable_sql`: change both together (tests/lus/test_page_access.py compares them)."""
    if _anonymous(user):
        return Conversation.objects.none()
    me = _me(user)
    if me is None:
        return Conversation.objects.none()
    # One index read per arm, unioned (an OR with the shares' subquery cannot use an index).
    readable = (
        Conversation.objects.filter(leader_id=me)
        .values("pk")
        .union(
            Conversation.objects.filter(partner_id=me).values("pk"),
            Share.objects.filter(person_id=me, revoked_at__isnull=True).values("conversation_id"),
        )
    )
    return Conversation.objects.filter(pk__in=readable)


def reader_person_id(user: User) -> int | None:
    """The reader's person id for readable_sql; None for a user without a person (or signed
    out), who reads no LUS."""
    if _anonymous(user):
        return None
    person = access.roles_for(user).person
    return person.pk if person is not None else None


def readable_sql(alias: str) -> str:
    """conversations_readable_by as a plain SQL condition on the LUS table under `alias`, for
    a page's one hand-written query (lus.selectors.conversation_page_get): the leader, the
    partner, or a person it is shared with and not taken back. The reader's person id is the
    query parameter `%(me)s` (never NULL: a user without a person reads no LUS, the caller
    asks nothing). tests/lus/test_page_access.py holds it to conversations_readable_by for
    every kind of reader."""
    share = Share._meta
    conversation = share.get_field("conversation").column
    person = share.get_field("person").column
    revoked = share.get_field("revoked_at").column
    return (
        f"({alias}.leader_id = %(me)s OR {alias}.partner_id = %(me)s OR EXISTS (SELECT 1 FROM "
        f"{share.db_table} s WHERE s.{conversation} = {alias}.id AND s.{person} = %(me)s AND s.{revoked} IS NULL))"
    )


def uses_lus(user: User) -> bool:
    """Whether the LUS pages have something for the user, so the menu shows LUS
    (LusConfig.navigation_shown_to): a leader, one who leads people, HR, koncernledelse and
    administrators without a query; anyone else when they take part in a LUS or one is
    shared with them (one query, for them only)."""
    if _anonymous(user):
        return False
    roles = access.roles_for(user)
    if roles.is_admin or roles.is_hr or roles.is_koncernledelse:
        return True
    if roles.person is None:
        return False
    if roles.is_leader or roles.person.leads_people:
        return True
    # Every page's menu asks, for 28,000 employees: kept in the shared cache a while, and
    # forgotten when a LUS is shared with or taken from the person (`uses_lus_forget`).
    key = _USES_LUS_KEY.format(pk=user.pk)
    found = cache.get(key)
    if found is None:
        found = conversations_readable_by(user).exists()
        cache.set(key, found, USES_LUS_CACHE_SECONDS)
    return bool(found)


def uses_lus_forget(*, user_id: int | None) -> None:
    """The person's LUS changed (shared with them, or taken back): the menu asks again."""
    if user_id is not None:
        cache.delete(_USES_LUS_KEY.format(pk=user_id))


def conversations_writable_by(user: User) -> QuerySet[Conversation]:
    """The LUS `user` takes part in (leader or partner): shared readers only read."""
    if _anonymous(user):
        return Conversation.objects.none()
    me = _me(user)
    if me is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(Q(leader_id=me) | Q(partner_id=me))


def conversations_owned_by(user: User) -> QuerySet[Conversation]:
    """The LUS about `user` (they share it, see its audit log and export it)."""
    if _anonymous(user):
        return Conversation.objects.none()
    me = _me(user)
    return Conversation.objects.none() if me is None else Conversation.objects.filter(leader_id=me)


def _hr_scope(user: User, field: str) -> Q | None:
    scopes = access.roles_for(user).hr_units
    if not scopes:
        return None
    q = Q()
    for unit in scopes:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q


def conversations_listed_for_hr(user: User) -> QuerySet[Conversation]:
    """The LUS whose existence, people, dates and state HR may see (never the text)."""
    scope = _hr_scope(user, "leader__unit")
    return Conversation.objects.filter(scope) if scope is not None else Conversation.objects.none()


def rounds_managed_by(user: User) -> QuerySet[Round]:
    """Rounds HR may edit and follow person by person: the round's scope within HR's scope."""
    scope = _hr_scope(user, "scope")
    return Round.objects.filter(scope) if scope is not None else Round.objects.none()


def rounds_scope_allowed(*, user: User, scope) -> bool:
    """Whether `scope` lies within one of the user's HR scopes (where they may run a round)."""
    if _anonymous(user):
        return False
    return any(scope.path.startswith(unit.path) for unit in access.roles_for(user).hr_units)


def rounds_counted_by(user: User) -> QuerySet[Round]:
    """Rounds whose counts the user may see: HR's and koncernledelse's (their region)."""
    if _anonymous(user):
        return Round.objects.none()
    roles = access.roles_for(user)
    hr = _hr_scope(user, "scope")
    if not roles.koncern_region_ids and hr is None:
        return Round.objects.none()  # a leader or an employee: callers can skip the query (query.is_empty())
    q = Q(region_id__in=roles.koncern_region_ids) if roles.koncern_region_ids else Q(pk__in=[])
    if hr is not None:
        q |= hr
    return Round.objects.filter(q)


def can_create_rounds(user: User) -> bool:
    return access.roles_for(user).is_hr
