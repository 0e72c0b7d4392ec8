"""The parts of `make bench` that run inside Django (called by benchmarks/scale.py through
`manage.py shell`): the signed-in sessions and page addresses, the queries each page
runs, the background tasks timed over the whole region, and each kind of document rendered
(WeasyPrint itself, past the shared PDF store). Prints one JSON line."""

from __future__ import annotations

import gc
import json
import resource
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from dialogues.models import Activity, Plan
from dialogues.scale import FRAMEWORK_SLUG
from ledelse.models import Person, RoleAssignment, User
from ledelse.scale.generator import CODE_PREFIX
from lus.models import Conversation
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


def _needed[T](found: T | None, what: str) -> T:
    """A row the probe needs from the generated region: stop with a clear message when it
    is not there (generate it again: make bench ARGS=--regenerate)."""
    if found is None:
        raise SystemExit(f"The generated region has no {what}.")
    return found


def _user(person: Person) -> User:
    return _needed(person.user, f"account for {person}")


def _people() -> dict[str, Person]:
    koncern = _needed(
        RoleAssignment.objects.filter(role="koncernledelse", person__employee_id__startswith=CODE_PREFIX)
        .select_related("person__user")
        .order_by("pk")
        .first(),
        "koncernledelse",
    ).person
    leader = _needed(
        Person.objects.filter(is_leader=True, unit__depth=3, unit__code__startswith=CODE_PREFIX)
        .select_related("user", "unit")
        .order_by("unit__path")
        .first(),
        "leader at depth 3",
    )
    employee = _needed(
        Person.objects.filter(is_leader=False, title="Medarbejder", unit__depth=5)
        .select_related("user")
        .order_by("pk")
        .first(),
        "employee at depth 5",
    )
    return {"koncern": koncern, "leader": leader, "employee": employee}


def _lus_of(leader: Person) -> Conversation:
    """A LUS the leader takes part in, from the newest round, held or confirmed if there is
    one: their own when it is that far (the owner's page, with its audit log and
    continuity), else one where they are the partner."""
    done = {Conversation.State.HELD, Conversation.State.CONFIRMED}
    candidates = Conversation.objects.filter(Q(leader=leader) | Q(partner=leader)).select_related("round")
    return min(
        candidates,
        key=lambda c: (-c.round.period_start.toordinal(), c.state not in done, c.leader_id != leader.pk, c.pk),
    )


def _pages(people: dict[str, Person]) -> list[dict]:
    framework = Framework.objects.select_related("current_version").get(slug=FRAMEWORK_SLUG)
    principle = _needed(
        (
            Item.objects.filter(version=framework.current_version, kind="principle", activities__isnull=False)
            .order_by("position")
            .first()
        )
        or Item.objects.filter(version=framework.current_version).exclude(kind="theme").order_by("position").first(),
        "principle",
    )
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
        ("LUS (en leders liste)", "leader", "/lus/"),
        ("En LUS", "leader", f"/lus/{_lus_of(people['leader']).pk}/"),
        ("Status, regionen", "koncern", "/status/"),
        ("Status, enhed midt i træet", "leader", "/status/"),
    ]
    return [{"name": n, "role": r, "path": p} for n, r, p in pages]


def targets() -> dict:
    people = _people()
    clients, cookies = {}, {}
    for role, person in people.items():
        client = Client()
        client.force_login(_user(person))
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
    return {"cookies": cookies, "pages": pages, "users": {r: _user(p).username for r, p in people.items()}}


class _RssPeak:
    """The process's resident memory sampled every 20 ms while a block runs: the peak above
    where it started, in MB. For the documents a task makes, where a run under tracemalloc
    would take many times as long (WeasyPrint allocates millions of small objects)."""

    def __init__(self) -> None:
        self.peak = 0.0

    @staticmethod
    def _rss() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20

    def __enter__(self) -> _RssPeak:
        self._start, self._top, self._stop = self._rss(), 0.0, threading.Event()

        def sample() -> None:
            while not self._stop.wait(0.02):
                self._top = max(self._top, self._rss())

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.resident = max(self._top, self._rss())
        self.peak = max(0.0, self.resident - self._start)


def _measure(name: str, run: Callable[[], object], runs: int = 3, rss: bool = False) -> dict:
    """Time, queries and peak memory of one task over the whole region, rolled back after
    each run (so the data stays as generated and the run can be repeated; enqueued tasks
    are on_commit and so never sent). Peak memory from a run of its own under tracemalloc,
    or with `rss` the resident memory sampled during the timed runs."""

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

    resident = None
    if rss:
        with _RssPeak() as sampled:
            timings = [once(trace=False) for _ in range(runs)]
        peak, resident = sampled.peak, round(sampled.resident, 1)
    else:
        timings = [once(trace=False) for _ in range(runs)]
        _t, _q, peak = once(trace=True)  # tracemalloc slows the run: memory from a run of its own
    times = sorted(t for t, _q, _p in timings)
    return {
        "name": name,
        "kind": "task",
        "median_ms": round(statistics.median(times) * 1000, 1),
        # With a few runs the 95th percentile is the slowest of them.
        "p95_ms": round(times[-1] * 1000, 1),
        "rps": None,
        "floor_ratio": None,
        "queries": timings[0][1],
        "peak_mb": round(peak, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # With `rss`: the process's whole resident memory at its peak (what a worker needs).
        "resident_mb": resident,
    }


def tasks() -> dict:
    from ledelse.notifications.services import reminders_sweep
    from ledelse.status.services import snapshots_take

    rows = [
        _measure("Påmindelses-sweep (hele regionen)", lambda: reminders_sweep()),
        _measure("Status-snapshot (hele regionen)", lambda: snapshots_take()),
    ]
    return {"rows": rows}


# --- Documents -------------------------------------------------------------------------------


def _documents(people: dict[str, Person]) -> list[tuple]:
    """Each kind of document the app makes, built as its view or task builds it, from the
    generated region: (name, build) or (name, build, setup), build returning the Document
    and setup a context manager around the timed builds (data made for them, rolled back)."""
    from dialogues import pdf as dialogues_pdf
    from dialogues import selectors as dialogues_selectors
    from ledelse.status.pdf import status_report_document
    from ledelse.status.selectors import StatusFilter
    from lus import forms as lus_forms
    from lus import pdf as lus_pdf
    from lus import selectors as lus_selectors
    from lus import services as lus_services
    from lus.models import Agreement, FollowUp

    leader, koncern = people["leader"], people["koncern"]
    model = Framework.objects.select_related("current_version").get(slug="rm-viden-om-den-midtjyske-ledelsesmodel")
    recruiting = Framework.objects.select_related("current_version").get(slug="rn-ledelsesgrundlaget")
    plan = Plan.objects.select_related("rollout__framework_version__framework", "unit", "owner").get(unit=leader.unit)
    activity = _needed(
        Activity.objects.filter(plan=plan, principles__isnull=False)
        .select_related("responsible")
        .prefetch_related("participants")
        .order_by("position")
        .first(),
        "activity with principles",
    )
    conversation = _needed(
        (
            Conversation.objects.filter(state=Conversation.State.CONFIRMED, leader=leader)
            .order_by("-round__period_start")
            .first()
        )
        or Conversation.objects.filter(state=Conversation.State.CONFIRMED, partner=leader).order_by("pk").first(),
        "confirmed LUS",
    )
    model_version = _needed(model.current_version, "current version of the Midtjylland model")
    recruiting_version = _needed(recruiting.current_version, "current version of the recruitment framework")

    def lus_parts():
        c = lus_selectors.conversation_get_for_user(user=_user(leader), pk=conversation.pk)
        preparations = lus_selectors.preparations_for(conversation=c)
        return c, preparations

    def preparation():
        c, preparations = lus_parts()
        prep = next(p for p in preparations if p.role == "leader")
        items = lus_selectors.conversation_items(conversation=c, preparations=preparations)
        return lus_pdf.preparation_document(conversation=c, preparation=prep, items=items)

    def record():
        c, _p = lus_parts()
        return lus_pdf.record_document(conversation=c, agreements=lus_selectors.agreements_for(conversation=c))

    # The plans of one part of the organisation (dialogues.pdf.build_rollout_plans): the
    # part with the most plans a document may hold. The largest hospital is named in the row.
    assert koncern.user is not None
    parts = dialogues_selectors.rollout_parts(user=koncern.user, rollout=plan.rollout)
    allowed = max((p for p in parts if p.plans <= dialogues_pdf.PLANS_PER_DOCUMENT), key=lambda p: p.plans)
    hospital = max((p for p in parts if p.unit.kind == "hospital"), key=lambda p: p.plans, default=None)
    plans_name = (
        f"PDF: planerne i den største tilladte del ({allowed.unit.name}, {allowed.plans} planer; "
        f"grænse {dialogues_pdf.PLANS_PER_DOCUMENT}"
        + (f"; største hospital {hospital.plans}" if hospital else "")
        + ") (opgave)"
    )

    @contextmanager
    def largest_record():
        """The development plan of the largest record the app allows: MAX_AGREEMENTS
        agreements, each with every text at its longest and MAX_FOLLOWUPS follow-ups, and
        the longest notes; written before the timed builds and rolled back after them."""
        try:
            with transaction.atomic():
                c, _p = lus_parts()
                notes = ("Noter om samtalen. " * 1100)[: lus_forms.NOTES_MAX_LENGTH]
                Conversation.objects.filter(pk=c.pk).update(notes=notes)
                c.agreements.all().delete()
                due = timezone.localdate()
                for n in range(lus_services.MAX_AGREEMENTS):
                    agreement = Agreement.objects.create(
                        conversation=c,
                        position=n,
                        what=("Aftale om at styrke dialogen i ledergruppen. " * 50)[:2000],
                        how=("Vi mødes hver anden uge og følger op på det aftalte. " * 40)[:2000],
                        support=("Sparring med egen leder og HR. " * 40)[:1000],
                        due_on=due,
                    )
                    for k in range(lus_services.MAX_FOLLOWUPS):
                        FollowUp.objects.create(
                            agreement=agreement, date=due, note=("Status: på vej. " * 20)[:300], sequence=k
                        )
                yield
                raise _Rollback
        except _Rollback:
            pass

    def status_report():
        filters = StatusFilter(rollout=plan.rollout, root=koncern.unit, today=timezone.localdate())
        return status_report_document(user=_user(koncern), filters=filters)

    return [
        (
            "PDF: dialogkort, et grundlag (6 pr. ark)",
            lambda: dialogues_pdf.cards_document(
                deck=dialogues_pdf.deck_for(framework=model, version=model_version), per_sheet=6
            ),
        ),
        ("PDF: dialogkort, alle grundlag (opgave)", lambda: dialogues_pdf.build_all_cards(user=leader.user)),
        (
            "PDF: hæfte (A4)",
            lambda: dialogues_pdf.booklet_document(framework=model, version=model_version, page_format="a4"),
        ),
        (
            "PDF: rekrutteringsguide",
            lambda: dialogues_pdf.recruitment_document(framework=recruiting, version=recruiting_version),
        ),
        ("PDF: mødeguide (en aktivitet)", lambda: dialogues_pdf.meeting_guide_document(plan=plan, activity=activity)),
        (
            "PDF: en plan",
            lambda: dialogues_pdf.plan_document(
                sections=dialogues_pdf.plan_sections([plan]), title="Plan", filename="plan.pdf"
            ),
        ),
        (
            plans_name,
            lambda: dialogues_pdf.build_rollout_plans(
                user=koncern.user, rollout_id=plan.rollout_id, unit_id=allowed.unit.pk
            ),
        ),
        ("PDF: LUS-forberedelse", preparation),
        ("PDF: LUS-udviklingsplan", record),
        (
            f"PDF: LUS-udviklingsplan, største tilladte ({lus_services.MAX_AGREEMENTS} aftaler, lange tekster)",
            record,
            largest_record,
        ),
        ("PDF: statusrapport, regionen", status_report),
    ]


def pdfs(renders: int = 3) -> dict:
    """Each document kind built and rendered `renders` times with WeasyPrint (write_pdf, so
    the shared PDF store does not answer from an earlier render): median and slowest,
    queries of one build, peak memory of one more run under tracemalloc (for the documents a
    task makes: resident memory sampled during their one run)."""
    from ledelse.documents.render import render_html, write_pdf

    rows = []
    people = _people()
    for name, build, *setup in _documents(people):
        # The documents a task makes (every card, every plan of the rollout) take far longer:
        # one render of each, its memory sampled as it runs, keeps the benchmark short.
        by_task = "(opgave)" in name
        runs = 1 if by_task else renders

        def run(build=build) -> int:
            document = build()
            return len(write_pdf(document, render_html(document)))

        with setup[0]() if setup else nullcontext():
            row = _measure(name, run, runs=runs, rss=by_task)
        row["kind"] = "pdf"
        rows.append(row)
    rows.append(_stored_cards(people))
    return {"rows": rows}


def _stored_cards(people: dict[str, Person], requests: int = 9) -> dict:
    """The deck of the row above as a reader gets it once the version is published:
    publishing rendered it into the PDF store (dialogues.services.material_warm), and the
    view answers from there. Median and slowest of `requests` requests as an employee."""
    from django.urls import reverse

    from dialogues.services import material_warm

    model = Framework.objects.get(slug="rm-viden-om-den-midtjyske-ledelsesmodel")
    material_warm(version_id=_needed(model.current_version_id, "published version"))  # as publishing does
    client = Client()
    client.force_login(_user(people["employee"]))
    path = reverse("dialogues:cards_pdf", args=[model.slug])

    def request() -> int:
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        return len(response.content)

    request()  # the session and the shared cache, as a reader finds them
    row = _measure(
        "PDF: dialogkort, et grundlag (6 pr. ark), som læseren får den (fra lageret)", request, runs=requests
    )
    row["kind"] = "pdf"
    return row


def main(what: str, **options: object) -> None:
    result = {"targets": targets, "tasks": tasks, "pdfs": pdfs}[what](**options)
    print("PROBE " + json.dumps(result, ensure_ascii=False))
