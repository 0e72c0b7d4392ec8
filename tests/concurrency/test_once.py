"""One click, one thing (issue 17, point 3): two identical POSTs (a double click, a retried
request) make one activity, one activity copy, one rollout, one LUS round; two people
starting the same plan at the same moment get one plan and no error page."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dialogues import services as plan_services
from dialogues.models import Activity, Plan, Rollout
from ledelse.concurrency.models import SubmissionKey
from lus.models import Round
from tests.concurrency.htmlform import form_fields, with_values
from tests.values.factories import make_framework

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_double_click_on_save_makes_one_activity(org, plan):
    owner = _session(org.users["leader2"])
    url = reverse("dialogues:activity_create", args=[plan.pk])
    form = with_values(form_fields(owner.get(url).content.decode()), title="Dialog om mod")
    first, second = owner.post(url, form), owner.post(url, form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Activity.objects.filter(plan=plan).count() == 1
    # A new form is a new key: a second activity on purpose is made.
    again = with_values(form_fields(owner.get(url).content.decode()), title="Dialog om mod")
    owner.post(url, again)
    assert Activity.objects.filter(plan=plan).count() == 2


def test_a_key_is_the_users_own(org, plan):
    """Another user's key does not send them to the first user's result."""
    owner = _session(org.users["leader2"])
    url = reverse("dialogues:activity_create", args=[plan.pk])
    form = with_values(form_fields(owner.get(url).content.decode()), title="Dialog om mod")
    owner.post(url, form)
    plan_services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    assert _session(org.users["employee"]).post(url, form).status_code == 302
    assert Activity.objects.filter(plan=plan).count() == 2


def test_a_double_click_on_copy_makes_one_copy(org, plan, make_activity, rollout):
    source = make_activity(plan, title="Fælles dialog")
    target = plan_services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    leader = _session(org.users["leader"])
    detail = leader.get(reverse("dialogues:plan_detail", args=[plan.pk])).content.decode()
    form = form_fields(detail, contains=f"/aktiviteter/{source.pk}/kopier/")
    form["target"] = [str(target.pk)]
    url = reverse("dialogues:activity_copy", args=[plan.pk, source.pk])
    first, second = leader.post(url, form), leader.post(url, form)
    assert first["Location"] == second["Location"]
    assert Activity.objects.filter(plan=target).count() == 1


def test_a_double_click_makes_one_rollout(org, framework):
    koncern = _session(org.users["koncern"])
    url = reverse("dialogues:rollout_create")
    form = with_values(
        form_fields(koncern.get(url).content.decode()),
        title="Aktivering 2027",
        scope_unit=str(org.units["A"].pk),
        framework=str(framework.pk),
        starts_on="2026-06-04",
        deadline="2026-09-30",
    )
    first, second = koncern.post(url, form), koncern.post(url, form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Rollout.objects.filter(title="Aktivering 2027").count() == 1


def test_a_double_click_makes_one_lus_round(org):
    version = make_framework(themes=2, principles=1, owner_unit="Hospital A").current_version
    hr = _session(org.users["hr"])
    url = reverse("lus:round_create")
    form = with_values(
        form_fields(hr.get(url).content.decode()),
        name="LUS 2027",
        scope=str(org.units["A"].pk),
        framework_version=str(version.pk),
        period_start="2027-01-01",
        period_end="2027-12-31",
        preparation_opens="2027-02-01",
        held_by="2027-05-01",
        confirmed_by="2027-06-01",
    )
    first, second = hr.post(url, form), hr.post(url, form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Round.objects.filter(name="LUS 2027").count() == 1


def test_a_failed_first_try_leaves_the_key_free(org, plan):
    owner = _session(org.users["leader2"])
    url = reverse("dialogues:activity_create", args=[plan.pk])
    form = form_fields(owner.get(url).content.decode())
    assert owner.post(url, with_values(form, title="", date="2020-01-01")).status_code == 200
    assert owner.post(url, with_values(form, title="Dialog")).status_code == 302
    assert Activity.objects.filter(plan=plan).count() == 1
    assert SubmissionKey.objects.count() == 1


def _at_once(n, work):
    """Run `work(i)` in n threads released together; the results (or exceptions) by i."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_make_one_activity(org, plan):
    owner = _session(org.users["leader2"])
    url = reverse("dialogues:activity_create", args=[plan.pk])
    form = with_values(form_fields(owner.get(url).content.decode()), title="Dialog om mod")
    clients = [_session(org.users["leader2"]) for _ in range(2)]
    results = _at_once(2, lambda i: clients[i].post(url, form))
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    assert Activity.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db(transaction=True)
def test_starting_the_same_plan_at_the_same_moment_makes_one_plan_and_no_error(org, rollout, monkeypatch):
    unit = org.units["A1a"]
    from ledelse.models import Person

    Person.objects.filter(pk=org.people["employee"].pk).update(unit=unit, is_leader=True)
    starters = [_session(org.users["employee"]), _session(org.users["employee"])]
    url = reverse("dialogues:plan_start", args=[rollout.pk, unit.pk])
    # Both requests pass "no plan yet" before either creates it: the race the issue measured.
    both_checked = threading.Barrier(2)
    original = plan_services.plan_above

    def plan_above_then_wait(**kwargs):
        result = original(**kwargs)
        try:
            both_checked.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return result

    monkeypatch.setattr(plan_services, "plan_above", plan_above_then_wait)
    results = _at_once(2, lambda i: starters[i].post(url, {}))
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    plan = Plan.objects.get(rollout=rollout, unit=unit)
    assert {r["Location"] for r in results} == {plan.get_absolute_url()}
