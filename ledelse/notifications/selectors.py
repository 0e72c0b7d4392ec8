"""Reads of a user's notifications."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from ledelse.notifications.access import reminders_visible_to
from ledelse.notifications.models import NotificationSettings, Reminder


def notifications_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Reminder]:
    """Newest first, without the cleared ones (their task is done, or they are calendar
    invitations). Only the caller's own title and link are shown (never private content)."""
    return (
        reminders_visible_to(user)
        .filter(cleared_at__isnull=True)
        .only("id", "kind", "title", "url", "due_on", "created_at", "read_at", "state")
        .order_by("-created_at", "-id")
    )


def unread_count_for_user(*, user: AbstractBaseUser | AnonymousUser) -> int:
    # A cleared notice is also read (notifications_clear sets both): the partial index holds.
    return reminders_visible_to(user).filter(read_at__isnull=True).count()


def delivery_for_user(*, user: AbstractBaseUser) -> str:
    choice = NotificationSettings.objects.filter(user=user).values_list("delivery", flat=True).first()
    return choice or NotificationSettings.Delivery.IMMEDIATE
