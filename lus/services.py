"""Writes of LUS data. Each function checks its own rules and raises ValidationError with a
Danish message; nothing is half-saved (transaction.atomic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.audit.models import AuditEntry, audit_object_type
from ledelse.audit.services import audit_entries_remove_for_objects, audit_entry_build, audit_record_many
from ledelse.models import Person, Unit
from ledelse.services import model_update
from lus.models import (
    Agreement,
    AuditPart,
    Conversation,
    FollowUp,
    Preparation,
    Rating,
    RecordRevision,
    Round,
    Share,
)
from lus.selectors import audit_trail_by_conversation, leaders_with_partners
from values.models import FrameworkVersion, Item

MIN_TOPICS, MAX_TOPICS = 2, 3
MAX_FOLLOWUPS = 2


# --- Rounds -------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    user: AbstractBaseUser,
    name: str,
    scope: Unit,
    framework_version: FrameworkVersion,
    period_start: date,
    period_end: date,
    preparation_opens: date,
    held_by: date,
    confirmed_by: date,
    questions: list[str],
    time_categories: list[str],
) -> Round:
    """A round for `scope`; its common items start as the version's themes (HR changes them)."""
    round = Round.objects.create(
        name=name,
        region_id=scope.region_id,
        scope=scope,
        framework_version=framework_version,
        period_start=period_start,
        period_end=period_end,
        preparation_opens=preparation_opens,
        held_by=held_by,
        confirmed_by=confirmed_by,
        questions=questions,
        time_categories=time_categories,
        created_by=user,
    )
    round.common_items.set(Item.objects.filter(version=framework_version, kind=Item.Kind.THEME))
    return round


@transaction.atomic
def round_update(*, round: Round, **fields: object) -> Round:
    model_update(instance=round, data=fields)
    round.save()
    return round


def round_common_items_set(*, round: Round, items: list[Item]) -> None:
    if any(i.version_id != round.framework_version_id for i in items):
        raise ValidationError(_("Choose themes and principles of the round's framework."))
    round.common_items.set(items)


@transaction.atomic
def round_conversations_create(*, round: Round) -> int:
    """One LUS per leader in the scope who has none in the round yet, with their own leader
    as partner. Creating again adds only what is missing. Returns how many were made."""
    existing = set(round.conversations.values_list("leader_id", flat=True))
    new = [
        Conversation(round=round, leader=leader, partner=partner)
        for leader, partner in leaders_with_partners(scope=round.scope)
        if leader.pk not in existing
    ]
    made = Conversation.objects.bulk_create(new, ignore_conflicts=True)
    return len(made)


@transaction.atomic
def conversation_partner_set(*, conversation: Conversation, partner: Person) -> None:
    """HR changes the partner. The old partner's preparation goes (it was theirs alone)."""
    if partner.pk == conversation.leader_id:
        raise ValidationError(_("The conversation partner cannot be the leader themself."))
    if partner.user_id is None:
        raise ValidationError(_("The conversation partner must have an account."))
    if conversation.state in (Conversation.State.HELD, Conversation.State.CONFIRMED):
        raise ValidationError(_("The conversation has been held: the partner can no longer be changed."))
    if partner.pk != conversation.partner_id:
        conversation.preparations.filter(role=Preparation.Role.PARTNER).delete()
        conversation.partner = partner
        conversation.save(update_fields=["partner"])


# --- Preparation ------------------------------------------------------------------------------


def role_of(*, conversation: Conversation, user: AbstractBaseUser) -> str | None:
    if conversation.leader.user_id == user.pk:
        return Preparation.Role.LEADER
    if conversation.partner_id and conversation.partner.user_id == user.pk:
        return Preparation.Role.PARTNER
    return None


def preparation_for(*, conversation: Conversation, role: str) -> Preparation:
    preparation, _created = Preparation.objects.get_or_create(conversation=conversation, role=role)
    return preparation


def _check_open(conversation: Conversation) -> None:
    # Read the lock from the database (and hold it): the caller's copy may be stale.
    fresh = (
        Conversation.objects.select_for_update()
        .only("leader_confirmed_at", "partner_confirmed_at")
        .get(pk=conversation.pk)
    )
    if fresh.is_locked:
        raise ValidationError(_("The record is confirmed and locked."))


@transaction.atomic
def preparation_topics_set(*, preparation: Preparation, items: list[Item]) -> None:
    conversation = preparation.conversation
    _check_open(conversation)
    if not MIN_TOPICS <= len(items) <= MAX_TOPICS:
        raise ValidationError(_("Choose 2 or 3 topics."))
    common = set(conversation.round.common_items.values_list("pk", flat=True))
    if any(i.version_id != conversation.round.framework_version_id or i.pk in common for i in items):
        raise ValidationError(_("Choose topics of the round's framework that are not already in common."))
    preparation.topics.set(items)


def _check_split(split: dict[str, int], categories: list[str]) -> dict[str, int]:
    if not split or not any(split.values()):
        return {}
    if set(split) - set(categories):
        raise ValidationError(_("Unknown leadership time category."))
    if any(v < 0 or v > 100 for v in split.values()) or sum(split.values()) != 100:
        raise ValidationError(_("The leadership time must add up to 100 %."))
    return split


@transaction.atomic
def preparation_save(
    *,
    preparation: Preparation,
    ratings: dict[int, tuple[int | None, str]],
    answers: list[str],
    time_now: dict[str, int] | None = None,
    time_wanted: dict[str, int] | None = None,
    required_item_ids: set[int],
) -> Preparation:
    """Save ratings (item id -> (score or None, note)), answers and the leader's time split.
    The preparation counts as prepared when every required item has a score."""
    conversation = preparation.conversation
    _check_open(conversation)
    for score, _note in ratings.values():
        if score is not None and not 1 <= score <= 5:
            raise ValidationError(_("A rating must be from 1 to 5."))
    categories = conversation.round.time_categories
    if preparation.role == Preparation.Role.LEADER:
        preparation.time_now = _check_split(time_now or {}, categories)
        preparation.time_wanted = _check_split(time_wanted or {}, categories)
    preparation.answers = answers
    preparation.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(preparation=preparation, item_id=item_id, score=score, note=note)
        for item_id, (score, note) in ratings.items()
        if score is not None
    )
    rated = {item_id for item_id, (score, _n) in ratings.items() if score is not None}
    preparation.prepared_at = (preparation.prepared_at or timezone.now()) if required_item_ids <= rated else None
    preparation.save()
    if (
        preparation.role == Preparation.Role.LEADER
        and preparation.prepared_at
        and conversation.state == Conversation.State.NOT_STARTED
    ):
        Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.PREPARED)
    return preparation


def preparation_share(*, preparation: Preparation) -> None:
    if preparation.shared_at is None:
        preparation.shared_at = timezone.now()
        preparation.save(update_fields=["shared_at"])


# --- Booking ------------------------------------------------------------------------------------


@transaction.atomic
def conversation_book(*, conversation: Conversation, starts_at: datetime, location: str) -> None:
    round = conversation.round
    day = timezone.localtime(starts_at).date() if timezone.is_aware(starts_at) else starts_at.date()
    if not round.period_start <= day <= round.period_end:
        raise ValidationError(
            _("The conversation must be within the round (%(start)s–%(end)s).")
            % {"start": round.period_start.strftime("%d.%m.%Y"), "end": round.period_end.strftime("%d.%m.%Y")}
        )
    if conversation.starts_at != starts_at:
        conversation.booking_sequence += 1 if conversation.starts_at else 0
    conversation.starts_at = starts_at
    conversation.location = location
    conversation.save(update_fields=["starts_at", "location", "booking_sequence"])


# --- Record ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementData:
    what: str
    due_on: date
    how: str = ""
    support: str = ""
    principle: Item | None = None
    id: int | None = None


@transaction.atomic
def record_save(*, conversation: Conversation, notes: str, agreements: list[AgreementData]) -> None:
    """Save the notes and agreements. A locked record is not edited: it gets a revision
    (record_revise). Any change clears confirmations already given."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _check_open(conversation)
    keep = {a.id for a in agreements if a.id}
    conversation.agreements.exclude(pk__in=keep).delete()
    existing = {a.pk: a for a in conversation.agreements.all()}
    for position, data in enumerate(agreements):
        agreement = existing.get(data.id) if data.id else None
        if agreement is None:
            agreement = Agreement(conversation=conversation)
        agreement.position = position
        agreement.what, agreement.how, agreement.due_on = data.what, data.how, data.due_on
        agreement.support, agreement.principle = data.support, data.principle
        agreement.save()
    conversation.notes = notes
    conversation.leader_confirmed_at = conversation.partner_confirmed_at = None
    if conversation.state in (Conversation.State.NOT_STARTED, Conversation.State.PREPARED):
        conversation.state = Conversation.State.HELD
    if conversation.held_on is None:
        conversation.held_on = (
            timezone.localtime(conversation.starts_at).date() if conversation.starts_at else timezone.localdate()
        )
    conversation.save()


@transaction.atomic
def record_confirm(*, conversation: Conversation, role: str) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _check_open(conversation)
    if conversation.state not in (Conversation.State.HELD,) or not conversation.agreements.exists():
        raise ValidationError(_("A record can only be confirmed when it has at least one agreement."))
    now = timezone.now()
    if role == Preparation.Role.LEADER:
        conversation.leader_confirmed_at = conversation.leader_confirmed_at or now
    else:
        conversation.partner_confirmed_at = conversation.partner_confirmed_at or now
    if conversation.is_locked:
        conversation.state = Conversation.State.CONFIRMED
    conversation.save()
    return conversation


def record_snapshot(*, conversation: Conversation) -> dict:
    return {
        "revision": conversation.revision,
        "notes": conversation.notes,
        "leader_confirmed_at": conversation.leader_confirmed_at.isoformat()
        if conversation.leader_confirmed_at
        else None,
        "partner_confirmed_at": conversation.partner_confirmed_at.isoformat()
        if conversation.partner_confirmed_at
        else None,
        "agreements": [
            {
                "what": a.what,
                "how": a.how,
                "due_on": a.due_on.isoformat(),
                "support": a.support,
                "principle": a.principle.title if a.principle_id else "",
            }
            for a in conversation.agreements.select_related("principle")
        ],
    }


@transaction.atomic
def record_revise(*, conversation: Conversation, user: AbstractBaseUser) -> Conversation:
    """Open a locked record for a change: the confirmed text is kept as a visible revision,
    and the new one needs both confirmations again."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not conversation.is_locked:
        raise ValidationError(_("Only a confirmed record gets a new revision."))
    RecordRevision.objects.create(
        conversation=conversation,
        number=conversation.revision,
        snapshot=record_snapshot(conversation=conversation),
        created_by=user,
    )
    conversation.revision += 1
    conversation.leader_confirmed_at = conversation.partner_confirmed_at = None
    conversation.state = Conversation.State.HELD
    conversation.save()
    return conversation


# --- Follow-up --------------------------------------------------------------------------------


def followup_add(*, agreement: Agreement, date: date) -> FollowUp:
    if agreement.followups.count() >= MAX_FOLLOWUPS:
        raise ValidationError(_("An agreement has at most two follow-up talks."))
    return FollowUp.objects.create(agreement=agreement, date=date)


def followup_update(*, followup: FollowUp, date: date, status: str, note: str) -> FollowUp:
    if status not in FollowUp.Status.values:
        raise ValidationError(_("Unknown status."))
    if followup.date != date:
        followup.sequence += 1
    followup.date, followup.status, followup.note = date, status, note
    followup.save()
    return followup


# --- Sharing ----------------------------------------------------------------------------------


@transaction.atomic
def share_add(*, conversation: Conversation, who: str) -> Share:
    """Share read-only with a person in the organisation, found by user name or e-mail."""
    who = who.strip()
    person = (
        Person.objects.select_related("unit")
        .filter(user__isnull=False)
        .filter(Q(user__username__iexact=who) | Q(email__iexact=who))
        .first()
        if who
        else None
    )
    if person is None or person.unit.region_id != conversation.leader.unit.region_id:
        raise ValidationError(_("No one in the organisation has that user name or e-mail."))
    if person.pk in (conversation.leader_id, conversation.partner_id):
        raise ValidationError(_("The leader and the partner read the LUS already."))
    share, _created = Share.objects.get_or_create(conversation=conversation, person=person, revoked_at=None)
    return share


def share_revoke(*, share: Share) -> None:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])


# --- Audit --------------------------------------------------------------------------------


def conversation_read_log(
    *, user: AbstractBaseUser, conversations: list[Conversation] | Conversation, parts: list[str]
) -> None:
    """One entry in the audit log (ledelse.audit) per LUS and part read (one query)."""
    if isinstance(conversations, Conversation):
        conversations = [conversations]
    audit_record_many(
        entries=(
            audit_entry_build(action=AuditEntry.Action.READ, actor=user, obj=c, detail=part)
            for c in conversations
            for part in parts
        )
    )


def conversation_change_log(*, user: AbstractBaseUser, conversation: Conversation, part: str) -> None:
    """One entry in the audit log for a change of one part of a LUS."""
    audit_record_many(
        entries=[audit_entry_build(action=AuditEntry.Action.CHANGE, actor=user, obj=conversation, detail=part)]
    )


# --- Retention and export -------------------------------------------------------------------------


@dataclass
class RetentionReport:
    cutoff: date
    dry_run: bool
    conversations: list[tuple[int, str, str]] = field(default_factory=list)  # (pk, round, period end)

    @property
    def count(self) -> int:
        return len(self.conversations)


def retention_run(*, today: date | None = None, years: int | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete every LUS (content, agreements, audit rows) whose round ended more than
    `years` (settings.LUS_RETENTION_YEARS, default 5) ago. The dry run reports the same
    list and deletes nothing. Reports ids and round names only, never content."""
    today = today or timezone.localdate()
    years = years if years is not None else getattr(settings, "LUS_RETENTION_YEARS", 5)
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    old = Conversation.objects.filter(round__period_end__lt=cutoff).select_related("round").order_by("pk")
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    report.conversations = [(c.pk, c.round.name, c.round.period_end.isoformat()) for c in old]
    if dry_run or not report.conversations:
        return report
    with transaction.atomic():
        ids = [pk for pk, _r, _e in report.conversations]
        # The audit log keeps a LUS's entries as long as the LUS: they go with it.
        audit_entries_remove_for_objects(object_type=audit_object_type(Conversation), object_ids=ids)
        Conversation.objects.filter(pk__in=ids).delete()
    return report


def export_for_leader(*, user: AbstractBaseUser) -> dict:
    """Everything stored about the user's own LUS, including who read it. The export is
    itself a read, written to the audit log."""
    conversations = list(
        Conversation.objects.filter(leader__user=user)
        .select_related("round", "partner")
        .prefetch_related(
            "preparations__ratings__item",
            "preparations__topics",
            "agreements__followups",
            "agreements__principle",
            "revisions",
            "shares__person",
        )
    )
    trail = audit_trail_by_conversation(conversations=conversations)
    data = {"exported_at": timezone.now().isoformat(), "conversations": []}
    for c in conversations:
        data["conversations"].append(
            {
                "id": c.pk,
                "round": c.round.name,
                "period": [c.round.period_start.isoformat(), c.round.period_end.isoformat()],
                "partner": c.partner.name if c.partner else None,
                "state": c.state,
                "starts_at": c.starts_at.isoformat() if c.starts_at else None,
                "location": c.location,
                "notes": c.notes,
                "revision": c.revision,
                "preparations": [
                    {
                        "role": p.role,
                        "topics": [t.title for t in p.topics.all()],
                        "answers": p.answers,
                        "time_now": p.time_now,
                        "time_wanted": p.time_wanted,
                        "shared_at": p.shared_at.isoformat() if p.shared_at else None,
                        "ratings": [{"item": r.item.title, "score": r.score, "note": r.note} for r in p.ratings.all()],
                    }
                    for p in c.preparations.all()
                    # The partner's unshared notes are theirs, not the leader's.
                    if p.role == Preparation.Role.LEADER or p.shared_at
                ],
                "agreements": [
                    {
                        "what": a.what,
                        "how": a.how,
                        "due_on": a.due_on.isoformat(),
                        "support": a.support,
                        "principle": a.principle.title if a.principle_id else "",
                        "followups": [
                            {"date": f.date.isoformat(), "status": f.status, "note": f.note} for f in a.followups.all()
                        ],
                    }
                    for a in c.agreements.all()
                ],
                "revisions": [r.snapshot for r in c.revisions.all()],
                "shared_with": [
                    {
                        "name": s.person.name,
                        "from": s.created_at.isoformat(),
                        "revoked": s.revoked_at and s.revoked_at.isoformat(),
                    }
                    for s in c.shares.all()
                ],
                "read_by": [
                    {"reader": e.who, "part": e.part, "at": e.at.isoformat()} for e in trail[c.pk] if not e.changed
                ],
                "changed_by": [
                    {"who": e.who, "part": e.part, "at": e.at.isoformat()} for e in trail[c.pk] if e.changed
                ],
            }
        )
    conversation_read_log(user=user, conversations=conversations, parts=[AuditPart.EXPORT])
    return data
