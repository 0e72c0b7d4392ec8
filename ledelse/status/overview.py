"""Mit overblik: what waits for the signed-in person across the product, for the front page.

It reaches the plans (and LUS) through their own access rules and selectors; the
organisation core does not know them. A fixed number of queries whatever the person has
waiting: each list is one query, read up to CAP items (the count says how many there are,
or "50+" when there are more than CAP); LIMIT of them are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues import access as plan_access
from dialogues.definitions import OPEN_ACTIVITY_STATUSES, activity_open_q, activity_overdue_q, plan_open_q
from dialogues.models import Activity, Plan, Rollout
from dialogues.selectors import own_unit_plan
from ledelse import access as org_access
from ledelse.models import Person
from ledelse.notifications.models import Reminder
from ledelse.notifications.selectors import notifications_for_user
from ledelse.status import access
from ledelse.status.access import AnyUser
from ledelse.status.keyfigures import KeyFigures, koncern_key_figures
from ledelse.status.taking_part import TakingPart, taking_part_for
from lus import access as lus_access
from lus.models import Agreement, Conversation, FollowUp, Round
from lus.selectors import conversation_overdue_q

LIMIT = 5
# Each list is counted up to this; beyond it the count says "50+" rather than a false total.
CAP = 50
# Activities due within this many days are listed (overdue ones always).
DUE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    note: str = ""  # e.g. the unit
    due_on: date | None = None
    overdue: bool = False


@dataclass
class Group:
    """One list on the overview: its items (at most LIMIT) and how many there are (at
    least, when `capped`)."""

    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    count: int = 0
    more_url: str = ""
    capped: bool = False

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)


@dataclass(frozen=True)
class OwnPlan:
    """The leader's own unit's plan at a glance (or the rollout that asks for one)."""

    plan: Plan | None
    rollout: Rollout | None
    activities_planned: int = 0
    activities_done: int = 0
    activities_overdue: int = 0
    next_activity_on: date | None = None


@dataclass
class Overview:
    groups: list[Group]
    own_plan: OwnPlan | None
    status_url: str  # the implementation status, for those who may see it ("" otherwise)
    key_figures: KeyFigures | None = None  # koncernledelse: their scope at a glance
    unread_notifications: int = 0  # all unread notices (the header's count)
    # An employee: their unit's plan, the activities they take part in, their MED seats.
    taking_part: TakingPart | None = None

    @property
    def waiting(self) -> int:
        return sum(g.count for g in self.groups)


def _group(key: str, heading: str, items: list[Item], capped: bool = False, *, more_url: str = "") -> Group:
    return Group(key=key, heading=heading, items=items[:LIMIT], count=len(items), more_url=more_url, capped=capped)


def _capped(queryset, cap: int | None = None) -> tuple[list, bool]:
    """At most `cap` (CAP) rows, and whether there were more (one query: cap + 1 rows read)."""
    cap = cap or CAP
    rows = list(queryset[: cap + 1])
    return rows[:cap], len(rows) > cap


def _activity_url(plan_id: int, activity_id: int) -> str:
    return reverse("dialogues:plan_detail", args=[plan_id]) + f"#aktivitet-{activity_id}"


def _activities(person_id: int, today: date) -> tuple[list[Item], list[Item], bool]:
    """Activities due (or overdue) and follow-ups waiting for what came out, and whether
    there were more than 2 × CAP of them together: one query, of plain rows."""
    due = activity_open_q() & Q(date__lte=today + timedelta(days=DUE_WITHIN_DAYS))
    follow_up = Q(follow_up_on__lte=today, outcome="") & ~Q(status=Activity.Status.AFLYST)
    rows, capped = _capped(
        Activity.objects.filter(due | follow_up, plan_open_q("plan__"), responsible_id=person_id)
        .values_list("id", "title", "date", "status", "follow_up_on", "outcome", "plan_id", "plan__unit__name")
        .order_by("date", "id"),
        2 * CAP,
    )
    due_items, follow_items = [], []
    for pk, title, day, status, follow_up_on, outcome, plan_id, unit_name in rows:
        if status in OPEN_ACTIVITY_STATUSES and day is not None and day <= today + timedelta(days=DUE_WITHIN_DAYS):
            due_items.append(
                Item(title=title, url=_activity_url(plan_id, pk), note=unit_name, due_on=day, overdue=day < today)
            )
        if follow_up_on is not None and follow_up_on <= today and not outcome:
            follow_items.append(
                Item(
                    title=title,
                    url=reverse("dialogues:activity_edit", args=[plan_id, pk]),
                    note=unit_name,
                    due_on=follow_up_on,
                )
            )
    return due_items, follow_items, capped


def _plans_waiting(user: AnyUser) -> tuple[tuple[list[Item], bool], tuple[list[Item], bool]]:
    """The drafts the person owns or co-owns (they edit them: plans_owned_by is within
    plans_editable_by), to finish and submit, and the submitted plans they approve: each
    read up to CAP + 1 in its own order, both in one query (a UNION ALL of the two where the
    database allows LIMIT in its parts)."""
    # Each row's state tells its part (a draft to submit, a submitted plan to approve).
    rows: list[dict[str, Any]] = plan_access.plans_waiting_rows(user, limit=CAP + 1)
    # Each part's own order (a UNION ALL does not promise to keep it); nulls last, as in SQL.
    drafts = sorted(
        (r for r in rows if r["state"] == Plan.State.KLADDE), key=lambda r: (r["rollout__deadline"], r["unit__path"])
    )
    submitted = sorted(
        (r for r in rows if r["state"] == Plan.State.INDSENDT),
        key=lambda r: (r["submitted_at"] is None, r["submitted_at"] or 0),
    )
    submit = [
        Item(
            title=r["unit__name"],
            url=reverse("dialogues:plan_detail", args=[r["id"]]),
            note=r["rollout__title"],
            due_on=r["rollout__deadline"],
        )
        for r in drafts[:CAP]
    ]
    approve = [
        Item(
            title=r["unit__name"],
            url=reverse("dialogues:plan_detail", args=[r["id"]]),
            note=r["rollout__title"],
            due_on=timezone.localdate(r["submitted_at"]) if r["submitted_at"] else None,
        )
        for r in submitted[:CAP]
    ]
    return (submit, len(drafts) > CAP), (approve, len(submitted) > CAP)


# The figures of a plan's activities are the same for every reader of the plan: kept in the
# shared cache under the plan's change stamp (its state, lock_version and updated_at: every
# service that adds, changes or removes an activity or moves the plan raises them,
# dialogues.services._touch / version_bump / plan_transition) and the day (overdue and next
# depend on the calendar). The plan itself is read on every request, through the access rule.
OWN_PLAN_FIGURES_TIMEOUT = 24 * 60 * 60
_OWN_PLAN_FIGURES_SHAPE = 1  # raised when the figures change: a deploy counts afresh


def _own_plan_figures_key(plan: Plan, today: date) -> str:
    return (
        f"status:own-plan-figures:{_OWN_PLAN_FIGURES_SHAPE}:{plan.pk}:{plan.state}:{plan.lock_version}"
        f":{plan.updated_at.timestamp()}:{today.isoformat()}"
    )


def _own_plan_figures(plan: Plan, today: date) -> dict[str, Any]:
    """How many of the plan's activities (all but the cancelled ones) are planned, done and
    overdue, and the next one's date: one query, none when cached."""
    key = _own_plan_figures_key(plan, today)
    figures = cache.get(key)
    if figures is None:
        figures = (
            Activity.objects.filter(plan_id=plan.pk)
            .exclude(status=Activity.Status.AFLYST)
            .aggregate(
                activities_planned=Count("pk"),
                activities_done=Count("pk", filter=Q(status=Activity.Status.GENNEMFOERT)),
                activities_overdue=Count("pk", filter=activity_overdue_q(today=today)),
                next_activity_on=Min("date", filter=activity_open_q() & Q(date__gte=today)),
            )
        )
        cache.set(key, figures, OWN_PLAN_FIGURES_TIMEOUT)
    return figures


def _own_plan(user: AnyUser, today: date) -> OwnPlan | None:
    target = own_unit_plan(user=user)
    if target is None:
        return None
    if isinstance(target, Rollout):
        return OwnPlan(plan=None, rollout=target)
    return OwnPlan(plan=target, rollout=target.rollout, **_own_plan_figures(target, today))


# What a line of "LUS waiting for you" shows (_lus_waiting and the plain-SQL _lus_both).
_LUS_WAITING_FIELDS = (
    "id",
    "state",
    "starts_at",
    "leader_confirmed_at",
    "partner_confirmed_at",
    "round__name",
    "round__held_by",
    "round__confirmed_by",
    "leader__name",
    "leader__user_id",
    "partner__name",
)


def _lus_waiting(user: AnyUser, today: date) -> tuple[list[Item], bool]:
    """LUS the person takes part in that wait for them (to prepare, to hold, to confirm):
    one query. Only the round's name, the other party and dates are shown: the LUS content
    is read (and logged) on the LUS pages only. Plain rows of only what a line shows (not
    the notes, nor the round's questions and categories): cheaper to build than models."""
    rows, capped = _capped(
        lus_access.conversations_writable_by(user)
        .exclude(state=Conversation.State.CONFIRMED)
        .filter(round__preparation_opens__lte=today)
        .values(*_LUS_WAITING_FIELDS)
        .order_by("round__held_by", "pk")
    )
    waiting = []
    for c in rows:
        mine_leads = c["leader__user_id"] == user.pk
        mine_confirmed = c["leader_confirmed_at"] if mine_leads else c["partner_confirmed_at"]
        if c["state"] == Conversation.State.HELD and mine_confirmed:
            continue
        waiting.append(_lus_item(c, mine_leads, today))
    return waiting, capped


def _lus_item(c: dict[str, Any], mine_leads: bool, today: date) -> Item:
    """One line: what waits (confirm, hold, prepare), with whom and by when. `mine_leads`:
    the person is the LUS's leader (the other party is the partner)."""
    other = c["partner__name"] if mine_leads else c["leader__name"]
    if c["state"] == Conversation.State.HELD:
        what, due = _("Confirm the record"), c["round__confirmed_by"]
    elif c["state"] == Conversation.State.PREPARED and c["starts_at"] is not None:
        what, due = _("Hold the conversation"), timezone.localdate(c["starts_at"])
    else:
        what, due = _("Prepare"), c["round__held_by"]
    note = f"{what} · {other}" if other is not None else what
    url = reverse("lus:conversation_detail", args=[c["id"]])
    return Item(title=c["round__name"], url=url, note=note, due_on=due, overdue=due is not None and due < today)


def _lus_agreements(user: AnyUser, today: date) -> tuple[list[Item], bool]:
    """The person's own agreements due or with a follow-up due and no status: one query."""
    followup_due = Exists(FollowUp.objects.filter(agreement_id=OuterRef("pk"), date__lte=today, status=""))
    # Settled: a follow-up says it was reached or dropped (NOT EXISTS rather than an exclude
    # across the follow-ups, which joins them and needs DISTINCT: the same rows, a simpler query).
    settled = Exists(
        FollowUp.objects.filter(
            agreement_id=OuterRef("pk"), status__in=[FollowUp.Status.REACHED, FollowUp.Status.DROPPED]
        )
    )
    agreements, capped = _capped(
        Agreement.objects.filter(
            # The LUS about the person (they are its leader): their own agreements.
            conversation__in=lus_access.conversations_owned_by(user),
            conversation__state=Conversation.State.CONFIRMED,
        )
        .filter(followup_due | Q(due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS)))
        .filter(~settled)
        .values_list("conversation_id", "due_on", "conversation__round__name")
        .order_by("due_on", "pk")
    )
    follow = [
        Item(
            title=round_name,
            url=reverse("lus:conversation_detail", args=[conversation_id]),
            note=_("An agreement from your LUS"),
            due_on=due_on,
            overdue=due_on < today,
        )
        for conversation_id, due_on, round_name in agreements
    ]
    return follow, capped


def _lus_both(user: AnyUser, person_id: int, today: date) -> tuple[tuple[list[Item], bool], tuple[list[Item], bool]]:
    """`_lus_waiting` and `_lus_agreements` (the same rows, items and caps) in ONE plain-SQL
    query, a UNION ALL of the two, each part limited in its own order. The rules are the
    LUS access rules for the person: they take part as leader or partner
    (lus.access.conversations_writable_by) and own the LUS they are the leader of
    (conversations_owned_by). Plain SQL: the two ORM querysets cost more to build than to
    run on every front page. Elsewhere than PostgreSQL, the two functions themselves.
    tests/status/test_overview_lus_rows.py holds it to them."""
    if connection.vendor != "postgresql":
        return _lus_waiting(user, today), _lus_agreements(user, today)
    conversation, round_, people = Conversation._meta.db_table, Round._meta.db_table, Person._meta.db_table
    agreement, follow_up = Agreement._meta.db_table, FollowUp._meta.db_table
    sql = (
        "(SELECT 0, c.id, c.state, c.starts_at, c.leader_confirmed_at, c.partner_confirmed_at,"
        " r.name, r.held_by, r.confirmed_by, l.name, l.user_id, pa.name, NULL::date, NULL::bigint"
        f" FROM {conversation} c JOIN {round_} r ON r.id = c.round_id JOIN {people} l ON l.id = c.leader_id"
        f" LEFT JOIN {people} pa ON pa.id = c.partner_id"
        " WHERE (c.leader_id = %s OR c.partner_id = %s) AND c.state <> %s AND r.preparation_opens <= %s"
        " ORDER BY r.held_by, c.id LIMIT %s)"
        " UNION ALL (SELECT 1, a.conversation_id, NULL, NULL, NULL, NULL, r.name, NULL, NULL, NULL, NULL, NULL, a.due_on, a.id"
        f" FROM {agreement} a JOIN {conversation} c ON c.id = a.conversation_id JOIN {round_} r ON r.id = c.round_id"
        " WHERE c.leader_id = %s AND c.state = %s"
        f" AND (EXISTS (SELECT 1 FROM {follow_up} f WHERE f.agreement_id = a.id AND f.date <= %s AND f.status = '')"
        " OR a.due_on <= %s)"
        f" AND NOT EXISTS (SELECT 1 FROM {follow_up} f WHERE f.agreement_id = a.id AND f.status IN (%s, %s))"
        " ORDER BY a.due_on, a.id LIMIT %s)"
    )
    confirmed = Conversation.State.CONFIRMED.value
    params: list[int | str | date] = [
        person_id, person_id, confirmed, today, CAP + 1,
        person_id, confirmed, today, today + timedelta(days=DUE_WITHIN_DAYS),
        FollowUp.Status.REACHED.value, FollowUp.Status.DROPPED.value, CAP + 1,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Each part's own order (a UNION ALL does not promise to keep it), as the parts read it.
    conversations = sorted(
        (dict(zip(_LUS_WAITING_FIELDS, r[1:12], strict=True)) for r in rows if r[0] == 0),
        key=lambda c: (c["round__held_by"], c["id"]),
    )
    waiting = []
    for c in conversations[:CAP]:
        mine_leads = c["leader__user_id"] == user.pk
        mine_confirmed = c["leader_confirmed_at"] if mine_leads else c["partner_confirmed_at"]
        if c["state"] == Conversation.State.HELD and mine_confirmed:
            continue
        waiting.append(_lus_item(c, mine_leads, today))
    agreements = sorted((r for r in rows if r[0] == 1), key=lambda r: (r[12], r[13]))
    follow = [
        Item(
            title=r[6],
            url=reverse("lus:conversation_detail", args=[r[1]]),
            note=_("An agreement from your LUS"),
            due_on=r[12],
            overdue=r[12] < today,
        )
        for r in agreements[:CAP]
    ]
    return (waiting, len(conversations) > CAP), (follow, len(agreements) > CAP)


def _for_hr(user: AnyUser, today: date) -> tuple[list[Item], bool]:
    """What waits for HR: in the current LUS rounds HR manages, the LUS without a
    conversation partner and the LUS behind (HR follows them person by person). One query."""
    rows, capped = _capped(
        lus_access.conversations_listed_for_hr(user)
        .filter(round__in=lus_access.rounds_managed_by(user), round__period_end__gte=today)
        .values("round_id", "round__name", "round__held_by")
        .annotate(
            no_partner=Count("pk", filter=Q(partner__isnull=True)),
            behind=Count("pk", filter=conversation_overdue_q(today=today)),
        )
        .filter(Q(no_partner__gt=0) | Q(behind__gt=0))
        .order_by("round__held_by", "round_id")
    )
    items = []
    for r in rows:
        parts = []
        if r["no_partner"]:
            parts.append(_("%(n)s LUS without a conversation partner") % {"n": r["no_partner"]})
        if r["behind"]:
            parts.append(_("%(n)s LUS behind") % {"n": r["behind"]})
        url = reverse("lus:round_detail", args=[r["round_id"]])
        items.append(Item(title=r["round__name"], url=url, note=" · ".join(parts), due_on=r["round__held_by"]))
    return items, capped


def overview_for(*, user: AnyUser, today: date | None = None) -> Overview | None:
    """What waits for the user; None for an account without a person."""
    roles = org_access.roles_for(user)
    person = roles.person
    if person is None:
        return None
    today = today or timezone.localdate()
    due, follow_ups, activities_capped = _activities(person.pk, today)
    # The newest unread notices and, in the same query, how many are unread (the header's count).
    # Plain rows of what a line shows (the link is the notice's own open_url).
    unread = list(
        notifications_for_user(user=user)
        .filter(read_at__isnull=True)
        .annotate(unread_total=Window(Count("id")))
        .values_list("id", "title", "due_on", "unread_total")[: LIMIT + 1]
    )
    to_submit, to_approve = _plans_waiting(user)
    lus_waiting, lus_agreements = _lus_both(user, person.pk, today)
    groups = [
        _group("activities-overdue", _("Overdue activities"), [i for i in due if i.overdue], capped=activities_capped),
        _group("activities", _("Activities due"), [i for i in due if not i.overdue], capped=activities_capped),
        _group("submit", _("Plans to finish and submit"), *to_submit),
        _group("approve", _("Plans waiting for your approval"), *to_approve),
        _group("follow-up", _("Activities to follow up"), follow_ups, capped=activities_capped),
        _group("lus", _("LUS waiting for you"), *lus_waiting, more_url=reverse("lus:overview")),
        _group("lus-agreements", _("LUS agreements to follow up"), *lus_agreements),
    ]
    if roles.is_hr:
        groups.append(_group("hr", _("Waiting for HR"), *_for_hr(user, today), more_url=reverse("lus:round_list")))
    groups.append(
        _group(
            "notifications",
            _("Unread notifications"),
            [
                Item(title=title, url=Reminder(pk=pk).open_url, due_on=due_on)
                for pk, title, due_on, _n in unread[:LIMIT]
            ],
            more_url=reverse("notifications:list"),
            capped=len(unread) > LIMIT,
        )
    )
    key_figures = koncern_key_figures(user=user, today=today) if roles.koncern_region_ids else None
    return Overview(
        groups=groups,
        own_plan=_own_plan(user, today) if person.is_leader and key_figures is None else None,
        status_url=reverse("status:page") if access.can_see_status(user) else "",
        key_figures=key_figures,
        unread_notifications=unread[0][3] if unread else 0,
        taking_part=taking_part_for(user=user, roles=roles, today=today),
    )
