"""The front page's parts for koncernledelse and HR (issue 20, point 1), and counts in Mit
overblik that are true: exact, or "50+" when there are more than it reads."""

from __future__ import annotations

import re
from datetime import timedelta

from lus.models import Conversation, Round
from tests.status.conftest import _activity


def test_koncernledelse_sees_the_key_figures_of_their_scope_not_a_plan_to_start(client, org, status_data):
    client.force_login(org.users["koncern"])
    response = client.get("/")
    html = response.content.decode()
    kf = response.context["overview"].key_figures
    assert kf.root == org.units["RT"] and kf.figures.units == 6 and kf.lagging == 2
    assert dict((k, n) for k, _label, n in kf.states) == {
        "ingen": 3,
        "kladde": 1,
        "indsendt": 1,
        "godkendt": 1,
        "i_gang": 0,
        "afsluttet": 0,
    }
    assert "Nøgletal for Region Test" in html and "Ingen plan: 3" in html
    assert f'href="/status/?rollout={status_data.rollout.pk}&amp;unit={org.units["RT"].pk}"' in html
    assert "Sæt planen i gang" not in html and "Din enhed har endnu ingen plan" not in html
    # The same figures as the status page.
    page = client.get(f"/status/?rollout={status_data.rollout.pk}&unit={org.units['RT'].pk}")
    assert page.context["table"].total.states == kf.figures.states


def test_a_leader_gets_no_key_figures(client, org, status_data):
    client.force_login(org.users["leader"])
    assert client.get("/").context["overview"].key_figures is None


def test_hr_sees_what_waits_for_hr(client, org, status_data):
    today = status_data.today
    lus_round = Round.objects.create(
        name="LUS A",
        region=org.units["A"].region,
        scope=org.units["A"],
        framework_version=status_data.framework.current_version,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=100),
        preparation_opens=today - timedelta(days=30),
        held_by=today - timedelta(days=1),
        confirmed_by=today + timedelta(days=30),
    )
    Conversation.objects.create(round=lus_round, leader=org.people["leader2"], partner=None)
    Conversation.objects.create(
        round=lus_round, leader=org.people["leader"], partner=org.people["koncern"], state="held"
    )
    client.force_login(org.users["hr"])
    html = client.get("/").content.decode()
    assert "Venter på HR" in html and "LUS A" in html
    assert "1 LUS uden samtalepartner" in html and "1 LUS bagud" in html
    assert f'href="/lus/runder/{lus_round.pk}/"' in html
    client.force_login(org.users["leader"])
    assert "Venter på HR" not in client.get("/").content.decode()


def test_a_list_longer_than_it_reads_says_so_rather_than_a_false_total(client, org, status_data, monkeypatch):
    from ledelse.status import overview

    monkeypatch.setattr(overview, "CAP", 1)  # activities read 2 × CAP rows
    client.force_login(org.users["leader"])
    html = client.get("/").content.decode()
    # Two rows read (2 × CAP): one overdue, one coming; both lists are whole.
    assert "Forsinkede aktiviteter (1)" in html and "Aktiviteter der nærmer sig (1)" in html
    _activity(status_data.plans.a, org, "a5", days=3)
    html = client.get("/").content.decode()
    assert re.search(r"Aktiviteter der nærmer sig \(\d+\+\)", html)


def test_the_key_figures_are_counted_once_and_shared_until_they_expire(client, org, status_data, settings):
    """Like the status page's figures: the same for everyone who sees the same part, so
    counted once per STATUS_CACHE_SECONDS (ledelse.status.keyfigures)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.status.conftest import grow

    settings.STATUS_CACHE_SECONDS = 60
    client.force_login(org.users["koncern"])
    with CaptureQueriesContext(connection) as counted:
        before = client.get("/").context["overview"].key_figures
    with CaptureQueriesContext(connection) as shared:
        still = client.get("/").context["overview"].key_figures
    assert len(shared.captured_queries) <= len(counted.captured_queries) - 5
    grow(org, status_data.rollout, under="B", count=2)
    assert client.get("/").context["overview"].key_figures.figures.units == still.figures.units == before.figures.units
    cache.clear()  # what the expiry does
    assert client.get("/").context["overview"].key_figures.figures.units == before.figures.units + 2


def test_the_header_count_of_unread_notices_is_read_with_the_overview(client, org, status_data):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ledelse.notifications.models import Reminder

    client.force_login(org.users["leader"])
    unit = org.units["A1"]
    for i in range(7):
        Reminder.objects.create(
            recipient=org.users["leader"],
            kind="notice",
            target_type=ContentType.objects.get_for_model(unit),
            target_id=unit.pk,
            due_on=status_data.today,
            key=f"k{i}",
            title=f"Notits {i}",
            url="/",
        )
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/").content.decode()
    assert '<span class="badge badge-info">7<span class="sr-only">' in html
    assert not any(
        'SELECT COUNT(*) AS "__count" FROM "notifications_reminder"' in q["sql"] for q in ctx.captured_queries
    )
