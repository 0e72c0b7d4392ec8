"""What an employee takes part in, for the front page: the plans out for comments (høring)
that ask them, their unit's plan and what the unit has agreed per theme, the activities they
are invited to, and their seats in MED.

For the people who do not head a unit and hold no HR or koncernledelse role (the leaders'
front page has their own plan and what waits for them instead). A fixed number of queries
whatever the size of the data: the plan, its texts (none when the shared cache has them:
`_agreed`), the activities and the seats are one query each, and the open hearings that
invited them one more.

The unit's plan is the plan of the person's own unit in the newest rollout that has a plan
for their unit or a unit above it; when their own unit has none in it, the plan of the
nearest unit above that has one (a section without a plan of its own works by its
department's). Plans are read through `dialogues.access.plans_visible_to`, the one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import F, Q

from dialogues import access as plan_access
from dialogues.definitions import activity_open_q
from dialogues.models import Activity, Hearing, Plan, PlanTranslation
from ledelse.access import Roles
from ledelse.models import MedMembership
from ledelse.selectors import ancestor_paths, med_memberships_of
from ledelse.status.access import AnyUser

AGREED_STATES = frozenset({Plan.State.GODKENDT, Plan.State.I_GANG, Plan.State.AFSLUTTET})
# Activities listed; the count says how many there are up to CAP.
LIMIT = 5
CAP = 50


@dataclass(frozen=True)
class AgreedRow:
    """What the unit wrote for one theme of its framework (the themes in order)."""

    theme_pk: int
    heading: str
    text: str


@dataclass(frozen=True)
class TakingPart:
    plan: Plan | None  # the unit's plan (None: no plan covers the unit yet)
    own_unit: bool  # the plan is the person's own unit's, not one above
    agreed: list[AgreedRow] = field(default_factory=list)  # themes with text, in order
    activities: list[Activity] = field(default_factory=list)  # at most LIMIT, soonest first
    activities_count: int = 0
    activities_capped: bool = False
    seats: list[MedMembership] = field(default_factory=list)
    # Open hearings (by the calendar) that invited the person, closing soonest first.
    hearings: list[Hearing] = field(default_factory=list)

    @property
    def activities_more(self) -> bool:
        return self.activities_count > len(self.activities)

    @property
    def agreed_final(self) -> bool:
        """The texts are agreed (the plan is approved or further), not a draft under way."""
        return self.plan is not None and self.plan.state in AGREED_STATES


def takes_part_view(roles: Roles) -> bool:
    """Whose front page shows what they take part in: a person who does not head a unit and
    holds no HR or koncernledelse role."""
    return roles.person is not None and not roles.is_leader and not roles.is_hr and not roles.is_koncernledelse


def _unit_plan(user: AnyUser, roles: Roles) -> Plan | None:
    person = roles.person
    assert person is not None
    paths = ancestor_paths(person.unit.path, include_self=True)
    return (
        plan_access.plans_visible_to(user)
        .filter(unit__path__in=paths)
        .select_related("rollout__framework_version", "unit")
        .only(
            "id",
            "state",
            "lock_version",
            "updated_at",
            "unit__id",
            "unit__name",
            "unit__path",
            "rollout__id",
            "rollout__title",
            "rollout__framework_version__id",
            "rollout__framework_version__framework_id",
            "rollout__framework_version__changed_at",
        )
        .order_by("-rollout__starts_on", "-rollout_id", "-unit__depth")
        .first()
    )


# What a plan says per theme is the same for every reader of the plan: kept in the shared
# cache under the plan's change stamp (lock_version and updated_at, one of which every
# service that changes a text raises: plan_translation_save, _restore and _copy, and
# plan_changed_outside for the admin) and its framework version's `changed_at` (the themes'
# titles; values.services bumps it). The plan itself is read on every request, through the
# access rule, and its stamp with it.
AGREED_TIMEOUT = 10 * 60
_AGREED_SHAPE = 1  # raised when AgreedRow changes: a deploy reads afresh


def _agreed_key(plan: Plan) -> str:
    version = plan.rollout.framework_version
    return (
        f"status:plan-agreed:{_AGREED_SHAPE}:{plan.pk}:{plan.lock_version}:{plan.updated_at.timestamp()}"
        f":{version.pk}:{version.changed_at.timestamp()}"
    )


def _agreed(plan: Plan) -> list[AgreedRow]:
    """The themes the plan has a text for, in the framework's order: one query, none when cached."""
    key = _agreed_key(plan)
    rows = cache.get(key)
    if rows is None:
        rows = [
            AgreedRow(theme_pk=t.theme.pk, heading=t.theme.heading, text=t.text)
            for t in PlanTranslation.objects.filter(plan=plan)
            .exclude(text="")
            .select_related("theme")
            .only("id", "plan_id", "text", "theme__id", "theme__title", "theme__key", "theme__position")
            .order_by("theme__position")
        ]
        cache.set(key, rows, AGREED_TIMEOUT)
    return rows


def _activities(user: AnyUser, person_id: int, today: date) -> tuple[list[Activity], bool]:
    """The open activities the person takes part in, dated today or later or not dated yet,
    soonest first (one query, at most CAP + 1 rows)."""
    rows = list(
        Activity.objects.filter(
            activity_open_q(),
            Q(date__gte=today) | Q(date__isnull=True),
            participants__id=person_id,
            plan__in=plan_access.plans_visible_to(user),
        )
        .select_related("plan__unit")
        .only(
            "id",
            "title",
            "kind",
            "date",
            "start_time",
            "end_time",
            "location",
            "status",
            "plan_id",
            "plan__unit__name",
        )
        .order_by(F("date").asc(nulls_last=True), "start_time", "id")[: CAP + 1]
    )
    return rows[:CAP], len(rows) > CAP


def _open_hearings(person_id: int, today: date) -> list[Hearing]:
    """The hearings that invited the person and are open by the calendar (through their
    closing date), soonest closing first; at most LIMIT (one query)."""
    return list(
        Hearing.objects.filter(invitations__person_id=person_id, closed_at__isnull=True, closes_on__gte=today)
        .select_related("plan__unit", "plan__rollout")
        .only("id", "closes_on", "plan__id", "plan__unit__name", "plan__rollout__title")
        .order_by("closes_on", "id")[:LIMIT]
    )


def taking_part_for(*, user: AnyUser, roles: Roles, today: date) -> TakingPart | None:
    """What the person takes part in; None for someone whose front page does not show it."""
    if not takes_part_view(roles):
        return None
    person = roles.person
    assert person is not None
    plan = _unit_plan(user, roles)
    activities, capped = _activities(user, person.pk, today)
    return TakingPart(
        plan=plan,
        own_unit=plan is not None and plan.unit_id == person.unit_id,
        agreed=_agreed(plan) if plan is not None else [],
        activities=activities[:LIMIT],
        activities_count=len(activities),
        activities_capped=capped,
        seats=list(med_memberships_of(person=person)),
        hearings=_open_hearings(person.pk, today),
    )
