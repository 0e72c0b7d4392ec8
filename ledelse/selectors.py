"""Reads of the organisation: subtrees, management chains and own leaders."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ledelse.models import Person, Unit


def unit_subtree(*, unit: Unit, include_self: bool = True) -> QuerySet[Unit]:
    """Every unit under `unit`, in tree order (one query)."""
    return Unit.objects.get_descendants(unit, include_self=include_self)


def unit_chain_above(*, unit: Unit, include_self: bool = False) -> QuerySet[Unit]:
    """The units above `unit`, top first (one query; none for a region's top unit)."""
    above = Unit.objects.get_ancestors(unit)
    return (above | Unit.objects.filter(pk=unit.pk)).order_by("depth") if include_self else above


def person_own_leader(*, person: Person) -> Person | None:
    """The person's own leader: the explicit one when set; otherwise, for a leader the
    leader of the nearest unit above, for anyone else the leader of their own unit (or the
    nearest unit above that has one). One query."""
    if person.own_leader_id:
        return person.own_leader
    units = Q(unit__in=Unit.objects.get_ancestors(person.unit))
    if not person.is_leader:
        units |= Q(unit=person.unit)
    return (
        Person.objects.filter(units, is_leader=True)
        .exclude(pk=person.pk)
        .select_related("unit", "user")
        .order_by("-unit__depth")
        .first()
    )
