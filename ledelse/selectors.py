"""Reads of the organisation: subtrees, management chains and own leaders."""

from __future__ import annotations

from django.db.models import QuerySet

from ledelse.models import Person, Unit


def _ancestor_paths(unit: Unit) -> list[str]:
    steplen = Unit.steplen
    return [unit.path[: steplen * depth] for depth in range(1, unit.depth)]


def unit_subtree(*, unit: Unit, include_self: bool = True) -> QuerySet[Unit]:
    """Every unit under `unit` (one query)."""
    qs = Unit.objects.filter(path__startswith=unit.path)
    if not include_self:
        qs = qs.exclude(pk=unit.pk)
    return qs.order_by("path")


def unit_chain_above(*, unit: Unit, include_self: bool = False) -> QuerySet[Unit]:
    """The units above `unit`, top first (one query)."""
    paths = _ancestor_paths(unit) + ([unit.path] if include_self else [])
    return Unit.objects.filter(path__in=paths).order_by("depth")


def unit_is_within(*, unit: Unit, ancestor: Unit) -> bool:
    """True when `unit` is `ancestor` or lies under it (no query)."""
    return unit.path.startswith(ancestor.path)


def person_own_leader(*, person: Person) -> Person | None:
    """The person's own leader: the explicit one when set; otherwise, for a leader the
    leader of the nearest unit above, for anyone else the leader of their own unit (or the
    nearest unit above that has one). One query."""
    if person.own_leader_id:
        return person.own_leader
    unit = person.unit
    paths = _ancestor_paths(unit)
    if not person.is_leader:
        paths.append(unit.path)
    return (
        Person.objects.filter(is_leader=True, unit__path__in=paths)
        .exclude(pk=person.pk)
        .select_related("unit", "user")
        .order_by("-unit__depth")
        .first()
    )


def person_get_for_user(*, user) -> Person | None:
    if not user.is_authenticated:
        return None
    try:
        return Person.objects.select_related("unit", "unit__region").get(user=user)
    except Person.DoesNotExist:
        return None
