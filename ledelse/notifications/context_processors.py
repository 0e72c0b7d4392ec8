"""The header's unread count: one COUNT on a partial index, at most once per request (lazy,
so a page that never shows the header runs no query). It gives up after
HEADER_COUNT_TIMEOUT_MS (a locked reminder table): the header then shows no count, and the
page is not held up (ledelse.dbtime)."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ledelse.dbtime import count_within
from ledelse.notifications.access import reminders_visible_to


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: _unread_count(user))}


def _unread_count(user) -> int:
    unread = reminders_visible_to(user).filter(read_at__isnull=True)
    return count_within(unread, milliseconds=settings.HEADER_COUNT_TIMEOUT_MS) or 0
