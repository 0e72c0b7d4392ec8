"""The header's unread count: one COUNT on a partial index, at most once per request (lazy,
so a page that never shows the header runs no query)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from ledelse.notifications.selectors import unread_count_for_user


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count_for_user(user=user))}
