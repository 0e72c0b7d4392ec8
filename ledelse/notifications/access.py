"""Who sees which notification: only its recipient."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from ledelse.notifications.models import Reminder


def reminders_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Reminder]:
    if not user.is_authenticated:
        return Reminder.objects.none()
    return Reminder.objects.filter(recipient=user)
