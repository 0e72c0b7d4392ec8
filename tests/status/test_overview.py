"""Mit overblik on the front page: what waits for each person, in a fixed number of queries."""

from datetime import timedelta

from django.utils import timezone

from dialogues.models import Plan
from ledelse.notifications.services import notify
from ledelse.status import overview
from ledelse.status.overview import overview_for


def _groups(overview):
    return {g.key: [i.title for i in g.items] for g in overview.groups}


def test_the_responsible_sees_activities_due_and_overdue(org, status_data):
    overview = overview_for(user=org.users["leader"], today=status_data.today)
    # a2 (overdue) and a3 (in 10 days) are leader's; a1 is done, a4 cancelled. Coming and
    # overdue ones are listed apart (issue 19).
    assert _groups(overview)["activities"] == ["a3"]
    assert _groups(overview)["activities-overdue"] == ["a2"]
    a2 = overview.groups[0].items[0]
    assert a2.overdue and a2.note == "Hospital A"
    employee = overview_for(user=org.users["employee"], today=status_data.today)
    assert _groups(employee)["activities-overdue"] == ["b2"]


def test_a_plan_owner_sees_the_draft_to_submit_and_the_approver_the_plan_to_approve(org, status_data):
    assert _groups(overview_for(user=org.users["leader3"]))["submit"] == ["Hospital B"]
    # A1 waits for leader (leader2's own leader); leader2 has nothing to approve.
    assert _groups(overview_for(user=org.users["leader"]))["approve"] == ["Afdeling A1"]
    assert _groups(overview_for(user=org.users["leader2"]))["approve"] == []
    assert _groups(overview_for(user=org.users["employee"]))["submit"] == []


def test_the_drafts_and_the_plans_to_approve_keep_their_order_and_each_its_own_cap(org, status_data, monkeypatch):
    # Both lists are read in one query: each keeps its order and is counted up to CAP apart.
    Plan.objects.filter(pk__in=[status_data.plans.a.pk, status_data.plans.b.pk]).update(
        state=Plan.State.KLADDE, owner=org.people["leader"]
    )
    groups = {g.key: g for g in overview_for(user=org.users["leader"]).groups}
    assert [i.title for i in groups["submit"].items] == ["Hospital A", "Hospital B"]
    assert groups["submit"].items[0].url == status_data.plans.a.get_absolute_url()
    assert [i.title for i in groups["approve"].items] == ["Afdeling A1"]
    assert groups["approve"].items[0].due_on == timezone.localdate(status_data.plans.a1.submitted_at)
    monkeypatch.setattr(overview, "CAP", 1)
    groups = {g.key: g for g in overview_for(user=org.users["leader"]).groups}
    assert ([i.title for i in groups["submit"].items], groups["submit"].capped) == (["Hospital A"], True)
    assert ([i.title for i in groups["approve"].items], groups["approve"].capped) == (["Afdeling A1"], False)


def test_a_follow_up_waits_until_the_outcome_is_written(org, status_data):
    activity = status_data.activities.b1
    activity.follow_up_on = status_data.today - timedelta(days=1)
    activity.save()
    assert _groups(overview_for(user=org.users["leader2"]))["follow-up"] == ["b1"]
    activity.outcome = "Godt møde"
    activity.save()
    assert _groups(overview_for(user=org.users["leader2"]))["follow-up"] == []


def test_unread_notifications_are_listed(org, status_data):
    notify(
        recipient=org.users["employee"],
        kind="notice",
        target=status_data.plans.a1,
        title="En plan venter",
        url="/planer/",
    )
    assert _groups(overview_for(user=org.users["employee"]))["notifications"] == ["En plan venter"]
    assert _groups(overview_for(user=org.users["leader"]))["notifications"] == []


def test_a_leader_sees_their_own_units_plan_at_a_glance(org, status_data):
    own = overview_for(user=org.users["leader"], today=status_data.today).own_plan
    assert own.plan == status_data.plans.a
    assert (own.activities_planned, own.activities_done, own.activities_overdue) == (3, 1, 1)
    assert own.next_activity_on == status_data.today + timedelta(days=10)
    assert overview_for(user=org.users["employee"]).own_plan is None
    # A leader whose unit has no plan yet gets the rollout to start it from.
    status_data.plans.b.delete()
    own = overview_for(user=org.users["leader3"]).own_plan
    assert own.plan is None and own.rollout == status_data.rollout


def test_the_front_page_shows_the_overview(client, org, status_data):
    client.force_login(org.users["leader"])
    html = client.get("/").content.decode()
    assert "Mit overblik" in html and "Afdeling A1" in html and "Se implementeringsstatus" in html
    client.force_login(org.users["employee"])
    html = client.get("/").content.decode()
    assert "Mit overblik" in html and "b2" in html and "Se implementeringsstatus" not in html


def test_the_front_page_runs_the_same_queries_however_much_waits(client, org, status_data, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.status.conftest import _activity

    client.force_login(org.users["leader"])
    client.get("/")  # fills the shared cache (the day's reflection questions), as every later view finds it
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    small_count = len(small.captured_queries)  # read now: the next request empties the connection's log
    # The session and the user, the roles, then the page's own reads: the own leader and the
    # chain of units (one), the frameworks, the activities, the notices, the plans waiting,
    # the LUS waiting and agreements (one), the own plan: 11 in all.
    assert small_count <= 11
    for i in range(12):
        _activity(status_data.plans.a, org, f"ekstra {i}", days=i)
    client.get("/")  # the new activities changed the own plan's figures: counted once, then shared
    with django_assert_num_queries(small_count):
        client.get("/")


def test_the_overview_reads_only_what_its_lines_show(client, org, status_data):
    """Mit overblik reads no LUS notes, no round questions and no one's account for its
    lines (region scale: these columns are most of the rows' weight)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.users["leader"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any('"lus_conversation"."notes"' in q or '"lus_round"."questions"' in q for q in sql)
    assert not any('FROM "lus_conversation"' in q and '"ledelse_user"' in q for q in sql)
