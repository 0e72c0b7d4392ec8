"""After an outage: reminders that failed (the SMTP server was down for longer than the
task's retries) are tried again by the sweep with growing pauses, up to an age limit; then
they are given up and the administrators get a notice. Also the frequent job that brings
back lost tasks (a broker restarted empty) within minutes.

Pauses: the first retry REMINDER_FAILED_RETRY_AFTER seconds after failing, then doubled for
each retry (at most 6 hours). Age limit: REMINDER_GIVE_UP_AFTER seconds after the reminder
was made. Only reminders that failed sending are retried (failed_at is set); one refused
for good (no address, inactive account) is not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from ledelse.notifications import services
from ledelse.notifications.models import Reminder

logger = logging.getLogger(__name__)

MAX_PAUSE = timedelta(hours=6)


@dataclass(frozen=True)
class Recovered:
    requeued: int
    retried: int
    given_up: int


def retry_pause(*, rounds: int) -> timedelta:
    """The pause before the sweep's retry number `rounds` + 1 of a failed reminder."""
    return min(timedelta(seconds=settings.REMINDER_FAILED_RETRY_AFTER) * (2**rounds), MAX_PAUSE)


def _retryable():
    return Reminder.objects.filter(state=Reminder.State.FAILED, failed_at__isnull=False, given_up_at__isnull=True)


def reminders_retry_failed(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Put failed reminders whose pause has passed back to pending and enqueue them."""
    now = now or timezone.now()
    too_old = now - timedelta(seconds=settings.REMINDER_GIVE_UP_AFTER)
    with transaction.atomic():
        rows = list(
            _retryable()
            .filter(created_at__gte=too_old)
            .select_for_update(skip_locked=True)
            .values_list("id", "failed_at", "retry_rounds")[:batch_size]
        )
        due = [pk for pk, failed_at, rounds in rows if failed_at + retry_pause(rounds=rounds) <= now]
        Reminder.objects.filter(pk__in=due).update(
            state=Reminder.State.PENDING, retry_rounds=F("retry_rounds") + 1, enqueued_at=now
        )
        services._enqueue_on_commit(due)
    if due:
        logger.info("Retrying %d failed reminders", len(due))
    return len(due)


def _administrators():
    from ledelse.models import RoleAssignment, User

    return User.objects.filter(is_active=True, person__roles__role=RoleAssignment.Role.ADMINISTRATOR).distinct()


def reminders_give_up(*, now: datetime | None = None) -> int:
    """Failed reminders older than REMINDER_GIVE_UP_AFTER: given up, and every administrator
    gets one notice a day saying how many (the admin's reminder list shows which)."""
    now = now or timezone.now()
    too_old = now - timedelta(seconds=settings.REMINDER_GIVE_UP_AFTER)
    with transaction.atomic():
        first = _retryable().filter(created_at__lt=too_old).order_by("id").first()
        count = _retryable().filter(created_at__lt=too_old).update(given_up_at=now)
        if not count:
            return 0
        title = ngettext(
            "%(count)d reminder could not be sent and has been given up",
            "%(count)d reminders could not be sent and have been given up",
            count,
        ) % {"count": count}
        url = reverse("admin:notifications_reminder_changelist") + "?state__exact=failed"
        for admin in _administrators():
            services.notify(
                recipient=admin, kind="notice", target=first, title=title, url=url, key=f"given-up-{now:%Y%m%d%H%M}"
            )
    logger.error("Gave up %d failed reminders", count)
    return count


def reminders_recover(*, now: datetime | None = None) -> Recovered:
    """The frequent sweep (every 5 minutes): lost tasks back, failed ones retried or given up."""
    return Recovered(
        requeued=services.reminders_requeue_lost(),
        retried=reminders_retry_failed(now=now),
        given_up=reminders_give_up(now=now),
    )
