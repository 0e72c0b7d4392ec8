"""One definition of an open plan and an open or overdue activity (dialogues.definitions):
the reminders, Mit overblik, the status page and the weekly snapshot agree on it."""

from __future__ import annotations

from dialogues import reminders
from dialogues.definitions import activity_overdue_q
from dialogues.models import Activity
from ledelse.status import selectors
from ledelse.status.models import Snapshot
from ledelse.status.overview import overview_for
from ledelse.status.selectors import StatusFilter
from ledelse.status.services import snapshots_take
from tests.status.conftest import set_state


def _everyone(org, status_data):
    today = status_data.today
    table = selectors.status_table(
        user=org.users["koncern"],
        filters=StatusFilter(rollout=status_data.rollout, root=org.units["RT"], today=today),
    )
    snapshots_take()
    return {
        "query": set(Activity.objects.filter(activity_overdue_q(today=today)).values_list("title", flat=True)),
        "reminders": {d.target.title for d in reminders.activity_overdue(today=today)},
        "status": table.total.activities_overdue,
        "snapshot": sum(Snapshot.objects.values_list("activities_overdue", flat=True)),
        "own_plan": overview_for(user=org.users["leader"], today=today).own_plan.activities_overdue,
    }


def test_an_overdue_activity_is_overdue_everywhere_until_its_plan_is_completed(org, status_data):
    before = _everyone(org, status_data)
    assert before == {"query": {"a2", "b2"}, "reminders": {"a2", "b2"}, "status": 2, "snapshot": 2, "own_plan": 1}
    set_state(status_data.plans.a, "afsluttet")
    after = _everyone(org, status_data)
    assert after == {"query": {"b2"}, "reminders": {"b2"}, "status": 1, "snapshot": 1, "own_plan": 0}
