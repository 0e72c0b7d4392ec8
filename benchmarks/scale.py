"""The load benchmark at region scale (make bench).

Against PostgreSQL with the generated region (`seed_scale`, made once in a database of its
own), serves the app as production does (gunicorn with one process per core, DEBUG off,
the shared Redis cache) and loads each main page with `wrk` from a signed-in session of the
right role. The floor, a signed-in page with the base layout only (/bench/floor/, on only
with BENCH_FLOOR), is measured right before each page, and the page's throughput is given
as a ratio to that floor. Then the background tasks over the whole region (reminder sweep,
status snapshot) and the render of each kind of document (PDF): time, queries, peak
memory. Writes bench/results/latest.json and
latest.md and prints the table.

    make bench                                   # BENCH_DATABASE_URL, BENCH_ARGS
    .venv/bin/python benchmarks/scale.py --compare-gthread --skip-pages --skip-tasks --skip-pdfs
    .venv/bin/python benchmarks/scale.py --duration 10 --rounds 3
    .venv/bin/python benchmarks/scale.py --regenerate   # drop and generate the data again

Goals (issues 12 and 23): every page at least 0.5 of the floor's throughput, median under
50 ms, 95th percentile under 150 ms; the sweep under 30 s and 300 MB; a framework's card
deck and the region's status report under 1 s; the largest plans document allowed (one
part of the organisation) under 60 s and 500 MB resident.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ledelse_bench_scale"
GOALS = {"floor_ratio": 0.5, "median_ms": 50, "p95_ms": 150, "sweep_ms": 30_000, "sweep_mb": 300}
# Documents with a goal (issue 23), by the start of their row's name: (median ms, resident MB or None).
DOCUMENT_GOALS = {
    "PDF: dialogkort, et grundlag (6 pr. ark)": (1_000, None),
    "PDF: statusrapport, regionen": (1_000, None),
    "PDF: planerne i den største tilladte del": (60_000, 500),
}


def _document_goal(row: dict) -> tuple[int, int | None] | None:
    if row["kind"] != "pdf":
        return None
    return next((goal for start, goal in DOCUMENT_GOALS.items() if row["name"].startswith(start)), None)


def _manage(env: dict[str, str], *args: str, quiet: bool = True) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout or ""


def _probe(env: dict[str, str], what: str, **options: object) -> dict:
    call = f"scale_probe.main({what!r}, **{options!r})"
    out = _manage(env, "shell", "-c", f"from benchmarks import scale_probe; {call}")
    line = next((line for line in out.splitlines() if line.startswith("PROBE ")), None)
    if line is None:
        sys.exit(f"The probe printed no result:\n{out}")
    return json.loads(line[len("PROBE ") :])


def _ensure_database(url: str, *, drop: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _status(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    status = conn.getresponse().status
    conn.close()
    return status


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _status(port, "/health/", "") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not answer on /health/")


def _wrk(port: int, path: str, cookie: str, *, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"BENCH (.*)", out)
    if match is None:
        sys.exit(f"wrk's output for {path} has no BENCH line (benchmarks/wrk_report.lua):\n{out}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    if values["status_errors"] or values["socket_errors"]:
        sys.exit(f"{path} answered with errors:\n{out}")
    return {
        "rps": values["requests"] / (values["duration_us"] / 1e6),
        "median_ms": values["p50_us"] / 1000,
        "p95_ms": values["p95_us"] / 1000,
    }


def _serve(args: argparse.Namespace, env: dict[str, str], worker_args: list[str]) -> subprocess.Popen:
    """gunicorn on args.port with these worker options; stop it with os.killpg."""
    return subprocess.Popen(
        [str(GUNICORN), "ledelse.wsgi:application", "--bind", f"127.0.0.1:{args.port}", *worker_args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _medians(runs: list[dict], ratios: list[float]) -> dict[str, float]:
    """The medians of a page's wrk runs and of its floor ratios (1.0 for the floor itself)."""
    return {
        "median_ms": round(statistics.median(r["median_ms"] for r in runs), 1),
        "p95_ms": round(statistics.median(r["p95_ms"] for r in runs), 1),
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "floor_ratio": round(statistics.median(ratios), 2) if ratios else 1.0,
    }


def _compare_workers(args: argparse.Namespace, env: dict[str, str], pages: list[dict], cookies: dict) -> list[dict]:
    """The same pages (the floor first) under `args.workers` sync workers and under as many
    gthread workers with `args.gthread_threads` threads each, in the same run: each round
    serves with one kind, then the other, each page measured right after the floor, so the
    two kinds see the same machine. Rows of kind "workers"."""
    kinds = {
        "sync": ["--workers", str(args.workers)],
        "gthread": [
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.gthread_threads),
        ],
    }
    wanted = [p for p in pages[1:] if p["name"] in args.compare_pages] or pages[1:2]
    floor = pages[0]
    run = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    got: dict[tuple[str, str], list[dict]] = {}
    ratios: dict[tuple[str, str], list[float]] = {}
    for round_ in range(1, args.rounds + 1):
        for kind, worker_args in kinds.items():
            print(f"  workers: round {round_}/{args.rounds}, {kind} ...", flush=True)
            server = _serve(args, env, worker_args)
            try:
                _wait_for(args.port)
                for page in [floor, *wanted]:
                    for _ in range(2 * args.workers * args.gthread_threads):  # warm every worker and thread
                        _status(args.port, page["path"], cookies[page["role"]])
                for page in wanted:
                    base = _wrk(args.port, floor["path"], cookies[floor["role"]], **run)
                    one = _wrk(args.port, page["path"], cookies[page["role"]], **run)
                    got.setdefault((kind, floor["name"]), []).append(base)
                    got.setdefault((kind, page["name"]), []).append(one)
                    ratios.setdefault((kind, page["name"]), []).append(one["rps"] / base["rps"])
            finally:
                _stop(server)
    rows = []
    for (kind, name), runs in got.items():
        label = f"{args.workers} sync" if kind == "sync" else f"{args.workers} gthread × {args.gthread_threads} threads"
        rows.append(
            {
                "name": f"{name} ({label})",
                "kind": "workers",
                **_medians(runs, ratios.get((kind, name), [])),
                "queries": None,
                "peak_mb": None,
            }
        )
    return rows


def _fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _page_misses(row: dict) -> list[str]:
    out = []
    if row["floor_ratio"] < GOALS["floor_ratio"]:
        out.append(f"ratio {row['floor_ratio']:.2f} < {GOALS['floor_ratio']}")
    if row["median_ms"] > GOALS["median_ms"]:
        out.append(f"median {row['median_ms']:.0f} > {GOALS['median_ms']} ms")
    if row["p95_ms"] > GOALS["p95_ms"]:
        out.append(f"p95 {row['p95_ms']:.0f} > {GOALS['p95_ms']} ms")
    return out


def _document_misses(row: dict, ms: float, mb: float | None) -> list[str]:
    out = []
    if row["median_ms"] > ms:
        out.append(f"time {row['median_ms'] / 1000:.1f} > {ms / 1000:.0f} s")
    if mb is not None and (row.get("resident_mb") or 0) > mb:
        out.append(f"resident {row['resident_mb']:.0f} > {mb} MB")
    return out


def _misses(row: dict) -> list[str]:
    out = []
    if row["kind"] == "page" and row["name"] != "floor":
        out += _page_misses(row)
    document = _document_goal(row)
    if document is not None:
        out += _document_misses(row, *document)
    if row["kind"] == "task" and row["name"].startswith("Påmindelses"):
        if row["median_ms"] > GOALS["sweep_ms"]:
            out.append(f"time {row['median_ms'] / 1000:.1f} > 30 s")
        if row["peak_mb"] > GOALS["sweep_mb"]:
            out.append(f"memory {row['peak_mb']:.0f} > 300 MB")
    return out


def _table(rows: list[dict], note: str) -> str:
    lines = [
        "| name | kind | median ms | p95 ms | req/s | floor ratio | queries | peak MB | resident MB | goal |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        misses = _misses(row)
        no_goal = (row["kind"] == "pdf" and _document_goal(row) is None) or (
            row["kind"] == "workers" or (row["kind"] == "page" and row["name"] == "floor")
        )
        goal = "–" if no_goal else ("; ".join(misses) or "ok")
        lines.append(
            f"| {row['name']} | {row['kind']} | {_fmt(row['median_ms'])} | {_fmt(row['p95_ms'])} | "
            f"{_fmt(row['rps'])} | {_fmt(row['floor_ratio'], 2)} | {_fmt(row['queries'], 0)} | "
            f"{_fmt(row['peak_mb'])} | {_fmt(row.get('resident_mb'))} | {goal} |"
        )
    return "\n".join(lines) + "\n\n" + note + "\n"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page and round (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds through all pages (default 2)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8110")))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn processes (cores)")
    parser.add_argument("--regenerate", action="store_true", help="drop the database and generate it again")
    parser.add_argument("--seed-args", default="", help='extra seed_scale options, e.g. "--people 3000"')
    parser.add_argument("--skip-tasks", action="store_true")
    parser.add_argument("--skip-pdfs", action="store_true")
    parser.add_argument("--pdf-renders", type=int, default=3, help="renders of each document kind (default 3)")
    parser.add_argument(
        "--compare-gthread",
        action="store_true",
        help="also serve with gthread workers and compare with sync workers in the same run (rows of kind workers)",
    )
    parser.add_argument("--gthread-threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument(
        "--compare-pages",
        nargs="*",
        default=["Forside (Mit overblik)"],
        help="the pages (by name) the worker comparison measures besides the floor (default: the front page)",
    )
    parser.add_argument(
        "--skip-pages", action="store_true", help="leave out the page table (e.g. only compare workers)"
    )
    return parser.parse_args()


def _bench_env() -> dict[str, str]:
    """The environment the served app and manage.py run with (wrk installed if missing)."""
    if not shutil.which("wrk"):
        if os.geteuid() == 0:
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
        else:
            sys.exit("wrk is not installed (apt-get install -y wrk)")
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    if not database_url.startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL must name a PostgreSQL database of its own (it gets the generated region).")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT", "/tmp/ledelse-bench-static"),
        "LOG_LEVEL": "WARNING",
        "BENCH_FLOOR": "true",
        "EMAIL_BACKEND": "dummy",
        "MFA_REQUIRED": "false",
    }
    env.pop("CELERY_BROKER_URL", None)
    env["REDIS_CACHE_URL"] = os.environ.get("REDIS_CACHE_URL") or os.environ.get(
        "REDIS_URL", "redis://127.0.0.1:6379/4"
    )

    return env


def _prepare(env: dict[str, str], args: argparse.Namespace) -> None:
    """The database migrated and filled with the generated region; static files; a fresh cache."""
    database_url = env["DATABASE_URL"]
    print(f"Database {database_url} ...", flush=True)
    _ensure_database(database_url, drop=args.regenerate)
    _manage(env, "migrate", "--noinput")
    has_people = "yes" in _manage(
        env, "shell", "-c", "from ledelse.models import Person; print('yes' if Person.objects.exists() else 'no')"
    )
    if not has_people:
        print("Generating the region (seed_scale) ...", flush=True)
        print(_manage(env, "seed_scale", "--force", *args.seed_args.split()), flush=True)
    _manage(env, "collectstatic", "--noinput")
    # A fresh cache, so pages are measured from what they cache themselves.
    _manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")


def _measure_pages(args: argparse.Namespace, env: dict[str, str], pages: list[dict], cookies: dict) -> list[dict]:
    """Each page's wrk runs, each right after the floor's, in `args.rounds` rounds: rows of kind "page"."""
    results: dict[str, list[dict]] = {p["path"] + p["role"]: [] for p in pages}
    ratios: dict[str, list[float]] = {p["path"] + p["role"]: [] for p in pages}
    floor = pages[0]
    server = _serve(args, env, ["--workers", str(args.workers)])
    try:
        _wait_for(args.port)
        for page in pages:
            for _ in range(2 * args.workers):  # warm every worker (connections, templates, cache)
                status = _status(args.port, page["path"], cookies[page["role"]])
                if status != 200:
                    sys.exit(f"{page['path']} as {page['role']} answered {status}")
        run = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
        for round_ in range(1, args.rounds + 1):
            print(f"  round {round_}/{args.rounds} ...", flush=True)
            for page in pages[1:]:
                base = _wrk(args.port, floor["path"], cookies[floor["role"]], **run)
                got = _wrk(args.port, page["path"], cookies[page["role"]], **run)
                results[floor["path"] + floor["role"]].append(base)
                results[page["path"] + page["role"]].append(got)
                ratios[page["path"] + page["role"]].append(got["rps"] / base["rps"])
    finally:
        _stop(server)

    rows = []
    for page in pages:
        key = page["path"] + page["role"]
        runs = results[key]
        rows.append(
            {
                "name": page["name"],
                "kind": "page",
                "path": page["path"],
                "role": page["role"],
                **_medians(runs, ratios[key]),
                "queries": page["queries"],
                "peak_mb": None,
            }
        )
    return rows


def _note(args: argparse.Namespace) -> str:
    """What the figures are (under the table)."""
    note = (
        f"Medians of {args.rounds} rounds; wrk with {args.threads} threads and {args.connections} connections, "
        f"{args.duration} s a page a round; gunicorn with {args.workers} processes (sync), DEBUG off, "
        "PostgreSQL with the generated region, Redis cache. Each page's floor ratio is its throughput over "
        "the floor's (/bench/floor/) measured right before it. Tasks: median and slowest of 3 runs, "
        "rolled back; peak memory from a 4th run under tracemalloc. Queries: one request of the page "
        "after a warm-up (shared cache filled). PDFs: each document built as its view or task builds it "
        f"and rendered with WeasyPrint past the shared PDF store, median and slowest of {args.pdf_renders} "
        "renders (one for the documents a task makes), queries of one build, peak memory of one more "
        "render under tracemalloc (for the documents a task makes: resident memory sampled during their "
        "one render; resident MB is the whole process at that peak, what a worker needs). The plans "
        "document is made per part of the organisation (at most dialogues.pdf.PLANS_PER_DOCUMENT plans): "
        'the row is the part with the most plans allowed. The card deck "som læseren får den" is its view '
        "requested as an employee once publishing has put it in the PDF store (median and slowest of 9 "
        "requests). Goals: a framework's card deck and the "
        "region's status report under 1 s; the largest allowed plans document under 60 s and 500 MB "
        "resident."
    )
    if args.compare_gthread:
        note += (
            f" Workers (--compare-gthread): the floor and {', '.join(args.compare_pages)} served by {args.workers} "
            f"sync workers and by {args.workers} gthread workers with {args.gthread_threads} threads each, "
            "alternating in each round, each page right after the floor."
        )
    return note


def main() -> int:
    args = _arguments()
    env = _bench_env()
    _prepare(env, args)
    targets = _probe(env, "targets")
    cookies, pages = targets["cookies"], targets["pages"]
    print("Signed in as " + ", ".join(f"{r}={u}" for r, u in targets["users"].items()), flush=True)

    rows = [] if args.skip_pages else _measure_pages(args, env, pages, cookies)
    if args.compare_gthread:
        print("Comparing sync and gthread workers ...", flush=True)
        rows.extend(_compare_workers(args, env, pages, cookies))
    if not args.skip_tasks:
        print("Timing the background tasks over the whole region ...", flush=True)
        rows.extend(_probe(env, "tasks")["rows"])
    if not args.skip_pdfs:
        print("Rendering each kind of document ...", flush=True)
        rows.extend(_probe(env, "pdfs", renders=args.pdf_renders)["rows"])
    note = _note(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    table = _table(rows, note)
    (RESULTS / "latest.md").write_text("# make bench: latest results\n\n" + table)
    print("\n" + table)
    missed = [row["name"] for row in rows if _misses(row)]
    if missed:
        print("Goals missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
