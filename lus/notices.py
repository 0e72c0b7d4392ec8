"""The other party is told: a notice (and its e-mail) through the shared mechanism
(ledelse.notifications.notify) for what one party did in a LUS.

A notice names the other person ("LUS med Lars Thomsen") and the kind of event, never
anything from the LUS itself (no round name, no text, no dates). It reuses the "lus-waiting"
e-mail kind, whose templates say the e-mail holds nothing of the LUS.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ledelse.models import Person
from ledelse.notifications.services import notifications_clear, notify
from lus.models import Conversation, Preparation

KIND = "lus-waiting"


class Event:
    """What happened, as the fixed line after "LUS med <name>:"."""

    BOOKED = "booked"
    SHARED = "shared"
    RECORD_READY = "record-ready"
    CONFIRMATION_RESET = "confirmation-reset"
    PARTNER_NEW = "partner-new"
    PARTNER_REMOVED = "partner-removed"
    PARTNER_CHANGED = "partner-changed"
    # The reminders (lus/reminders.py) use the same lines.
    PREPARATION_OPEN = "preparation-open"
    COMING_UP = "coming-up"
    CONFIRM_OVERDUE = "confirm-overdue"
    AGREEMENT_DUE = "agreement-due"
    AGREEMENT_ESCALATED = "agreement-escalated"
    FOLLOWUP_DUE = "followup-due"
    PREPARATION_REMINDER = "preparation-reminder"


def _what(event: str) -> str:
    return {
        Event.BOOKED: _("the conversation is booked; the calendar invitation is sent by e-mail"),
        Event.SHARED: _("the preparation is shared with you"),
        Event.RECORD_READY: _("the record waits for your confirmation"),
        Event.CONFIRMATION_RESET: _("the record was changed; confirm it again"),
        Event.PARTNER_NEW: _("you are now the conversation partner"),
        Event.PARTNER_REMOVED: _("you are no longer the conversation partner"),
        Event.PARTNER_CHANGED: _("your conversation partner is changed"),
        Event.PREPARATION_OPEN: _("your preparation is open"),
        Event.COMING_UP: _("the conversation is coming up; your preparation waits"),
        Event.CONFIRM_OVERDUE: _("the record still waits for your confirmation"),
        Event.AGREEMENT_DUE: _("an agreement has reached its date"),
        Event.AGREEMENT_ESCALATED: _("an agreement is past its date without a status"),
        Event.FOLLOWUP_DUE: _("a follow-up talk is due"),
        Event.PREPARATION_REMINDER: _("HR reminds you that your preparation waits"),
    }[event]


def notice_title(*, about: Person | None, event: str) -> str:
    """ "LUS med Lars Thomsen: <what>", naming the other person (never the reader), or "Din
    egen LUS: <what>" when the leader's LUS has no partner yet."""
    if about is None:
        return _("Your own LUS: %(what)s") % {"what": _what(event)}
    return _("LUS with %(name)s: %(what)s") % {"name": about.name, "what": _what(event)}


def other_party(conversation: Conversation, role: str) -> Person | None:
    """The person a party's notice names: the partner for the leader, the leader for the partner."""
    return conversation.partner if role == "leader" else conversation.leader


def tell(
    *, conversation: Conversation, to: Person | None, about: Person, event: str, key: str, url: str | None = None
) -> bool:
    """Tell `to` (if they have an account) that `event` happened in the LUS with `about`.
    `key` makes the notice once-only (the shared claim): the same key the same day is one notice."""
    if to is None or to.user_id is None:
        return False
    return notify(
        recipient=to.user,
        kind=KIND,
        target=conversation,
        title=notice_title(about=about, event=event),
        url=url or reverse("lus:conversation_detail", args=[conversation.pk]),
        key=f"{event}-{key}",
    )


def tell_other_party(*, conversation: Conversation, by_person_id: int | None, event: str, key: str) -> None:
    """Tell the party who did not act (the leader or the partner)."""
    leader, partner = conversation.leader, conversation.partner
    if partner is None or by_person_id is None:
        return
    if by_person_id == leader.pk:
        tell(conversation=conversation, to=partner, about=leader, event=event, key=key)
    elif by_person_id == partner.pk:
        tell(conversation=conversation, to=leader, about=partner, event=event, key=key)


# --- Notices whose task is done clear (ledelse.notifications.notifications_clear) -------------


def preparation_done(*, preparation: Preparation) -> int:
    """The party has prepared: their "preparation is open" and "coming up" notices clear."""
    conversation, role = preparation.conversation, preparation.role
    return notifications_clear(target=conversation, kinds=[KIND], key_prefix=f"prep-open-{role}") + notifications_clear(
        target=conversation, kinds=[KIND], key_prefix=f"prep-due-{role}"
    )


def confirmation_done(*, conversation: Conversation, role: str) -> int:
    """The party has confirmed the record: their "waits for your confirmation" notices clear."""
    return notifications_clear(target=conversation, kinds=[KIND], key_prefix=f"confirm-{role}")
