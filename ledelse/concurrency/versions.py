"""Optimistic concurrency for edit forms.

A row that people edit has a version number (`lock_version`), raised by every service that
changes what its forms show (`version_bump`). A form carries the version it was loaded
from, with a short fingerprint of each value it showed (`seen_token`, in the hidden field
`seen_version`). The service compares (`version_check`): when the row has moved on and a
value the other person changed differs from what this user sends, nothing is saved and a
`VersionConflict` says, per field, what is stored now ("theirs") and what this user sent
("yours"); the form shows it and lets the user keep theirs, take the other's or merge
(ledelse.concurrency.forms, templates/includes/version_conflict.html). Values only this
user changed, or changed the same way by both, pass.

A confirmation or approval names the version it saw (`version_require`): a changed record
or plan asks again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

SEEN_FIELD = "seen_version"


def _normalised(value: Any) -> Any:
    """A JSON-able form of a value, equal for equal content (text without carriage returns
    and outer blanks; objects by id; unordered collections sorted)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | models.QuerySet):
        return sorted((_normalised(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_normalised(v) for v in value]
    return value


def fingerprint(value: Any) -> str:
    data = json.dumps(_normalised(value), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def display(value: Any) -> str:
    """A value as a person reads it on the conflict page."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, set | frozenset | models.QuerySet):
        return ", ".join(sorted(display(v) for v in value)) or "–"
    if isinstance(value, list):
        return "\n".join(display(v) for v in value) or "–"
    if isinstance(value, tuple):
        return " · ".join(display(v) for v in value if v not in (None, ""))
    return str(value)


@dataclass(frozen=True)
class Seen:
    """The version a form was loaded from and the fingerprints of the values it showed."""

    number: int
    fingerprints: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, token: str | None) -> Seen | None:
        """None when the form carried no version (an internal caller); an unreadable token
        counts as a version that matches nothing."""
        if not token:
            return None
        head, *parts = token.split(";")
        try:
            number = int(head)
        except ValueError:
            return cls(number=-1)
        pairs = (part.partition("=") for part in parts)
        return cls(number=number, fingerprints={name: value for name, _sep, value in pairs})


def seen_token(*, number: int, values: Mapping[str, Any]) -> str:
    """What the form carries: the version and a fingerprint per value it shows."""
    return ";".join([str(number), *(f"{name}={fingerprint(value)}" for name, value in values.items())])


@dataclass(frozen=True)
class FieldChange:
    name: str
    theirs: Any
    yours: Any
    yours_changed: bool  # this user changed it too: keeping theirs would lose the user's work

    @property
    def theirs_text(self) -> str:
        return display(self.theirs)

    @property
    def yours_text(self) -> str:
        return display(self.yours)


class VersionConflict(ValidationError):
    """Someone saved since the form was loaded, and what they saved differs from what this
    user sends. Nothing was saved. A ValidationError, so a view that does not show the
    comparison still shows the message and saves nothing."""

    def __init__(self, *, number: int, theirs: Mapping[str, Any], changes: list[FieldChange]) -> None:
        super().__init__(
            _(
                "Someone else saved a change while you were editing, so nothing was saved. "
                "Compare below, choose what to keep, and save again."
            ),
            code="version_conflict",
        )
        self.number = number
        self.theirs = dict(theirs)
        self.changes = changes

    @property
    def token(self) -> str:
        """The version to resubmit against: what is stored now."""
        return seen_token(number=self.number, values=self.theirs)


def version_check(*, seen: Seen | None, number: int, theirs: Mapping[str, Any], yours: Mapping[str, Any]) -> None:
    """Raise VersionConflict when the row moved on from `seen` and a value someone else
    changed differs from what this user sends. `theirs` are the stored values (the row
    locked), `yours` what the user sends, both keyed as in the form's token."""
    if seen is None or seen.number == number:
        return
    changes = []
    for name, stored in theirs.items():
        if name not in yours:
            continue
        stored_print, sent_print = fingerprint(stored), fingerprint(yours[name])
        base = seen.fingerprints.get(name)
        if sent_print == stored_print or base == stored_print:
            continue  # the same on both sides, or only this user changed it
        changes.append(FieldChange(name=name, theirs=stored, yours=yours[name], yours_changed=base != sent_print))
    if changes:
        raise VersionConflict(number=number, theirs=theirs, changes=changes)


def version_require(*, seen: int | None, number: int, message: str) -> None:
    """A confirmation or approval of what the user saw: refused (with `message`) when the
    row has changed since. `seen` None: an internal caller that names no version."""
    if seen is not None and seen != number:
        raise ValidationError(message, code="version_changed")


def version_bump(instance: models.Model) -> None:
    """Raise the row's version in the database (whoever else holds the object) and on the
    instance."""
    type(instance)._base_manager.filter(pk=instance.pk).update(lock_version=F("lock_version") + 1)
    instance.lock_version += 1


def seen_number(value: str | None) -> int | None:
    """The version a confirm or approve button carried (its hidden `seen_version`): None
    when missing, -1 when unreadable (so it matches nothing)."""
    if value is None or value == "":
        return None
    try:
        return int(value.split(";")[0])
    except ValueError:
        return -1
