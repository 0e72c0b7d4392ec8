"""The front page: what the person reads (the frameworks that apply to them, with a few
reflection questions) and what waits for them (Mit overblik). It composes the apps, so it
lives here beside the status views rather than in the organisation core."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ledelse import access
from ledelse.selectors import own_leader_and_chain
from ledelse.status.overview import Overview, overview_for
from values import selectors as values_selectors
from values.selectors import ReaderFramework, ReadingQuestion


def _unit_question(
    overview: Overview | None, frameworks: list[ReaderFramework]
) -> tuple[ReaderFramework | None, ReadingQuestion | None]:
    """For an employee with a unit plan: one of the project's reflection questions on the
    framework the plan is made against (when it applies to them), to take into the unit's
    dialogue. Another one than the first of "For reflection" (another seed); the shared
    cache keeps it, as it keeps those."""
    taking_part = overview.taking_part if overview is not None else None
    if taking_part is None or taking_part.plan is None:
        return None, None
    framework_id = taking_part.plan.rollout.framework_version.framework_id
    framework = next((f for f in frameworks if f.pk == framework_id), None)
    if framework is None:
        return None, None
    found, questions = values_selectors.reading_questions(
        frameworks=[framework], count=1, seed=timezone.localdate().toordinal() + 1
    )
    return found, (questions[0] if questions else None)


def home(request: HttpRequest) -> HttpResponse:
    """The person's own front page: the frameworks that apply to them (their region's and
    the local ones of units in their ledelseskæde), a few reflection questions on their
    framework, search, their place in the organisation, the admin for those who use it."""
    roles = access.roles_for(request.user)
    person = roles.person
    ctx: dict[str, object] = {"person": person, "roles": roles, "own_leader": None, "chain": []}
    overview = ctx["overview"] = overview_for(user=request.user)
    if overview is not None:
        # The header's unread count, already read with the overview's notices (one query less).
        ctx["unread_notifications"] = overview.unread_notifications
    frameworks: list[ReaderFramework] = []
    if person is not None:
        # The own leader and the chain of units in one query (plain rows).
        ctx["own_leader"], chain = own_leader_and_chain(person=person)
        ctx["chain"] = chain
        frameworks = values_selectors.frameworks_for_reader(
            user=request.user, region_id=person.unit.region_id, chain_unit_ids=[u.pk for u in chain]
        )
    # The local framework nearest the person is theirs most of all; then the region's.
    local_first = sorted(frameworks, key=lambda f: f.owner_unit_id is None)
    ctx["frameworks"] = frameworks
    ctx["question_framework"], ctx["questions"] = values_selectors.reading_questions(
        frameworks=local_first[:3], seed=timezone.localdate().toordinal()
    )
    ctx["unit_question_framework"], ctx["unit_question"] = _unit_question(overview, frameworks)
    ctx["uses_admin"] = request.user.is_staff
    return render(request, "ledelse/home.html", ctx)
