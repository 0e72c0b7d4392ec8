"""Every app's reminder rules, registered in its AppConfig.ready().

A rule is called as `rule(today=date)` and yields `Due`s: whom to remind of what, and when.
It must read in bounded batches (`.iterator(chunk_size=...)` with select_related), never one
query per person. The mechanism (claiming, sending, retrying) knows nothing of the rules'
apps, so no app imports another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledelse.notifications.services import Due

ReminderRule = Callable[..., Iterable["Due"]]

logger = logging.getLogger(__name__)

_rules: dict[str, ReminderRule] = {}


def register_rule(name: str, rule: ReminderRule) -> None:
    """Register `rule` under `name`. Registering the same rule again is harmless (ready()
    may run twice); a different rule under a taken name is a programming error."""
    existing = _rules.get(name)
    if existing is not None and existing is not rule:
        raise ValueError(f"A different reminder rule is already registered as {name!r}.")
    _rules[name] = rule


def unregister_rule(name: str) -> None:
    _rules.pop(name, None)


def rules() -> dict[str, ReminderRule]:
    """The registered rules, in registration order (a copy)."""
    return dict(_rules)


def dues_for_each(objects: Iterable[Any], dues_for: Callable[[Any], Iterable[Due]], *, rule: str) -> Iterator[Due]:
    """Each object's dues in turn. When one object fails (a rollout with a deadline of
    9999-12-31 overflows a date sum), the failure is logged with the rule and the object's
    model and id, and the rule goes on with the next object."""
    for obj in objects:
        try:
            dues = list(dues_for(obj))
        except Exception:
            logger.exception("Reminder rule %s failed on %s %s", rule, obj._meta.label_lower, obj.pk)
            continue
        yield from dues
