"""The shared reminder mechanism: claim once, send once, retry, never lose one.

Exactly once, in three steps:
1. Claim: `reminders_claim` inserts one row per (recipient, kind, target, due date, key) with
   INSERT ... ON CONFLICT DO NOTHING on the unique constraint. A second sweep, or two at once,
   insert nothing the second time; only the rows this call made are enqueued.
2. Send: `reminder_send` locks the row (SELECT ... FOR UPDATE) and sends only a pending one,
   then marks it sent in the same transaction. A duplicate task (redelivered after a worker
   died, or re-enqueued by the sweep) waits for the lock and then finds it sent.
3. Never lost: a pending row whose task vanished (a broker restarted empty) still has an old
   `enqueued_at`; every sweep re-enqueues those (`reminders_requeue_lost`).
The one window left is a worker that dies after the SMTP server accepted the mail and before
the commit: that mail can go out twice, never zero times.

Nothing here writes more than the caller's title and link into e-mails or logs (logs carry
ids and kinds only): callers must keep private content (LUS) out of `title` and `context`.
"""

from __future__ import annotations

import itertools
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ledelse.notifications.emails import absolute_url, check_kind, is_calendar, render_message
from ledelse.notifications.models import NotificationSettings, Reminder
from ledelse.notifications.registry import rules

logger = logging.getLogger(__name__)

# Failures worth retrying: the SMTP server refused or could not be reached. Anything else
# (a template error, a bad address format) fails the task at once and marks the row failed.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)

DIGEST_KIND = "weekly-digest"


@dataclass(frozen=True)
class Due:
    recipient_id: int  # a User pk
    kind: str  # template name, e.g. "plan-activity-due"
    target: models.Model  # the thing the notice is about (an Activity, a Plan, ...)
    due_on: date
    title: str
    url: str  # site path, e.g. reverse("dialogues:plan_detail", args=[plan.pk])
    context: dict = field(default_factory=dict)
    key: str = ""
    # False: e-mail only, never in the notifications list (a calendar invitation: the
    # calendar holds it).
    in_app: bool = True


@dataclass
class SweepReport:
    today: date
    claimed: dict[str, int] = field(default_factory=dict)  # rule name -> newly claimed
    requeued: int = 0  # pending reminders whose task was lost, enqueued again
    errors: dict[str, str] = field(default_factory=dict)  # rule name -> exception class

    @property
    def total_claimed(self) -> int:
        return sum(self.claimed.values())


# --- Claiming -------------------------------------------------------------------------------


def _enqueue_sends(reminder_ids: Sequence[int]) -> None:
    from ledelse.notifications import tasks

    for reminder_id in reminder_ids:
        tasks.send_reminder.delay(reminder_id)


def _enqueue_on_commit(reminder_ids: Sequence[int]) -> None:
    if reminder_ids:
        # robust: a broker that is down must not undo the claim; the rows stay pending
        # with their enqueued_at and the next sweep enqueues them again.
        transaction.on_commit(partial(_enqueue_sends, list(reminder_ids)), robust=True)


def reminders_claim(*, dues: Iterable[Due]) -> int:
    """Insert the dues that are not claimed yet (bulk, ignore_conflicts on the unique
    constraint: a fixed number of queries per batch), and enqueue sending of the newly
    claimed ones with transaction.on_commit. Returns how many were newly claimed."""
    dues = list(dues)
    if not dues:
        return 0
    claim = uuid.uuid4()
    now = timezone.now()
    rows = []
    for kind in {due.kind for due in dues}:
        check_kind(kind)
    for due in dues:
        if due.target.pk is None:
            raise ValueError("A reminder's target must be saved.")
        if not due.title.strip():
            raise ValueError("A reminder needs a title.")
        rows.append(
            Reminder(
                recipient_id=due.recipient_id,
                kind=due.kind,
                # get_for_model is cached per process: no query after the first per model.
                target_type=ContentType.objects.get_for_model(due.target, for_concrete_model=False),
                target_id=due.target.pk,
                due_on=due.due_on,
                key=due.key,
                title=due.title[:300],
                url=due.url,
                context=due.context,
                claim=claim,
                created_at=now,
                enqueued_at=now,
                read_at=None if due.in_app else now,
                cleared_at=None if due.in_app else now,
            )
        )
    with transaction.atomic():
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        claimed = list(Reminder.objects.filter(claim=claim).values_list("id", flat=True))
        _enqueue_on_commit(claimed)
    return len(claimed)


def notify(
    *,
    recipient: AbstractBaseUser,
    kind: str,
    target: models.Model,
    title: str,
    url: str,
    context: dict | None = None,
    due_on: date | None = None,
    key: str = "",
) -> bool:
    """An event notice now (e.g. "a plan waits for your approval"): the same claim path as
    reminders (due_on defaults to today). True when newly claimed."""
    due = Due(
        recipient_id=recipient.pk,
        kind=kind,
        target=target,
        due_on=due_on or timezone.localdate(),
        title=title,
        url=url,
        context=context or {},
        key=key,
    )
    return reminders_claim(dues=[due]) == 1


# --- Sending --------------------------------------------------------------------------------


def _recipient_name(user) -> str:
    person = getattr(user, "person", None)
    return (person.name if person else "") or user.get_full_name() or user.get_username()


def _recipient_address(user) -> str:
    person = getattr(user, "person", None)
    return user.email or (person.email if person else "")


def _delivery(user) -> str:
    try:
        return user.notification_settings.delivery
    except NotificationSettings.DoesNotExist:
        return NotificationSettings.Delivery.IMMEDIATE


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def _common_context(user) -> dict:
    return {
        "recipient_name": _recipient_name(user),
        "notifications_link": absolute_url(reverse("notifications:list")),
    }


class DeliveredButNotRecorded(Exception):
    """The SMTP server accepted the message but the row could not be marked sent (the
    database connection was lost): the task retries the recording only, never the send."""


def _sending_lease() -> timedelta:
    """How long a send in progress keeps others off the row; after it, its worker is dead."""
    return timedelta(seconds=settings.REMINDER_SENDING_LEASE)


def _reminder_message(reminder: Reminder, user, address: str):
    context = {
        **reminder.context,
        **_common_context(user),
        "reminder": reminder,
        "title": reminder.title,
        "link": absolute_url(reminder.url),
        "due_on": reminder.due_on,
    }
    return render_message(kind=reminder.kind, to=address, context=context)


def _reminder_refused(reminder: Reminder, user) -> str | None:
    """Why the reminder is not e-mailed at once (a state it gets), or None to send it."""
    # A calendar invitation goes at once whatever the choice: a digest has no calendar.
    if _delivery(user) == NotificationSettings.Delivery.WEEKLY and not is_calendar(reminder.context):
        reminder.state = Reminder.State.DIGEST
        reminder.save(update_fields=["state"])
        return reminder.state
    if not user.is_active or not _recipient_address(user):
        reminder.state = Reminder.State.FAILED
        reminder.last_error = "The account is inactive." if not user.is_active else "No e-mail address."
        reminder.save(update_fields=["state", "last_error"])
        logger.warning("Reminder %s (%s) not sent: %s", reminder.pk, reminder.kind, reminder.last_error)
        return reminder.state
    return None


@transaction.atomic
def _reminder_take(*, reminder_id: int):
    """Step 1, a short transaction: lock the row, check it is pending and no live worker is
    sending it, mark it `sending_since` and build the message. Returns the message, or the
    state (a string) when there is nothing to send. The lock ends here: no row lock is held
    across the SMTP call."""
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("recipient", "recipient__person", "recipient__notification_settings")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None:
        return "missing"
    if reminder.state != Reminder.State.PENDING:
        return reminder.state
    now = timezone.now()
    if reminder.sending_since and reminder.sending_since > now - _sending_lease():
        return "sending"  # another worker is sending it right now
    refused = _reminder_refused(reminder, reminder.recipient)
    if refused:
        return refused
    message = _reminder_message(reminder, reminder.recipient, _recipient_address(reminder.recipient))
    reminder.sending_since = now
    reminder.save(update_fields=["sending_since"])
    return message


def _reminder_record_sent(*, reminder_id: int, tries: int = 3) -> None:
    """Step 3: mark the delivered reminder sent. A lost database connection is retried a
    few times here; after that DeliveredButNotRecorded (the task retries this step only)."""
    from django.db import InterfaceError, OperationalError, close_old_connections

    for attempt in range(tries):
        try:
            Reminder.objects.filter(pk=reminder_id, state=Reminder.State.PENDING).update(
                state=Reminder.State.SENT,
                sent_at=timezone.now(),
                sending_since=None,
                attempts=F("attempts") + 1,
                last_error="",
            )
            return
        except (InterfaceError, OperationalError) as exc:
            logger.warning("Reminder %s sent, not yet recorded (%s)", reminder_id, type(exc).__name__)
            close_old_connections()
            if attempt + 1 == tries:
                raise DeliveredButNotRecorded(reminder_id) from exc
            time.sleep(2**attempt)


def reminder_send(*, reminder_id: int, delivered: bool = False) -> str:
    """Send one claimed reminder's e-mail once, respecting the recipient's delivery choice
    (weekly -> state "digest"). Returns the new state. Raises on a transient SMTP failure so
    the task retries. Three steps, no row lock across the network call: take the row (mark
    it being sent), send, record it sent. `delivered`: the message went out before and only
    its recording failed (DeliveredButNotRecorded): record it, send nothing."""
    if not delivered:
        message = _reminder_take(reminder_id=reminder_id)
        if isinstance(message, str):
            return message
        try:
            message.send()
        except TRANSIENT_ERRORS as exc:
            Reminder.objects.filter(pk=reminder_id, state=Reminder.State.PENDING).update(
                attempts=F("attempts") + 1, last_error=_error_text(exc), sending_since=None
            )
            logger.warning("Reminder %s: sending failed (%s), will retry", reminder_id, type(exc).__name__)
            raise
    _reminder_record_sent(reminder_id=reminder_id)
    logger.info("Reminder %s sent", reminder_id)
    return Reminder.State.SENT


def reminder_mark_failed(*, reminder_id: int, error: str) -> bool:
    """After the last retry: the row shows as failed in the admin (and the sweep retries it
    later, reminders_retry_failed). Never a reminder that may have been delivered (its send
    is still marked in progress). True when it was pending."""
    updated = Reminder.objects.filter(pk=reminder_id, state=Reminder.State.PENDING, sending_since__isnull=True).update(
        state=Reminder.State.FAILED, last_error=error[:1000], failed_at=timezone.now()
    )
    if updated:
        logger.error("Reminder %s failed for good", reminder_id)
    return bool(updated)


def reminders_resend(*, reminder_ids: Iterable[int]) -> int:
    """Put failed reminders back to pending and enqueue them (the admin's action)."""
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update()
            .filter(pk__in=list(reminder_ids), state=Reminder.State.FAILED)
            .values_list("id", flat=True)
        )
        Reminder.objects.filter(pk__in=ids).update(state=Reminder.State.PENDING, enqueued_at=timezone.now())
        _enqueue_on_commit(ids)
    return len(ids)


# --- The sweep ------------------------------------------------------------------------------


def reminders_requeue_lost(*, batch_size: int = 500, older_than: timedelta | None = None) -> int:
    """Enqueue again the pending reminders whose task was enqueued long ago and never ran
    (a broker restarted empty, a task dropped). Rows a worker is sending right now are
    locked and skipped; the send itself sends only a pending row, so a duplicate task is
    harmless. Three queries per batch."""
    cutoff = timezone.now() - (older_than or timedelta(seconds=settings.REMINDER_REQUEUE_AFTER))
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True), state=Reminder.State.PENDING)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return total
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
            _enqueue_on_commit(ids)
        total += len(ids)
        logger.info("Re-enqueued %d pending reminders whose task was lost", len(ids))


def reminders_sweep(*, today: date | None = None, batch_size: int = 500) -> SweepReport:
    """Run every registered rule for `today`, claim what is due, and re-enqueue pending
    reminders whose task was lost (enqueued long ago, still pending). Bounded batches,
    fixed queries per batch."""
    today = today or timezone.localdate()
    report = SweepReport(today=today)
    for name, rule in rules().items():
        report.claimed[name] = 0
        try:
            for batch in itertools.batched(rule(today=today), batch_size):
                report.claimed[name] += reminders_claim(dues=batch)
        except Exception as exc:
            logger.exception("Reminder rule %s failed", name)
            report.errors[name] = type(exc).__name__
    report.requeued = reminders_requeue_lost(batch_size=batch_size)
    logger.info("Reminder sweep for %s: %d claimed, %d re-enqueued", today, report.total_claimed, report.requeued)
    return report


# --- The weekly digest ----------------------------------------------------------------------


def _enqueue_digests(user_ids: Sequence[int]) -> None:
    from ledelse.notifications import tasks

    for user_id in user_ids:
        tasks.send_digest.delay(user_id)


def digests_enqueue(*, batch_size: int = 500) -> int:
    """Enqueue one digest per person with notifications waiting for it (one query per batch
    of people)."""
    waiting = (
        Reminder.objects.filter(state=Reminder.State.DIGEST, cleared_at__isnull=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    last, total = 0, 0
    while True:
        user_ids = list(waiting.filter(recipient_id__gt=last)[:batch_size])
        if not user_ids:
            return total
        transaction.on_commit(partial(_enqueue_digests, user_ids), robust=True)
        total += len(user_ids)
        last = user_ids[-1]


@transaction.atomic
def _digest_take(*, user_id: int):
    """The digest's step 1 (a short transaction): lock the waiting rows no live worker is
    sending, mark them `sending_since`, build the message. Returns (ids, message), or the
    number listed (0) when there is nothing to send. No lock is held across the SMTP call."""
    user = get_user_model().objects.select_related("person").filter(pk=user_id).first()
    if user is None:
        return 0
    now = timezone.now()
    reminders = list(
        Reminder.objects.select_for_update()
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - _sending_lease()))
        # A notice whose task was done meanwhile (notifications_clear) is not listed.
        .filter(recipient_id=user_id, state=Reminder.State.DIGEST, cleared_at__isnull=True)
        .order_by("created_at", "id")
    )
    if not reminders:
        return 0
    ids = [r.pk for r in reminders]
    address = _recipient_address(user)
    if not user.is_active or not address:
        Reminder.objects.filter(pk__in=ids).update(
            state=Reminder.State.FAILED,
            last_error="The account is inactive." if not user.is_active else "No e-mail address.",
        )
        return 0
    items = [{"title": r.title, "link": absolute_url(r.url), "due_on": r.due_on} for r in reminders]
    context = {**_common_context(user), "items": items, "count": len(items)}
    Reminder.objects.filter(pk__in=ids).update(sending_since=now)
    return ids, render_message(kind=DIGEST_KIND, to=address, context=context)


def digest_send(*, user_id: int) -> int:
    """Send one person the e-mail listing their waiting notifications, once: the rows are
    marked as being sent, the e-mail sent, and the rows marked sent, so a second digest
    task finds none. Returns how many notifications it listed. Raises on a transient SMTP
    failure (the task retries)."""
    taken = _digest_take(user_id=user_id)
    if not taken:
        return 0
    ids, message = taken
    try:
        message.send()
    except TRANSIENT_ERRORS as exc:
        Reminder.objects.filter(pk__in=ids, state=Reminder.State.DIGEST).update(
            attempts=F("attempts") + 1, last_error=_error_text(exc), sending_since=None
        )
        raise
    Reminder.objects.filter(pk__in=ids, state=Reminder.State.DIGEST).update(
        state=Reminder.State.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="", sending_since=None
    )
    logger.info("Digest with %d notifications sent to user %s", len(ids), user_id)
    return len(ids)


def reminder_send_interrupted(*, reminder_id: int, error: str) -> None:
    """The task was stopped mid-send (its soft time limit): the send did not finish, so the
    row is free for the retry."""
    Reminder.objects.filter(pk=reminder_id, state=Reminder.State.PENDING).update(
        attempts=F("attempts") + 1, last_error=error[:1000], sending_since=None
    )


# --- In-app ---------------------------------------------------------------------------------


def notification_mark_read(*, reminder: Reminder) -> bool:
    """Mark one notification read (the view fetched it through reminders_visible_to)."""
    return bool(Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(read_at=timezone.now()))


def notifications_clear(
    *,
    target: models.Model,
    kinds: Iterable[str] | None = None,
    key_prefix: str = "",
    recipient: AbstractBaseUser | None = None,
) -> int:
    """The notices about `target` whose task is done leave the list and the unread count
    (an approved plan clears "waits for your approval"; a prepared LUS clears "your
    preparation is open"). Narrowed by kind, key prefix and recipient. The rows stay: they
    are the claims that keep a reminder from being sent again. Returns how many cleared."""
    rows = Reminder.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        cleared_at__isnull=True,
    )
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if key_prefix:
        rows = rows.filter(key__startswith=key_prefix)
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    now = timezone.now()
    cleared = rows.update(cleared_at=now, read_at=Coalesce(F("read_at"), now))
    if cleared:
        logger.info("Cleared %d notices of %s %s", cleared, target._meta.label_lower, target.pk)
    return cleared


def notifications_remove_for_objects(*, objects: Iterable[models.Model]) -> int:
    """Delete the notices about objects that are deleted: a notice never leads to a page
    that is gone. Called for the models apps name in `notices_deleted_with_object` on their
    AppConfig (ledelse.notifications.apps connects it to their post_delete). One query per
    model."""
    by_type: dict[ContentType, list] = {}
    for obj in objects:
        by_type.setdefault(ContentType.objects.get_for_model(obj, for_concrete_model=False), []).append(obj.pk)
    removed = 0
    for content_type, ids in by_type.items():
        removed += Reminder.objects.filter(target_type=content_type, target_id__in=ids).delete()[0]
    return removed


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_settings_set(*, user: AbstractBaseUser, delivery: str) -> NotificationSettings:
    """Choose e-mails at once or one weekly digest. Notifications already waiting for the
    digest stay in it (they go out with the next digest)."""
    if delivery not in NotificationSettings.Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    obj, _created = NotificationSettings.objects.update_or_create(user=user, defaults={"delivery": delivery})
    return obj
