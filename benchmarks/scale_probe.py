"""The parts of `make bench` that run inside Django (called by benchmarks/scale.py through
`manage.py shell`): the signed-in sessions and page addresses, the queries each page
runs, and the background tasks timed over the whole region. Prints one JSON line."""

from __future__ import annotations

import gc
import json
import resource
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from dialogues.models import Plan
from dialogues.scale import FRAMEWORK_SLUG
from ledelse.models import Person, RoleAssignment
from ledelse.scale.generator import CODE_PREFIX
from values.models import Framework, Item


class _Rollback(Exception):
    pass


@contextmanager
def _counting():
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def _people() -> dict[str, Person]:
    koncern = (
        RoleAssignment.objects.filter(role="koncernledelse", person__employee_id__startswith=CODE_PREFIX)
        .select_related("person__user")
        .order_by("pk")
        .first()
        .person
    )
    leader = (
        Person.objects.filter(is_leader=True, unit__depth=3, unit__code__startswith=CODE_PREFIX)
        .select_related("user", "unit")
        .order_by("unit__path")
        .first()
    )
    employee = (
        Person.objects.filter(is_leader=False, title="Medarbejder", unit__depth=5)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return {"koncern": koncern, "leader": leader, "employee": employee}


def _pages(people: dict[str, Person]) -> list[dict]:
    framework = Framework.objects.select_related("current_version").get(slug=FRAMEWORK_SLUG)
    principle = (
        Item.objects.filter(version=framework.current_version, kind="principle", activities__isnull=False)
        .order_by("position")
        .first()
    ) or Item.objects.filter(version=framework.current_version).exclude(kind="theme").order_by("position").first()
    plan = Plan.objects.get(unit=people["leader"].unit)
    pages = [
        ("floor", "employee", "/bench/floor/"),
        ("Forside (Mit overblik)", "leader", "/"),
        ("Et ledelsesgrundlag", "employee", f"/ledelsesgrundlag/{FRAMEWORK_SLUG}/"),
        ("Et princip", "employee", f"/ledelsesgrundlag/{FRAMEWORK_SLUG}/{principle.key}/"),
        ('Søg "tillid"', "employee", "/ledelsesgrundlag/soeg/?q=tillid"),
        ("Sammenlign", "employee", f"/ledelsesgrundlag/sammenlign/?a=rn-ledelsesgrundlaget&b={FRAMEWORK_SLUG}"),
        ("Planer (liste)", "leader", "/planer/"),
        ("En plan", "leader", f"/planer/{plan.pk}/"),
        ("Status, regionen", "koncern", "/status/"),
        ("Status, enhed midt i træet", "leader", "/status/"),
    ]
    return [{"name": n, "role": r, "path": p} for n, r, p in pages]


def targets() -> dict:
    people = _people()
    clients, cookies = {}, {}
    for role, person in people.items():
        client = Client()
        client.force_login(person.user)
        clients[role] = client
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    pages = _pages(people)
    for page in pages:
        client = clients[page["role"]]
        client.get(page["path"], secure=True)  # fills the shared cache, as the load will find it
        with _counting() as counter:
            response = client.get(page["path"], secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{page['path']} as {page['role']}: {response.status_code}")
        page["queries"] = counter["n"]
    return {"cookies": cookies, "pages": pages, "users": {r: p.user.username for r, p in people.items()}}


def _measure(name: str, run: Callable[[], object]) -> dict:
    """Time, queries and peak memory of one task over the whole region, rolled back after
    each run (so the data stays as generated and the run can be repeated; enqueued tasks
    are on_commit and so never sent)."""

    def once(trace: bool) -> tuple[float, int, float]:
        gc.collect()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        try:
            with _counting() as counter, transaction.atomic():
                run()
                raise _Rollback
        except _Rollback:
            pass
        elapsed = time.perf_counter() - started
        peak = 0.0
        if trace:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        return elapsed, counter["n"], peak

    timings = [once(trace=False) for _ in range(3)]
    _t, _q, peak = once(trace=True)  # tracemalloc slows the run: memory from a run of its own
    times = sorted(t for t, _q, _p in timings)
    return {
        "name": name,
        "kind": "task",
        "median_ms": round(times[1] * 1000, 1),
        "p95_ms": round(times[-1] * 1000, 1),
        "rps": None,
        "floor_ratio": None,
        "queries": timings[0][1],
        "peak_mb": round(peak, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def tasks() -> dict:
    from ledelse.notifications.services import reminders_sweep
    from ledelse.status.services import snapshots_take

    rows = [
        _measure("Påmindelses-sweep (hele regionen)", lambda: reminders_sweep()),
        _measure("Status-snapshot (hele regionen)", lambda: snapshots_take()),
    ]
    return {"rows": rows}


def main(what: str) -> None:
    result = targets() if what == "targets" else tasks()
    print("PROBE " + json.dumps(result, ensure_ascii=False))
