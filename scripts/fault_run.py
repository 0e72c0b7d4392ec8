"""Issue 17's fault cases against a running site (gunicorn), a real Celery worker, a real
SMTP server (started here) and a Redis of this run's own: prints counts of what was sent,
duplicated, lost or refused. Not part of the test suite; see the README section "Two people
at once". Run from the project folder with the site's environment (DATABASE_URL, the Redis
URLs, EMAIL_* pointing at SMTP_PORT) and gunicorn already serving BASE:

    python scripts/fault_run.py --base http://127.0.0.1:8107 --smtp-port 8125 --redis-port 6390
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import django
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledelse.settings_test")
django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.db import connection  # noqa: E402

from tests.concurrency.htmlform import form_fields, with_values  # noqa: E402

PASSWORD = "ledelse-demo"
RESULTS: list[tuple[str, str]] = []


def needed[T](found: T | None, what: str) -> T:
    """A row the cases need from the demo data (`make demo`): stop with a clear message
    when it is not there, rather than fail on None further down."""
    if found is None:
        sys.exit(f"fault_run needs {what} in the demo data (make demo).")
    return found


def username(person: object) -> str:
    """The user name of a person the query asked to have an account."""
    user = needed(getattr(person, "user", None), "a person with an account")
    return str(user.username)


def report(case: str, outcome: str) -> None:
    RESULTS.append((case, outcome))
    print(f"{case}: {outcome}", flush=True)


# --- Sessions ---------------------------------------------------------------------------------


class Browser:
    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.s = requests.Session()
        page = self.s.get(f"{base}/accounts/login/")
        data = form_fields(page.text, contains="")
        data.update({"login": [username], "password": [PASSWORD]})
        r = self.post("/accounts/login/", data)
        assert r.status_code in (200, 302) and "sessionid" in self.s.cookies, (username, r.status_code)

    def get(self, path: str) -> requests.Response:
        return self.s.get(self.base + path, allow_redirects=False, timeout=60)

    def post(self, path: str, data: dict) -> requests.Response:
        return self.s.post(
            self.base + path, data=data, allow_redirects=False, timeout=60, headers={"Referer": self.base + path}
        )

    def form(self, path: str, contains: str | None = None) -> dict:
        return form_fields(self.get(path).text, contains=contains)


# --- SMTP server --------------------------------------------------------------------------------


class Smtp:
    def __init__(self) -> None:
        self.mode = "accept"  # accept | refuse | stall
        self.messages: list[bytes] = []
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "stall":
            await asyncio.sleep(30)
        if self.mode == "refuse":
            self.refused += 1
            return "451 4.3.0 Try again later"
        with self.lock:
            self.messages.append(envelope.content)
        return "250 OK"


# --- A worker of its own --------------------------------------------------------------------------


def worker(**env: str) -> subprocess.Popen:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ledelse.settings", **env}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ledelse",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


# --- Cases ----------------------------------------------------------------------------------------


def two_sessions(base: str) -> None:
    from dialogues import services as plans
    from dialogues.models import Plan
    from ledelse.models import Person
    from lus.models import Conversation
    from values.models import FrameworkVersion, Item

    leder2, medarbejder = (Person.objects.get(user__username=u) for u in ("leder2", "medarbejder"))
    plan = needed(Plan.objects.filter(state="kladde").order_by("pk").first(), "a draft plan")
    Plan.objects.filter(pk=plan.pk).update(owner=leder2)
    plan.co_owners.set([medarbejder])
    a, b = Browser(base, "leder2"), Browser(base, "medarbejder")
    path = f"/planer/{plan.pk}/oversaettelse/"
    theme = Item.objects.filter(version=plan.rollout.framework_version, kind="theme").order_by("position")
    t1, t2 = list(theme[:2])
    fa, fb = a.form(path), b.form(path)
    a.post(path, with_values(fa, **{f"theme_{t1.pk}": "A's tekst"}))
    rb = b.post(path, with_values(fb, **{f"theme_{t2.pk}": "B's tekst"}))
    kept = plan.translations.filter(theme=t1, text="A's tekst").exists()
    shown = "En anden har gemt" in rb.text
    b.post(path, form_fields(rb.text))
    both = plan.translations.filter(text__in=["A's tekst", "B's tekst"]).count()
    report(
        "two sessions, plan translation",
        f"first save kept: {kept}; conflict shown: {shown}; both after merge: {both == 2}",
    )

    activity = plans.activity_create(
        plan=plan, data=plans.ActivityData(kind="andet", title="Dialog", responsible=leder2)
    )
    path = f"/planer/{plan.pk}/aktiviteter/{activity.pk}/"
    fa, fb = a.form(path), b.form(path)
    a.post(path, with_values(fa, date="2026-10-15", responsible=str(leder2.pk)))
    rb = b.post(path, with_values(fb, title="Dialog om mod", responsible=str(leder2.pk)))
    activity.refresh_from_db()
    report(
        "two sessions, activity",
        f"date kept: {str(activity.date) == '2026-10-15'}; conflict shown: {'En anden har gemt' in rb.text}",
    )

    conversation = Conversation.objects.filter(leader__user__isnull=False, partner__user__isnull=False).first()
    if conversation is not None:
        a, b = Browser(base, username(conversation.leader)), Browser(base, username(conversation.partner))
        path = f"/lus/{conversation.pk}/referat/"
        fa, fb = a.form(path), b.form(path)
        fa = with_values(
            fa, notes="Lederens noter", agreements__0__what="Ny aftale", agreements__0__due_on="2026-11-01"
        )
        ra = a.post(path, fa)
        rb = b.post(path, with_values(fb, notes="Partnerens noter"))
        conversation.refresh_from_db()
        kept = conversation.notes == "Lederens noter" and conversation.agreements.filter(what="Ny aftale").exists()
        report(
            "two sessions, LUS record",
            f"leader saved: {ra.status_code}; partner: {rb.status_code}; leader's agreement and notes kept: {kept}",
        )

    version = FrameworkVersion.objects.filter(status="udgivet").first()
    draft = plans_draft(version)
    item = draft.items.filter(kind="theme").first()
    a, b = Browser(base, "admin"), Browser(base, "admin")
    path = f"/admin/values/item/{item.pk}/change/"
    fa, fb = a.form(path), b.form(path)
    a.post(path, with_values(fa, title="Ny titel"))
    rb = b.post(path, with_values(fb, body="Ny tekst"))
    item.refresh_from_db()
    report(
        "two sessions, framework item (admin)",
        f"first title kept: {item.title == 'Ny titel'}; second refused with theirs shown: {'Gemt af en anden imens' in rb.text}",
    )


def plans_draft(version):
    from values import services as values_services

    return values_services.version_draft_create(version=version)


def approve_stale(base: str) -> None:
    from dialogues import services as plans
    from dialogues.models import Plan
    from ledelse.models import User

    plan = needed(
        Plan.objects.filter(state="indsendt", owner__user__username="leder2").first(), "leder2's submitted plan"
    )
    approver = Browser(base, "leder")
    old = approver.form(f"/planer/{plan.pk}/", contains="godkend")
    plans.plan_transition(user=User.objects.get(username="leder"), plan=plan, action="send_back", comment="Mere")
    plans.plan_transition(user=User.objects.get(username="leder2"), plan=plan, action="submit")
    approver.post(f"/planer/{plan.pk}/godkend/", old)
    plan.refresh_from_db()
    report("approve from a page loaded before send-back and resubmit", f"approved anyway: {plan.state == 'godkendt'}")


def double_posts(base: str) -> None:
    from dialogues.models import Activity, Plan, Rollout
    from ledelse.models import Person, Unit

    plan = needed(Plan.objects.filter(state="kladde", owner__user__username="leder2").first(), "leder2's draft plan")
    b = Browser(base, "leder2")
    path = f"/planer/{plan.pk}/aktiviteter/ny/"
    before = Activity.objects.filter(plan=plan).count()
    owner = str(plan.owner_id)
    form = with_values(b.form(path), title="Dobbeltklik", responsible=owner)
    codes = [b.post(path, form).status_code for _ in range(2)]
    form = with_values(b.form(path), title="Samtidig", responsible=owner)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        codes += list(pool.map(lambda _: b.post(path, form).status_code, range(2)))
    made = Activity.objects.filter(plan=plan).count() - before
    report(
        "double POST, activity (2 sequential + 2 at once)",
        f"activities made: {made} (of 2 intended); responses: {codes}",
    )

    rollout = Rollout.objects.get(pk=1)
    units = [
        u
        for u in Unit.objects.filter(path__startswith=rollout.scope_unit.path).exclude(plans__rollout=rollout)
        if Person.objects.filter(unit=u, is_leader=True).exists()
    ][:14]
    k = Browser(base, "koncern")
    errors = duplicates = 0
    for unit in units:
        url = f"/planer/udrulninger/{rollout.pk}/enheder/{unit.pk}/ny-plan/"
        form = k.form(url)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            codes = list(pool.map(lambda _, u=url, f=form: k.post(u, f).status_code, range(2)))
        errors += sum(1 for c in codes if c >= 500)
        duplicates += max(0, Plan.objects.filter(rollout=rollout, unit=unit).count() - 1)
    report("start a plan, 2 POSTs at once", f"{len(units)} races: HTTP 5xx {errors}, extra plans {duplicates}")


def locked_audit(base: str, hold: int = 35) -> None:
    import psycopg

    from ledelse.audit.models import AuditEntry
    from lus.models import Conversation

    conversation = needed(
        Conversation.objects.filter(leader__user__isnull=False, partner__user__isnull=False).first(),
        "a LUS whose parties have accounts",
    )
    leader = Browser(base, username(conversation.leader))
    path = f"/lus/{conversation.pk}/referat/"
    form = with_values(leader.form(path), notes="Under låsen")
    entries = AuditEntry.objects.count()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        other.execute(f"LOCK TABLE {AuditEntry._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        r = leader.post(path, form)
        took = time.monotonic() - started
        time.sleep(max(0, hold - took))
        other.rollback()
    conversation.refresh_from_db()
    saved = conversation.notes == "Under låsen"
    added = AuditEntry.objects.count() - entries
    report(
        f"audit table locked {hold} s, LUS record saved",
        f"HTTP {r.status_code} after {took:.0f} s; change saved: {saved}; audit entries written: {added}",
    )


def redis_stopped(base: str, redis_port: int, smtp_port: int) -> None:
    from ledelse.documents.models import DocumentJob

    subprocess.run(["redis-cli", "-p", str(redis_port), "shutdown", "nosave"], check=False, capture_output=True)
    time.sleep(0.5)
    s = requests.Session()
    page = s.get(f"{base}/accounts/login/")
    data = form_fields(page.text, contains="")
    data.update({"login": ["leder"], "password": [PASSWORD]})
    r = s.post(f"{base}/accounts/login/", data=data, allow_redirects=False, headers={"Referer": base})
    report("Redis down: sign-in", f"HTTP {r.status_code}")
    b = Browser(base, "leder")
    DocumentJob.objects.filter(state="pending").update(state="failed", error="earlier run")  # a request of its own
    before = DocumentJob.objects.count()
    doc = b.post(
        "/planer/materiale/alle-dialogkort/", {"pr_ark": "6", **{"csrfmiddlewaretoken": b.s.cookies.get("csrftoken")}}
    )
    job_page = b.get(doc.headers.get("Location", "/")) if doc.status_code == 302 else doc
    report(
        "Redis down: document request",
        f"HTTP {doc.status_code}, job saved: {DocumentJob.objects.count() - before == 1}, Danish notice: "
        f"{'Baggrundstjenesten kan ikke nås' in job_page.text}",
    )
    for path in ("/health/", "/health/live/"):
        h = requests.get(base + path)
        report(f"Redis down: {path}", f"HTTP {h.status_code} {h.json()}")
    subprocess.run(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
        ],
        check=True,
    )
    time.sleep(0.5)
    job = needed(DocumentJob.objects.order_by("-pk").first(), "a document job")
    # The sweep (every 2 minutes under beat) sends a job never handed to the broker once it is
    # DOCUMENTS_REQUEUE_AFTER (180 s) old; here at once, and the sweep is sent by hand.
    w = worker(EMAIL_PORT=str(smtp_port), DOCUMENTS_REQUEUE_AFTER="0")
    try:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-c", "from ledelse.celery import app; app.send_task('documents.sweep_jobs')"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "ledelse.settings", "DOCUMENTS_REQUEUE_AFTER": "0"},
            check=True,
        )
        ok = wait(lambda: DocumentJob.objects.get(pk=job.pk).state == "ready", timeout=240)
        report("Redis back: the saved document job", f"made: {ok} ({time.monotonic() - started:.0f} s after the sweep)")
    finally:
        w.terminate()
        w.wait(30)


RUN = time.strftime("%H%M%S")  # this run's own reminders


def _claim(n: int, tag: str) -> list[int]:
    from ledelse.models import Unit, User
    from ledelse.notifications.models import Reminder
    from ledelse.notifications.services import Due, reminders_claim

    users = list(User.objects.filter(is_active=True).exclude(email="")[:n])
    unit = Unit.objects.first()
    reminders_claim(
        dues=[
            Due(
                recipient_id=u.pk,
                kind="notice",
                target=unit,
                due_on=django.utils.timezone.localdate(),
                title=f"Fejltest {tag}",
                url="/",
                key=f"{tag}-{RUN}",
            )
            for u in users
        ]
    )
    return list(Reminder.objects.filter(key=f"{tag}-{RUN}").values_list("pk", flat=True))


def _delivered(smtp: Smtp, tag: str) -> int:
    return sum(1 for m in smtp.messages if f"Fejltest {tag}".encode() in m)


def _send_task(name: str, **env: str) -> None:
    subprocess.run(
        [sys.executable, "-c", f"from ledelse.celery import app; app.send_task('{name}')"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ledelse.settings", **env},
        check=True,
    )


def smtp_cases(base: str, smtp: Smtp, smtp_port: int) -> None:
    from ledelse.notifications.models import Reminder

    fast = {
        "EMAIL_PORT": str(smtp_port),
        "REMINDER_RETRY_BACKOFF": "1",
        "REMINDER_MAX_RETRIES": "2",
        "REMINDER_FAILED_RETRY_AFTER": "5",
        "REMINDER_SENDING_LEASE": "10",
        "REMINDER_REQUEUE_AFTER": "0",
    }
    # Refusing server, longer than the retries; then back: the recovery sweep sends them.
    smtp.mode = "refuse"
    w = worker(**fast)
    try:
        ids = _claim(10, "refuse")
        wait(lambda: Reminder.objects.filter(pk__in=ids, state="failed").count() == len(ids), timeout=90)
        failed = Reminder.objects.filter(pk__in=ids, state="failed").count()
        smtp.mode = "accept"
        time.sleep(6)
        _send_task("notifications.recover", **fast)
        wait(lambda: Reminder.objects.filter(pk__in=ids, state="sent").count() == len(ids), timeout=90)
        sent = Reminder.objects.filter(pk__in=ids, state="sent").count()
        delivered = _delivered(smtp, "refuse")
        report(
            "SMTP refusing (then back)",
            f"{len(ids)} reminders: failed after retries {failed}, refused tries {smtp.refused}, "
            f"then sent {sent}, delivered {delivered}, duplicated {max(0, delivered - len(ids))}, lost {len(ids) - sent}",
        )
        # Stalled server: sends time out (EMAIL_TIMEOUT 5 s); the pages do not wait.
        smtp.mode = "stall"
        ids = _claim(3, "stall")
        wait(lambda: Reminder.objects.filter(pk__in=ids, sending_since__isnull=False).exists(), timeout=30)
        user = Reminder.objects.get(pk=ids[0]).recipient.username
        b = Browser(base, user)
        started = time.monotonic()
        r = b.post("/notifikationer/laest/", {"csrfmiddlewaretoken": b.s.cookies.get("csrftoken")})
        took = time.monotonic() - started
        smtp.mode = "accept"
        wait(lambda: Reminder.objects.filter(pk__in=ids, state="sent").count() == len(ids), timeout=120)
        sent = Reminder.objects.filter(pk__in=ids, state="sent").count()
        delivered = _delivered(smtp, "stall")
        report(
            "SMTP stalled",
            f"'mark all read' during the stall: HTTP {r.status_code} in {took:.1f} s; {len(ids)} reminders: sent {sent}, "
            f"delivered {delivered}, duplicated {max(0, delivered - len(ids))}, lost {len(ids) - sent}",
        )
    finally:
        w.terminate()
        w.wait(30)
    # A worker killed (SIGKILL) in the middle of sending.
    smtp.mode = "stall"
    w = worker(**fast)
    ids = _claim(5, "killed")
    wait(lambda: Reminder.objects.filter(pk__in=ids, sending_since__isnull=False).exists(), timeout=30)
    time.sleep(1)
    w.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    w.wait(10)
    smtp.mode = "accept"
    w = worker(**fast)
    try:
        time.sleep(11)  # the dead worker's lease
        _send_task("notifications.recover", **fast)
        wait(lambda: Reminder.objects.filter(pk__in=ids, state="sent").count() == len(ids), timeout=120)
        # The conversation the dead worker left at the stalled server ends too: count after it.
        time.sleep(max(2, 32 - (time.monotonic() - killed_at)))
        sent = Reminder.objects.filter(pk__in=ids, state="sent").count()
        failed = Reminder.objects.filter(pk__in=ids, state="failed").count()
        delivered = _delivered(smtp, "killed")
        report(
            "worker killed mid-send",
            f"{len(ids)} reminders: sent {sent}, marked failed {failed}, delivered {delivered}, "
            f"duplicated {max(0, delivered - len(ids))}, lost {len(ids) - sent}",
        )
    finally:
        w.terminate()
        w.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8107")
    parser.add_argument("--smtp-port", type=int, default=8125)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    smtp = Smtp()
    controller = Controller(smtp, hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    cases = {
        "two_sessions": lambda: two_sessions(args.base),
        "approve": lambda: approve_stale(args.base),
        "double": lambda: double_posts(args.base),
        "audit": lambda: locked_audit(args.base),
        "smtp": lambda: smtp_cases(args.base, smtp, args.smtp_port),
        "redis": lambda: redis_stopped(args.base, args.redis_port, args.smtp_port),
    }
    try:
        for name, case in cases.items():
            if args.only is None or name in args.only:
                try:
                    case()
                except Exception as exc:  # noqa: BLE001 - report and go on to the next case
                    report(name, f"could not run: {type(exc).__name__}: {exc}")
    finally:
        controller.stop()
    print("\n".join(f"- {c}: {o}" for c, o in RESULTS))


if __name__ == "__main__":
    main()
