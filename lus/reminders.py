"""LUS reminder rules for the shared mechanism (ledelse.notifications), registered in
lus/apps.py. Each yields Dues in bounded batches; the claim makes each one go out once.

A reminder says only that something waits, with a link: its title names the other person
and one of the fixed lines in lus/notices.py ("LUS med Lars Thomsen: din forberedelse er
åben"), never anything from the LUS itself (not even the round's name).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from ledelse.notifications.registry import dues_for_each
from ledelse.notifications.services import Due
from lus.models import Agreement, Conversation, FollowUp, Preparation
from lus.notices import KIND, Event, notice_title, other_party

CHUNK = 500
SOON = timedelta(days=7)
CONFIRM_AFTER = timedelta(days=14)
ESCALATE_AFTER = timedelta(days=14)
# Agreements and follow-ups further back than this are not reminded of (e.g. on the first
# sweep after an import of old data).
LOOKBACK = timedelta(days=30)

OPEN = Q(state__in=[Conversation.State.NOT_STARTED, Conversation.State.PREPARED])


def _prepared(role: str) -> Exists:
    return Exists(Preparation.objects.filter(conversation=OuterRef("pk"), role=role, prepared_at__isnull=False))


def with_preparation_state(qs):
    return qs.annotate(
        leader_prepared=_prepared(Preparation.Role.LEADER), partner_prepared=_prepared(Preparation.Role.PARTNER)
    ).select_related("leader", "partner")


def unprepared_parties(c: Conversation) -> Iterator[tuple[str, int]]:
    if not c.leader_prepared and c.leader.user_id:
        yield Preparation.Role.LEADER, c.leader.user_id
    if c.partner_id and not c.partner_prepared and c.partner.user_id:
        yield Preparation.Role.PARTNER, c.partner.user_id


def preparation_open(*, today: date) -> Iterator[Due]:
    """Preparation is open: each party who has not prepared hears it once."""
    qs = with_preparation_state(
        Conversation.objects.filter(OPEN, round__preparation_opens__lte=today, round__held_by__gte=today)
    ).select_related("round")

    def _dues(c) -> Iterator[Due]:
        for role, user_id in unprepared_parties(c):
            yield Due(
                recipient_id=user_id,
                kind=KIND,
                target=c,
                due_on=c.round.preparation_opens,
                key=f"prep-open-{role}",
                title=notice_title(about=other_party(c, role), event=Event.PREPARATION_OPEN),
                url=reverse("lus:preparation_edit", args=[c.pk]),
            )

    yield from dues_for_each(qs.iterator(chunk_size=CHUNK), _dues, rule="lus.preparation_open")


def conversation_soon(*, today: date) -> Iterator[Due]:
    """The conversation is in 7 days or less and a party has not prepared (again after a
    new booking)."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    qs = with_preparation_state(
        Conversation.objects.filter(OPEN, starts_at__gte=start, starts_at__lt=start + SOON + timedelta(days=1))
    )

    def _dues(c) -> Iterator[Due]:
        day = timezone.localtime(c.starts_at).date()
        if day - today > SOON:
            return
        for role, user_id in unprepared_parties(c):
            yield Due(
                recipient_id=user_id,
                kind=KIND,
                target=c,
                due_on=day - SOON,
                key=f"prep-due-{role}-{c.booking_sequence}",
                title=notice_title(about=other_party(c, role), event=Event.COMING_UP),
                url=reverse("lus:preparation_edit", args=[c.pk]),
            )

    yield from dues_for_each(qs.iterator(chunk_size=CHUNK), _dues, rule="lus.conversation_soon")


def confirmation_overdue(*, today: date) -> Iterator[Due]:
    """Agreements not confirmed 14 days after the conversation: whoever has not confirmed."""
    qs = Conversation.objects.filter(state=Conversation.State.HELD, held_on__lte=today - CONFIRM_AFTER).select_related(
        "leader", "partner"
    )

    def _dues(c) -> Iterator[Due]:
        parties = [(Preparation.Role.LEADER, c.leader, c.leader_confirmed_at)]
        if c.partner_id:
            parties.append((Preparation.Role.PARTNER, c.partner, c.partner_confirmed_at))
        for role, person, confirmed in parties:
            if confirmed is None and person.user_id:
                yield Due(
                    recipient_id=person.user_id,
                    kind=KIND,
                    target=c,
                    due_on=c.held_on + CONFIRM_AFTER,
                    key=f"confirm-{role}-{c.revision}",
                    title=notice_title(about=other_party(c, role), event=Event.CONFIRM_OVERDUE),
                    url=reverse("lus:conversation_detail", args=[c.pk]),
                )

    yield from dues_for_each(qs.iterator(chunk_size=CHUNK), _dues, rule="lus.confirmation_overdue")


def agreements_due(*, today: date) -> Iterator[Due]:
    """An agreement's date has come (the leader), and 14 days later with still no status
    (no follow-up with a status) it is escalated to the partner; a follow-up talk's date has
    come (both)."""
    with_status = FollowUp.objects.filter(agreement=OuterRef("pk")).exclude(status="")
    agreements = (
        Agreement.objects.filter(due_on__lte=today, due_on__gte=today - LOOKBACK - ESCALATE_AFTER)
        .exclude(Exists(with_status))
        .select_related("conversation__leader", "conversation__partner")
    )

    def _dues(a) -> Iterator[Due]:
        c = a.conversation
        url = reverse("lus:conversation_detail", args=[c.pk])
        if c.leader.user_id and a.due_on >= today - LOOKBACK:
            yield Due(
                recipient_id=c.leader.user_id,
                kind=KIND,
                target=c,
                due_on=a.due_on,
                key=f"agreement-{a.pk}",
                title=notice_title(about=c.partner, event=Event.AGREEMENT_DUE),
                url=url,
            )
        if c.partner_id and c.partner.user_id and a.due_on + ESCALATE_AFTER <= today:
            yield Due(
                recipient_id=c.partner.user_id,
                kind=KIND,
                target=c,
                due_on=a.due_on + ESCALATE_AFTER,
                key=f"agreement-escalated-{a.pk}",
                title=notice_title(about=c.leader, event=Event.AGREEMENT_ESCALATED),
                url=url,
            )

    yield from dues_for_each(agreements.iterator(chunk_size=CHUNK), _dues, rule="lus.agreements_due")
    followups = FollowUp.objects.filter(date__lte=today, date__gte=today - LOOKBACK, status="").select_related(
        "agreement__conversation__leader", "agreement__conversation__partner"
    )

    def _followup_dues(f) -> Iterator[Due]:
        c = f.agreement.conversation
        for person, other in ((c.leader, c.partner), (c.partner, c.leader)):
            if person is not None and person.user_id:
                yield Due(
                    recipient_id=person.user_id,
                    kind=KIND,
                    target=c,
                    due_on=f.date,
                    key=f"followup-{f.pk}-{f.sequence}",
                    title=notice_title(about=other, event=Event.FOLLOWUP_DUE),
                    url=reverse("lus:conversation_detail", args=[c.pk]),
                )

    yield from dues_for_each(followups.iterator(chunk_size=CHUNK), _followup_dues, rule="lus.agreements_due")


RULES = {
    "lus.preparation_open": preparation_open,
    "lus.conversation_soon": conversation_soon,
    "lus.confirmation_overdue": confirmation_overdue,
    "lus.agreements_due": agreements_due,
}
