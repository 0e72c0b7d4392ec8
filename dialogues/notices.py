"""Event notices of the plan workflow (filled in once the shared notifications land)."""

from __future__ import annotations

from dialogues.models import Plan


def plan_state_changed(*, plan: Plan, action: str, comment: str = "") -> None:
    return None
