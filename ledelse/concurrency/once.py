"""One click, one thing: a creating form carries a one-time key (OnceFormMixin, or the
`{% once_field %}` tag for a small button form), and the view makes the thing through
`submit_once`. The key is claimed in the transaction that makes the thing: a second POST
with the same key (a double click, a retried request) waits for the first to commit and
lands where the first one landed; if the first failed, the second makes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledelse.concurrency.models import SubmissionKey

KEEP_KEYS = timedelta(days=2)


@transaction.atomic
def submit_once(*, user: AbstractBaseUser, key: str, make: Callable[[], str]) -> tuple[str, bool]:
    """Run `make` (it makes the thing and returns the URL to land on) once per key and
    user. Returns the URL and whether this call made it. Without a key, `make` just runs."""
    if not key:
        return make(), True
    try:
        with transaction.atomic():
            claim = SubmissionKey.objects.create(user_id=user.pk, key=key)
    except IntegrityError:
        first = SubmissionKey.objects.get(user_id=user.pk, key=key)
        return first.url, False
    url = make()
    claim.url = url[:500]
    claim.save(update_fields=["url"])
    return url, True


def submission_keys_remove_expired(*, now=None) -> int:
    """Keys older than KEEP_KEYS are done with (no one double-clicks two days apart)."""
    now = now or timezone.now()
    removed, _by_model = SubmissionKey.objects.filter(created_at__lt=now - KEEP_KEYS).delete()
    return removed
