"""LUS notices through the shared ledelse.notifications: a shared preparation tells the
other party ("Lars Leder To has shared their LUS preparation"), and the notices whose task
is done clear (a party who has prepared no longer sees "your preparation is open"; one who
has confirmed no longer sees "waits for your confirmation").

A notice names the LUS's two people and nothing of its content (see lus.reminders)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ledelse.notifications.services import notifications_clear, notify
from lus.models import Conversation, Preparation
from lus.reminders import KIND


def _other(conversation: Conversation, role: str):
    return conversation.partner if role == Preparation.Role.LEADER else conversation.leader


def _me(conversation: Conversation, role: str):
    return conversation.leader if role == Preparation.Role.LEADER else conversation.partner


def preparation_done(*, preparation: Preparation) -> int:
    """The party has prepared: their "preparation is open" and "coming up" notices clear."""
    conversation, role = preparation.conversation, preparation.role
    return notifications_clear(target=conversation, kinds=[KIND], key_prefix=f"prep-open-{role}") + notifications_clear(
        target=conversation, kinds=[KIND], key_prefix=f"prep-due-{role}"
    )


def confirmation_done(*, conversation: Conversation, role: str) -> int:
    return notifications_clear(target=conversation, kinds=[KIND], key_prefix=f"confirm-{role}")


def preparation_shared(*, preparation: Preparation) -> bool:
    """The other party hears that the preparation is shared with them (once)."""
    conversation, role = preparation.conversation, preparation.role
    other, me = _other(conversation, role), _me(conversation, role)
    if other is None or other.user_id is None or me is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(name)s has shared their LUS preparation") % {"name": me.name}
    return notify(
        recipient=other.user,
        kind=KIND,
        target=conversation,
        title=title,
        url=reverse("lus:conversation_detail", args=[conversation.pk]),
        key=f"shared-{role}",
    )
