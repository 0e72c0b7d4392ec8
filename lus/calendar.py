"""A LUS booking and a follow-up talk as calendar invitations through the shared
ledelse.invitations: the e-mail (iMIP) to the leader and the conversation partner, and the
download, from one description of the event.

A LUS invitation carries no content: "LUS-samtale" (or "LUS-opfølgning"), the two names,
the time, the place and the link to the LUS page. The partner (the leader's own leader)
holds the talk and is its organiser. lus.services calls these inside its transactions; a
deleted booking or follow-up talk (with its agreement or LUS) is cancelled on delete
(LusConfig.invitations_cancelled_with_object)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ledelse.invitations import event_uid
from ledelse.invitations.services import Attendee, EventData, invitation_cancel, invitation_ics, invitation_send
from ledelse.models import Person
from lus.models import Conversation, FollowUp

LENGTH = timedelta(hours=1)


def booking_uid(conversation: Conversation) -> str:
    return event_uid(kind="lus", pk=conversation.pk)


def followup_uid(followup: FollowUp) -> str:
    return event_uid(kind="lus-followup", pk=followup.pk)


def _attendee(person: Person) -> Attendee:
    return Attendee(name=person.name, email=person.email, user_id=person.user_id)


def _parties(conversation: Conversation) -> list[Person]:
    return [p for p in (conversation.partner, conversation.leader) if p is not None]


def _names(conversation: Conversation) -> str:
    names = [conversation.leader.name] + ([conversation.partner.name] if conversation.partner else [])
    with translation.override(settings.LANGUAGE_CODE):
        return _(" and ").join(names)


def booking_event(conversation: Conversation) -> EventData | None:
    """The booked conversation (None when not booked): no content, only who, when, where."""
    if conversation.starts_at is None:
        return None
    start = timezone.localtime(conversation.starts_at)
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("LUS conversation: %(names)s") % {"names": _names(conversation)}
    return EventData(
        uid=booking_uid(conversation),
        summary=summary,
        start=start,
        end=start + timedelta(minutes=conversation.duration_minutes or 60),
        location=conversation.location,
        url=reverse("lus:conversation_detail", args=[conversation.pk]),
        organizer=_attendee(conversation.partner) if conversation.partner else None,
        attendees=tuple(_attendee(p) for p in _parties(conversation)),
        sequence=conversation.booking_sequence,
    )


def followup_event(followup: FollowUp) -> EventData:
    """A follow-up talk at its time (all day when it has none): who and when, never the
    agreement's text."""
    conversation = followup.agreement.conversation
    start: datetime | date = followup.date
    end: datetime | None = None
    if followup.time is not None:
        start = timezone.make_aware(datetime.combine(followup.date, followup.time))
        end = start + LENGTH
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("LUS follow-up: %(names)s") % {"names": _names(conversation)}
    return EventData(
        uid=followup_uid(followup),
        summary=summary,
        start=start,
        end=end,
        url=reverse("lus:conversation_detail", args=[conversation.pk]),
        organizer=_attendee(conversation.partner) if conversation.partner else None,
        attendees=tuple(_attendee(p) for p in _parties(conversation)),
        sequence=followup.sequence,
    )


def booking_invitations_send(*, conversation: Conversation) -> int:
    event = booking_event(conversation)
    if event is None:
        return invitation_cancel(uid=booking_uid(conversation))
    return invitation_send(event=event)


def followup_invitations_send(*, followup: FollowUp) -> int:
    return invitation_send(event=followup_event(followup))


def booking_ics(*, conversation: Conversation) -> bytes:
    event = booking_event(conversation)
    if event is None:
        raise ValueError("A conversation that is not booked has no calendar event.")
    return invitation_ics(event=event)


def followup_ics(*, followup: FollowUp) -> bytes:
    return invitation_ics(event=followup_event(followup))
