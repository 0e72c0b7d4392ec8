"""Writes of LUS data. Each function checks its own rules and raises ValidationError with a
Danish message; nothing is half-saved (transaction.atomic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.audit.models import AuditEntry, audit_object_type
from ledelse.audit.services import audit_entries_remove_for_objects, audit_entry_build, audit_record_many
from ledelse.concurrency.versions import Seen, seen_token, version_check, version_require
from ledelse.dates import long_date
from ledelse.models import Person, Unit
from ledelse.notifications.services import Due, reminders_claim
from ledelse.services import model_update
from lus import access, calendar, notices
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
from lus.reminders import unprepared_parties, with_preparation_state
from lus.selectors import (
    audit_trail_by_conversation,
    leaders_with_partners,
    partner_candidates,
    preparations_visible_to,
)
from values.models import FrameworkVersion, Item

MIN_TOPICS, MAX_TOPICS = 2, 3
MAX_FOLLOWUPS = 2
MAX_AGREEMENTS = 20
MIN_DURATION, MAX_DURATION = 15, 8 * 60


# --- Rounds -------------------------------------------------------------------------------------


ROUND_FIELDS = (
    "name",
    "period_start",
    "period_end",
    "preparation_opens",
    "held_by",
    "confirmed_by",
    "questions",
    "time_categories",
)


def _date(d: date) -> str:
    return long_date(d)


def _check_round_dates(r: Round) -> dict[str, str]:
    errors: dict[str, str] = {}
    if r.period_start > r.period_end:
        errors["period_end"] = _("“Period to” (%(end)s) must be on or after “Period from” (%(start)s).") % {
            "end": _date(r.period_end),
            "start": _date(r.period_start),
        }
    if r.preparation_opens > r.held_by:
        errors["preparation_opens"] = _(
            "“Preparation opens” (%(opens)s) must be on or before “Conversations held by” (%(held)s)."
        ) % {"opens": _date(r.preparation_opens), "held": _date(r.held_by)}
    if not r.period_start <= r.held_by <= r.period_end:
        errors["held_by"] = _("“Conversations held by” (%(held)s) must be within the period, %(start)s–%(end)s.") % {
            "held": _date(r.held_by),
            "start": _date(r.period_start),
            "end": _date(r.period_end),
        }
    if r.held_by > r.confirmed_by:
        errors["confirmed_by"] = _(
            "“Agreements confirmed by” (%(confirmed)s) must be on or after “Conversations held by” (%(held)s)."
        ) % {"confirmed": _date(r.confirmed_by), "held": _date(r.held_by)}
    return errors


def round_check(*, lus_round: Round, user: AbstractBaseUser) -> None:
    """Every rule of a round, in one place (create and update): the dates in order with the
    conversations inside the period, a framework of the scope's region, a scope within the
    user's HR scope, at least one question. Raises one ValidationError by field."""
    from lus.access import rounds_scope_allowed

    errors = _check_round_dates(lus_round)
    if lus_round.framework_version.framework.region_id != lus_round.scope.region_id:
        errors["framework_version"] = _("Choose a framework of the scope's region.")
    if not rounds_scope_allowed(user=user, scope=lus_round.scope):
        errors["scope"] = _("Choose a unit within your HR scope.")
    if not [q for q in lus_round.questions if str(q).strip()]:
        errors["questions"] = _("Write at least one question.")
    if errors:
        raise ValidationError(errors)


def _default_time_categories(version: FrameworkVersion) -> list[str]:
    return list(
        Item.objects.filter(version=version, kind=Item.Kind.THEME).order_by("position").values_list("title", flat=True)
    )


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
    common_items: list[Item] | None = None,
) -> Round:
    """A round for `scope`; its common items are the given ones, else the version's themes.
    Empty time categories: the framework's themes."""
    lus_round = Round(
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
        time_categories=time_categories or _default_time_categories(framework_version),
        created_by=user,
    )
    round_check(lus_round=lus_round, user=user)
    lus_round.save()
    if common_items is None:
        lus_round.common_items.set(Item.objects.filter(version=framework_version, kind=Item.Kind.THEME))
    else:
        round_common_items_set(lus_round=lus_round, items=common_items)
    return lus_round


def round_values(*, lus_round: Round) -> dict:
    """The round as its edit form shows it: what ledelse.concurrency compares."""
    values = {name: getattr(lus_round, name) for name in ROUND_FIELDS}
    values["common_items"] = set(lus_round.common_items.all())
    return values


def round_seen_token(*, lus_round: Round) -> str:
    return seen_token(number=lus_round.lock_version, values=round_values(lus_round=lus_round))


@transaction.atomic
def round_update(
    *,
    lus_round: Round,
    user: AbstractBaseUser,
    common_items: list[Item] | None = None,
    version: Seen | None = None,
    **fields: object,
) -> Round:
    """Change a round's name, dates, questions, time categories and (given) its common items
    (not its scope or framework: the LUS are made for them); the same rules as
    round_create. `version` is what the form was loaded from: a save over someone else's
    newer change raises VersionConflict (ledelse.concurrency)."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"round_update does not change {sorted(unknown)}")
    lus_round = Round.objects.select_for_update().get(pk=lus_round.pk)
    yours = dict(fields) | ({"common_items": set(common_items)} if common_items is not None else {})
    version_check(seen=version, number=lus_round.lock_version, theirs=round_values(lus_round=lus_round), yours=yours)
    model_update(instance=lus_round, data=fields)
    if not lus_round.time_categories:
        lus_round.time_categories = _default_time_categories(lus_round.framework_version)
    round_check(lus_round=lus_round, user=user)
    lus_round.lock_version += 1
    lus_round.save()
    if common_items is not None:
        round_common_items_set(lus_round=lus_round, items=common_items)
    return lus_round


def round_common_items_set(*, lus_round: Round, items: list[Item]) -> None:
    if any(i.version_id != lus_round.framework_version_id for i in items):
        raise ValidationError(_("Choose themes and principles of the round's framework."))
    lus_round.common_items.set(items)


@transaction.atomic
def round_conversations_create(*, lus_round: Round) -> int:
    """One LUS per leader in the scope who has none in the round yet, with their own leader
    as partner. Creating again adds only what is missing. Returns how many were made."""
    existing = set(lus_round.conversations.values_list("leader_id", flat=True))
    new = [
        Conversation(round=lus_round, leader=leader, partner=partner)
        for leader, partner in leaders_with_partners(scope=lus_round.scope)
        if leader.pk not in existing
    ]
    made = Conversation.objects.bulk_create(new, ignore_conflicts=True)
    return len(made)


def _preparation_has_content(preparation: Preparation) -> bool:
    return bool(
        preparation.prepared_at
        or preparation.shared_at
        or any(a.strip() for a in preparation.answers if isinstance(a, str))
        or preparation.ratings.exists()
        or preparation.topics.exists()
    )


def _check_partner(*, conversation: Conversation, partner: Person, by: AbstractBaseUser) -> None:
    if partner.user_id is not None and partner.user_id == by.pk:
        raise ValidationError(_("You cannot make yourself the conversation partner."))
    if partner.pk == conversation.leader_id:
        raise ValidationError(_("The conversation partner cannot be the leader themself."))
    if partner.pk not in {p.pk for p in partner_candidates(conversation=conversation)}:
        raise ValidationError(
            _("The conversation partner must be a leader above %(name)s in the management chain.")
            % {"name": conversation.leader.name}
        )
    if conversation.state in (Conversation.State.HELD, Conversation.State.CONFIRMED):
        raise ValidationError(_("The conversation has been held: the partner can no longer be changed."))


@transaction.atomic
def conversation_partner_set(*, conversation: Conversation, partner: Person, by: AbstractBaseUser) -> bool:
    """HR changes the partner to another leader above the leader in the ledelseskæde (see
    lus.selectors.partner_candidates). Refused once the current partner has prepared
    anything: their preparation is theirs and is never deleted or handed on, so the change
    waits until they have removed it or the partner is left as is. The leader, the old and the
    new partner are told, and the change is in the LUS's audit trail. True when changed."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("leader__unit", "leader__user", "partner__user")
        .get(pk=conversation.pk)
    )
    _check_partner(conversation=conversation, partner=partner, by=by)
    if partner.pk == conversation.partner_id:
        return False
    old_preparation = conversation.preparations.filter(role=Preparation.Role.PARTNER).first()
    if old_preparation is not None:
        if _preparation_has_content(old_preparation):
            raise ValidationError(
                _(
                    "%(name)s has started preparing this LUS. The preparation is theirs and is not deleted: "
                    "the partner cannot be changed."
                )
                % {"name": conversation.partner.name if conversation.partner else "–"}
            )
        old_preparation.delete()  # an empty row made by opening the page: nothing typed
    old = conversation.partner
    conversation.partner = partner
    conversation.save(update_fields=["partner"])
    calendar.booking_invitations_send(conversation=conversation)
    conversation_change_log(user=by, conversation=conversation, part=AuditPart.PARTNER)
    leader = conversation.leader
    key = f"{conversation.pk}-{partner.pk}-{timezone.now():%Y%m%d%H%M%S%f}"
    notices.tell(conversation=conversation, to=leader, about=partner, event=notices.Event.PARTNER_CHANGED, key=key)
    notices.tell(conversation=conversation, to=partner, about=leader, event=notices.Event.PARTNER_NEW, key=key)
    notices.tell(
        conversation=conversation,
        to=old,
        about=leader,
        event=notices.Event.PARTNER_REMOVED,
        key=key,
        url=reverse("lus:overview"),  # they can no longer open the LUS
    )
    return True


def round_remind_unprepared(*, lus_round: Round, today: date | None = None) -> int:
    """HR reminds every party in the round who has not prepared yet, through the shared
    exactly-once reminders (one per party a day, however often HR presses). The notice names
    the other person and nothing of the LUS. Returns how many were newly claimed."""
    today = today or timezone.localdate()
    if today < lus_round.preparation_opens:
        raise ValidationError(_("The preparation has not opened yet."))
    open_lus = with_preparation_state(
        lus_round.conversations.filter(state__in=[Conversation.State.NOT_STARTED, Conversation.State.PREPARED])
    )
    dues = [
        Due(
            recipient_id=user_id,
            kind=notices.KIND,
            target=c,
            due_on=today,
            key=f"hr-remind-{role}",
            title=notices.notice_title(about=notices.other_party(c, role), event=notices.Event.PREPARATION_REMINDER),
            url=reverse("lus:preparation_edit", args=[c.pk]),
        )
        for c in open_lus.iterator(chunk_size=500)
        for role, user_id in unprepared_parties(c)
    ]
    return reminders_claim(dues=dues)


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
def preparation_topics_set(*, preparation: Preparation, items: list[Item], by: AbstractBaseUser | None = None) -> None:
    conversation = preparation.conversation
    _check_open(conversation)
    if not MIN_TOPICS <= len(items) <= MAX_TOPICS:
        raise ValidationError(_("Choose 2 or 3 topics."))
    common = set(conversation.round.common_items.values_list("pk", flat=True))
    if any(i.version_id != conversation.round.framework_version_id or i.pk in common for i in items):
        raise ValidationError(_("Choose topics of the round's framework that are not already in common."))
    preparation.topics.set(items)
    _audit_change(by, conversation, _PREPARATION_PART[preparation.role])


def _check_split(split: dict[str, int], categories: list[str]) -> dict[str, int]:
    if not split or not any(split.values()):
        return {}
    if set(split) - set(categories):
        raise ValidationError(_("Unknown leadership time category."), code="time_split")
    if any(v < 0 or v > 100 for v in split.values()) or sum(split.values()) != 100:
        raise ValidationError(_("The leadership time must add up to 100 %."), code="time_split")
    return split


def _preparation_values(
    *,
    ratings: dict[int, tuple[int | None, str]],
    answers: list[str],
    time_now: dict[str, int],
    time_wanted: dict[str, int],
    categories: list[str],
    topics: Iterable[Item] | None,
) -> dict:
    """A preparation as its form shows it, keyed as the form's fields: what
    ledelse.concurrency compares."""
    values: dict = {}
    for item_id, (score, note) in ratings.items():
        values[f"score_{item_id}"], values[f"note_{item_id}"] = score, note
    values |= {f"answer_{n}": answer for n, answer in enumerate(answers)}
    for n, category in enumerate(categories):
        values[f"time_now_{n}"], values[f"time_wanted_{n}"] = time_now.get(category), time_wanted.get(category)
    if topics is not None:
        values["topics"] = set(topics)
    return values


def _stored_preparation_values(
    preparation: Preparation, *, item_ids: Iterable[int], questions: int, categories: list[str], topics: bool = True
) -> dict:
    """The stored preparation as the form shows it (an unsaved one shows nothing)."""
    stored = {r.item_id: (r.score, r.note) for r in preparation.ratings.all()} if preparation.pk else {}
    answers = list(preparation.answers) + [""] * questions
    return _preparation_values(
        ratings={item_id: stored.get(item_id, (None, "")) for item_id in item_ids},
        answers=answers[:questions],
        time_now=preparation.time_now,
        time_wanted=preparation.time_wanted,
        categories=categories if preparation.role == Preparation.Role.LEADER else [],
        topics=(preparation.topics.all() if preparation.pk else []) if topics else None,
    )


def preparation_seen_token(*, preparation: Preparation, item_ids: Iterable[int], questions: int) -> str:
    categories = preparation.conversation.round.time_categories
    values = _stored_preparation_values(preparation, item_ids=item_ids, questions=questions, categories=categories)
    return seen_token(number=preparation.lock_version, values=values)


def _preparation_version_check(preparation: Preparation, version: Seen | None, yours: dict) -> None:
    """Raise VersionConflict when the same party saved this preparation (in another tab)
    since the form was loaded and what they saved differs from what this form sends."""
    if version is None:
        return
    item_ids = [int(name.removeprefix("score_")) for name in yours if name.startswith("score_")]
    answers = sum(1 for name in yours if name.startswith("answer_"))
    theirs = _stored_preparation_values(
        preparation,
        item_ids=item_ids,
        questions=answers,
        categories=preparation.conversation.round.time_categories,
        topics="topics" in yours,
    )
    version_check(seen=version, number=preparation.lock_version, theirs=theirs, yours=yours)


@transaction.atomic
def preparation_save(
    *,
    preparation: Preparation,
    ratings: dict[int, tuple[int | None, str]],
    answers: list[str],
    time_now: dict[str, int] | None = None,
    time_wanted: dict[str, int] | None = None,
    required_item_ids: set[int],
    topics: list[Item] | None = None,
    version: Seen | None = None,
    by: AbstractBaseUser | None = None,
) -> Preparation:
    """Save ratings (item id -> (score or None, note)), answers, the leader's time split and,
    when given and changed, the own topics, all in one transaction (one form on the page).
    The preparation counts as prepared when every required item has a score. `version` is
    what the form was loaded from: a save over the same party's newer save (another tab)
    raises VersionConflict (ledelse.concurrency)."""
    conversation = preparation.conversation
    _check_open(conversation)
    preparation = Preparation.objects.select_for_update().select_related("conversation__round").get(pk=preparation.pk)
    categories = conversation.round.time_categories if preparation.role == Preparation.Role.LEADER else []
    _preparation_version_check(
        preparation,
        version,
        _preparation_values(
            ratings=ratings,
            answers=answers,
            time_now=time_now or {},
            time_wanted=time_wanted or {},
            categories=categories,
            topics=topics,
        ),
    )
    if topics is not None and {t.pk for t in topics} != set(preparation.topics.values_list("pk", flat=True)):
        preparation_topics_set(preparation=preparation, items=topics)  # audited below
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
    preparation.lock_version += 1
    preparation.save()
    if (
        preparation.role == Preparation.Role.LEADER
        and preparation.prepared_at
        and conversation.state == Conversation.State.NOT_STARTED
    ):
        Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.PREPARED)
    if preparation.prepared_at:
        notices.preparation_done(preparation=preparation)
    _audit_change(by, conversation, _PREPARATION_PART[preparation.role])
    return preparation


@transaction.atomic
def preparation_share(*, preparation: Preparation, by: AbstractBaseUser | None = None) -> None:
    """Share the preparation with the other party, who is told (once) when a party shares
    it (`by`; imports and the demo pass none and tell no one)."""
    if preparation.shared_at is None:
        preparation.shared_at = timezone.now()
        preparation.save(update_fields=["shared_at"])
        _audit_change(by, preparation.conversation, _PREPARATION_PART[preparation.role])
        if by is None:
            return
        conversation = preparation.conversation
        author = conversation.leader if preparation.role == Preparation.Role.LEADER else conversation.partner
        notices.tell_other_party(
            conversation=conversation,
            by_person_id=author.pk if author else None,
            event=notices.Event.SHARED,
            key=preparation.role,
        )


# --- Booking ------------------------------------------------------------------------------------


def booking_values(
    *,
    conversation: Conversation | None = None,
    starts_at: datetime | None = None,
    location: str = "",
    duration_minutes: int | None = None,
) -> dict:
    """The booking as its form shows it (stored, or as sent): what ledelse.concurrency
    compares, keyed as the form's fields (the date and time in local time)."""
    if conversation is not None:
        starts_at, location = conversation.starts_at, conversation.location
        duration_minutes = conversation.duration_minutes
    local = timezone.localtime(starts_at) if starts_at is not None and timezone.is_aware(starts_at) else starts_at
    values: dict = {"date": local and local.date(), "time": local and local.time(), "location": location}
    if duration_minutes is not None:  # none sent: the duration stays as it is
        values["duration_minutes"] = duration_minutes
    return values


def booking_seen_token(*, conversation: Conversation) -> str:
    return seen_token(number=conversation.lock_version, values=booking_values(conversation=conversation))


@transaction.atomic
def conversation_book(
    *,
    conversation: Conversation,
    starts_at: datetime,
    location: str,
    duration_minutes: int | None = None,
    version: Seen | None = None,
    by: AbstractBaseUser | None = None,
) -> list[str]:
    """Book (or rebook) the conversation within the round's period; never a locked LUS.
    Returns warnings (a time after the round's deadline for holding the conversations is
    allowed, with a warning). The other party is told, once per booking. `version` is what
    the form was loaded from: a booking over the other party's newer one raises
    VersionConflict (ledelse.concurrency)."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("round", "leader__user", "partner__user")
        .get(pk=conversation.pk)
    )
    if conversation.is_locked:
        raise ValidationError(_("The record is confirmed and locked: the conversation cannot be booked again."))
    version_check(
        seen=version,
        number=conversation.lock_version,
        theirs=booking_values(conversation=conversation),
        yours=booking_values(starts_at=starts_at, location=location, duration_minutes=duration_minutes),
    )
    lus_round = conversation.round
    day = timezone.localtime(starts_at).date() if timezone.is_aware(starts_at) else starts_at.date()
    if not lus_round.period_start <= day <= lus_round.period_end:
        raise ValidationError(
            _("The conversation must be within the round (%(start)s–%(end)s).")
            % {"start": long_date(lus_round.period_start), "end": long_date(lus_round.period_end)}
        )
    if duration_minutes is not None and not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise ValidationError(_("The duration must be from 15 minutes to 8 hours."))
    changed = conversation.starts_at != starts_at or conversation.location != location
    if conversation.starts_at != starts_at:
        conversation.booking_sequence += 1 if conversation.starts_at else 0
    conversation.starts_at = starts_at
    conversation.location = location
    if duration_minutes is not None:
        changed = changed or conversation.duration_minutes != duration_minutes
        conversation.duration_minutes = duration_minutes
    conversation.lock_version += 1
    conversation.save(update_fields=["starts_at", "location", "booking_sequence", "duration_minutes", "lock_version"])
    calendar.booking_invitations_send(conversation=conversation)
    _audit_change(by, conversation, AuditPart.BOOKING)
    if changed and by is not None:
        notices.tell_other_party(
            conversation=conversation,
            by_person_id=_person_id(conversation, by),
            event=notices.Event.BOOKED,
            key=f"{conversation.booking_sequence}-{timezone.now():%H%M%S%f}",
        )
    return booking_warnings(lus_round=lus_round, day=day)


def booking_warnings(*, lus_round: Round, day: date) -> list[str]:
    if day > lus_round.held_by:
        return [
            _("The time is after the round's deadline for holding the conversations (%(date)s).")
            % {"date": long_date(lus_round.held_by)}
        ]
    return []


def _person_id(conversation: Conversation, user: AbstractBaseUser) -> int | None:
    if conversation.leader.user_id == user.pk:
        return conversation.leader_id
    if conversation.partner_id and conversation.partner.user_id == user.pk:
        return conversation.partner_id
    return None


# --- Record ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementData:
    what: str
    due_on: date
    how: str = ""
    support: str = ""
    principle: Item | None = None
    id: int | None = None


def _held_date(conversation: Conversation, held_on: date | None, by_role: str | None) -> date | None:
    """When the conversation was held: the date the partner states (not in the future, not
    before the round), else the booked time once it has passed; None while it lies ahead."""
    if held_on is not None:
        if by_role != Preparation.Role.PARTNER:
            raise ValidationError(_("Only the conversation partner can say that the conversation was held earlier."))
        if held_on > timezone.localdate() or held_on < conversation.round.period_start:
            raise ValidationError(
                _("The date the conversation was held must be within the round and not in the future.")
            )
        return held_on
    if conversation.starts_at and conversation.starts_at <= timezone.now():
        return timezone.localtime(conversation.starts_at).date()
    return None


def _mark_held(conversation: Conversation, held: date | None, *, stated: bool) -> None:
    if held is None:
        return
    if conversation.state in (Conversation.State.NOT_STARTED, Conversation.State.PREPARED):
        conversation.state = Conversation.State.HELD
    if conversation.held_on is None or stated:
        conversation.held_on = held


def _save_agreements(conversation: Conversation, agreements: list[AgreementData]) -> None:
    if len(agreements) > MAX_AGREEMENTS:
        raise ValidationError(_("A LUS has at most %(n)d agreements.") % {"n": MAX_AGREEMENTS})
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


def _tell_record_saved(conversation: Conversation, by: AbstractBaseUser, reset: list[str]) -> None:
    """The other party hears that the record waits for them; a party whose confirmation the
    edit cleared hears that too."""
    by_person = _person_id(conversation, by)
    stamp = f"{conversation.revision}-{timezone.now():%H%M%S%f}"
    other_role = Preparation.Role.PARTNER if by_person == conversation.leader_id else Preparation.Role.LEADER
    if other_role in reset:
        event = notices.Event.CONFIRMATION_RESET
    elif conversation.state == Conversation.State.HELD:
        event = notices.Event.RECORD_READY
    else:
        return
    notices.tell_other_party(conversation=conversation, by_person_id=by_person, event=event, key=stamp)


def _agreement_value(what: str, how: str, due_on: date, support: str, principle: Item | None) -> tuple:
    return (what.strip(), how, due_on, support, principle.title if principle is not None else "")


def record_values(*, conversation: Conversation) -> dict:
    """The record as its form shows it: what ledelse.concurrency compares."""
    return {
        "notes": conversation.notes,
        "agreements": [
            _agreement_value(a.what, a.how, a.due_on, a.support, a.principle)
            for a in conversation.agreements.select_related("principle")
        ],
    }


def record_seen_token(*, conversation: Conversation) -> str:
    return seen_token(number=conversation.lock_version, values=record_values(conversation=conversation))


@transaction.atomic
def record_save(
    *,
    conversation: Conversation,
    notes: str,
    agreements: list[AgreementData],
    held_on: date | None = None,
    version: Seen | None = None,
    by: AbstractBaseUser | None = None,
) -> None:
    """Save the notes and agreements (at most MAX_AGREEMENTS). A locked record is not
    edited: it gets a revision (record_revise). Any change clears confirmations already given.
    The LUS counts as held once its booked time has passed, or from the date the partner
    states (`held_on`); a record written ahead of the talk leaves the state as it is.
    `version` is what the form was loaded from: a save over someone else's newer change
    raises VersionConflict (ledelse.concurrency)."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("round", "leader__user", "partner__user")
        .get(pk=conversation.pk)
    )
    _check_open(conversation)
    version_check(
        seen=version,
        number=conversation.lock_version,
        theirs=record_values(conversation=conversation),
        yours={
            "notes": notes,
            "agreements": [_agreement_value(a.what, a.how, a.due_on, a.support, a.principle) for a in agreements],
        },
    )
    by_role = role_of(conversation=conversation, user=by) if by is not None else None
    held = _held_date(conversation, held_on, by_role)
    _save_agreements(conversation, agreements)
    reset = [
        role
        for role, at in (
            (Preparation.Role.LEADER, conversation.leader_confirmed_at),
            (Preparation.Role.PARTNER, conversation.partner_confirmed_at),
        )
        if at
    ]
    conversation.notes = notes
    conversation.leader_confirmed_at = conversation.partner_confirmed_at = None
    _mark_held(conversation, held, stated=held_on is not None)
    conversation.lock_version += 1
    conversation.save()
    _audit_change(by, conversation, AuditPart.RECORD)
    if by is not None:
        _tell_record_saved(conversation, by, reset)


def conversations_mark_held(*, now: datetime | None = None) -> int:
    """A LUS whose booked time has passed is held (the calendar decides, not the record):
    one UPDATE, run hourly by the task lus.mark_held. Returns how many changed."""
    now = now or timezone.now()
    return Conversation.objects.filter(
        state__in=[Conversation.State.NOT_STARTED, Conversation.State.PREPARED], starts_at__lte=now
    ).update(
        state=Conversation.State.HELD,
        held_on=Coalesce("held_on", TruncDate("starts_at", tzinfo=timezone.get_current_timezone())),
    )


@transaction.atomic
def record_confirm(
    *, conversation: Conversation, role: str, version: int | None = None, by: AbstractBaseUser | None = None
) -> Conversation:
    """A party confirms the record as it stood at `version` (what the page showed; a record
    changed since asks again): only once the conversation is held (its booked time passed, or
    the partner said when it was held) and it has an agreement."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _check_open(conversation)
    version_require(
        seen=version,
        number=conversation.lock_version,
        message=_("The record has changed since you opened the page. Read it again before you confirm it."),
    )
    _mark_held(conversation, _held_date(conversation, None, None), stated=False)
    if conversation.state != Conversation.State.HELD:
        raise ValidationError(_("The record can be confirmed once the conversation has been held."))
    if not conversation.agreements.exists():
        raise ValidationError(_("A record can only be confirmed when it has at least one agreement."))
    now = timezone.now()
    if role == Preparation.Role.LEADER:
        conversation.leader_confirmed_at = conversation.leader_confirmed_at or now
    else:
        conversation.partner_confirmed_at = conversation.partner_confirmed_at or now
    if conversation.is_locked:
        conversation.state = Conversation.State.CONFIRMED
    conversation.save()
    _audit_change(by, conversation, AuditPart.RECORD)
    notices.confirmation_done(conversation=conversation, role=role)
    return conversation


def agreement_snapshot(*, agreement: Agreement) -> dict[str, str]:
    """An agreement as JSON keeps it: in a record's revisions (record_snapshot, also the
    generated ones of lus.scale) and in the leader's export. The one place for its shape."""
    return {
        "what": agreement.what,
        "how": agreement.how,
        "due_on": agreement.due_on.isoformat(),
        "support": agreement.support,
        "principle": agreement.principle.title if agreement.principle is not None else "",
    }


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
        "agreements": [agreement_snapshot(agreement=a) for a in conversation.agreements.select_related("principle")],
    }


@transaction.atomic
def record_revise(*, conversation: Conversation, user: AbstractBaseUser | None) -> Conversation:
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
    conversation.lock_version += 1
    conversation.leader_confirmed_at = conversation.partner_confirmed_at = None
    conversation.state = Conversation.State.HELD
    conversation.save()
    _audit_change(user, conversation, AuditPart.RECORD)
    return conversation


# --- Follow-up --------------------------------------------------------------------------------


@transaction.atomic
def followup_add(
    *, agreement: Agreement, date: date, time: dt_time | None = None, by: AbstractBaseUser | None = None
) -> FollowUp:
    if agreement.followups.count() >= MAX_FOLLOWUPS:
        raise ValidationError(_("An agreement has at most two follow-up talks."))
    followup = FollowUp.objects.create(agreement=agreement, date=date, time=time)
    calendar.followup_invitations_send(followup=followup)
    _audit_change(by, agreement.conversation, AuditPart.RECORD)
    return followup


def followup_values(*, followup: FollowUp) -> dict:
    """The follow-up as its form shows it: what ledelse.concurrency compares."""
    return {"date": followup.date, "time": followup.time, "status": followup.status, "note": followup.note}


def followup_seen_token(*, followup: FollowUp) -> str:
    return seen_token(number=followup.lock_version, values=followup_values(followup=followup))


@transaction.atomic
def followup_update(
    *,
    followup: FollowUp,
    date: date,
    status: str,
    note: str,
    time: dt_time | None = None,
    version: Seen | None = None,
    by: AbstractBaseUser | None = None,
) -> FollowUp:
    """Change a follow-up talk. `version` is what the form was loaded from: a save over
    someone else's newer change raises VersionConflict (ledelse.concurrency)."""
    if status not in FollowUp.Status.values:
        raise ValidationError(_("Unknown status."))
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    version_check(
        seen=version,
        number=followup.lock_version,
        theirs=followup_values(followup=followup),
        yours={"date": date, "time": time, "status": status, "note": note},
    )
    followup.lock_version += 1
    if followup.date != date or followup.time != time:
        followup.sequence += 1
    followup.date, followup.time, followup.status, followup.note = date, time, status, note
    followup.save()
    calendar.followup_invitations_send(followup=followup)
    _audit_change(by, followup.agreement.conversation, AuditPart.RECORD)
    return followup


# --- Sharing ----------------------------------------------------------------------------------


@transaction.atomic
def share_add(*, conversation: Conversation, who: str, by: AbstractBaseUser | None = None) -> Share:
    """Share read-only with a person in the leader's region, found by user name, e-mail or
    full name (a name shared by several people asks for the user name or e-mail)."""
    who = " ".join(who.split())
    in_region = Person.objects.select_related("unit").filter(
        user__isnull=False, unit__region_id=conversation.leader.unit.region_id
    )
    person = in_region.filter(Q(user__username__iexact=who) | Q(email__iexact=who)).first() if who else None
    if person is None and who:
        named = list(in_region.filter(name__iexact=who)[:2])
        if len(named) > 1:
            raise ValidationError(_("Several people have that name: write the user name or e-mail."))
        person = named[0] if named else None
    if person is None:
        raise ValidationError(_("No one in the organisation has that name, user name or e-mail."))
    if person.pk in (conversation.leader_id, conversation.partner_id):
        raise ValidationError(_("The leader and the partner read the LUS already."))
    share, _created = Share.objects.get_or_create(conversation=conversation, person=person, revoked_at=None)
    _audit_change(by, conversation, AuditPart.SHARING)
    transaction.on_commit(lambda: access.uses_lus_forget(user_id=person.user_id))  # the menu's LUS item
    return share


@transaction.atomic
def share_revoke(*, share: Share, by: AbstractBaseUser | None = None) -> None:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    _audit_change(by, share.conversation, AuditPart.SHARING)
    transaction.on_commit(lambda: access.uses_lus_forget(user_id=share.person.user_id))


# --- Audit --------------------------------------------------------------------------------


def conversation_read_log(
    *, user: AbstractBaseUser, conversations: list[Conversation] | Conversation, parts: list[str]
) -> None:
    """One entry in the audit log (ledelse.audit) per LUS and part read (one query)."""
    if isinstance(conversations, Conversation):
        conversations = [conversations]
    conversation_reads_log(user=user, reads=[(c, parts) for c in conversations])


def conversation_reads_log(*, user: AbstractBaseUser, reads: Sequence[tuple[Conversation, Sequence[str]]]) -> None:
    """The entries of several LUS read with different parts (a LUS page and the previous
    LUS's record) in one query."""
    audit_record_many(
        entries=(
            audit_entry_build(action=AuditEntry.Action.READ, actor=user, obj=c, detail=part)
            for c, parts in reads
            for part in parts
        )
    )


def conversation_change_log(*, user: AbstractBaseUser, conversation: Conversation, part: str) -> None:
    """One entry in the audit log for a change of one part of a LUS."""
    audit_record_many(
        entries=[audit_entry_build(action=AuditEntry.Action.CHANGE, actor=user, obj=conversation, detail=part)]
    )


def _audit_change(actor: AbstractBaseUser | None, conversation: Conversation, part: str) -> None:
    """The change's audit entry, written by the service in the change's own transaction, so
    the two commit together or not at all. No actor: the system (demo and scale data)."""
    if actor is not None:
        conversation_change_log(user=actor, conversation=conversation, part=part)


_PREPARATION_PART = {
    Preparation.Role.LEADER: AuditPart.LEADER_PREPARATION,
    Preparation.Role.PARTNER: AuditPart.PARTNER_PREPARATION,
}


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
        .select_related("round", "leader", "partner__user")
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
                    # The partner's unshared notes are theirs, not the leader's: the one rule.
                    for p in preparations_visible_to(
                        conversation=c, user=user, preparations=list(c.preparations.all())
                    ).values()
                ],
                "agreements": [
                    {
                        **agreement_snapshot(agreement=a),
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
