"""Throughput of the reading pages against the front page (make bench-pages).

Serves the app as production does (gunicorn, 2 workers, DEBUG off, PostgreSQL with the
demo data, the shared Redis cache when REDIS_URL is set) and runs `wrk` with 4
connections from a signed-in session on each page in turn, the front page again right
before each. Prints requests per second and each page's ratio to the front page's,
measured in the same run (medians of the rounds): the goal for every reading page is at
least 0.5.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledelse_bench make bench-pages
    .venv/bin/python benchmarks/pages.py --duration 10 --user leder

The database named by DATABASE_URL is migrated and given the demo organisation and the
frameworks (seed_demo --force, load_frameworks): use one of its own, not production's.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

# (label, path). The first is the floor the others are compared with.
PAGES = [
    ("Forside", "/"),
    ("Liste over grundlag", "/ledelsesgrundlag/"),
    ("RN Ledelsesgrundlaget", "/ledelsesgrundlag/rn-ledelsesgrundlaget/"),
    ("God ledelse og styring", "/ledelsesgrundlag/rm-god-ledelse-og-styring/"),
    ("Regionssekretariatet", "/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/"),
    ("Personalepolitik", "/ledelsesgrundlag/rm-personalepolitik/"),
    ("Midtjyske ledelsesmodel", "/ledelsesgrundlag/rm-viden-om-den-midtjyske-ledelsesmodel/"),
    ("Principside", "/ledelsesgrundlag/rn-ledelsesgrundlaget/vi-praktiserer-det-dobbelte-lederskab/"),
    ('Søg "tillid"', "/ledelsesgrundlag/soeg/?q=tillid"),
    ("Sammenlign", "/ledelsesgrundlag/sammenlign/?a=rn-ledelsesgrundlaget&b=rm-god-ledelse-og-styring"),
]
GOAL = 0.5

_SESSION_CODE = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username={username!r}))
print("SESSION=" + settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _prepare(env: dict[str, str], *, seed: bool) -> None:
    _run(env, "migrate", "--noinput")
    if seed:
        _run(env, "seed_demo", "--force")
        _run(env, "load_frameworks")
    _run(env, "collectstatic", "--noinput")


def _session(env: dict[str, str], username: str) -> str:
    """The Cookie header value of a signed-in session: name=value, with the name the
    settings give (production settings call it __Host-sessionid)."""
    out = _run(env, "shell", "-c", _SESSION_CODE.format(username=username))
    match = re.search(r"SESSION=(\S+)", out)
    if not match:
        sys.exit(f"No session for {username!r}: {out}")
    return match.group(1)


def _wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer on {url}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect (to sign-in) is an answer to report, not to follow


def _get(url: str, cookie: str) -> int:
    """The status of a signed-in GET; a redirect to sign-in shows as 302, never as the
    sign-in page's 200."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wrk(url: str, cookie: str, *, duration: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-H", f"Cookie: {cookie}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx or 3xx responses" in out:
        sys.exit(f"{url} answered with errors:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        sys.exit(f"wrk's output for {url} has no Requests/sec:\n{out}")
    return float(match.group(1))


def _bench_env() -> dict[str, str]:
    """The server's environment (wrk and a PostgreSQL DATABASE_URL are required)."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk)")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it gets the demo data).")
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT", "/tmp/ledelse-bench-static"),
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("REDIS_URL") and not os.environ.get("REDIS_CACHE_URL"):
        env["REDIS_CACHE_URL"] = os.environ["REDIS_URL"]
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page and round (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds through all pages (default 3)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8102")))
    parser.add_argument("--user", default="medarbejder", help="the signed-in demo account (default medarbejder)")
    parser.add_argument("--no-seed", action="store_true", help="skip seed_demo and load_frameworks")
    args = parser.parse_args()

    env = _bench_env()
    print("Preparing the database and static files ...", flush=True)
    _prepare(env, seed=not args.no_seed)
    cookie = _session(env, args.user)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(GUNICORN), "ledelse.wsgi:application", "--bind", f"127.0.0.1:{args.port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for(f"{base}/health/")
        for _label, path in PAGES:
            for _ in range(5):  # warm both workers (and the cache)
                if _get(base + path, cookie) != 200:
                    sys.exit(f"{path} did not answer 200")
        # Rounds through all pages, the front page measured again right before each one: on
        # a shared machine the load drifts, so each page is compared with the front page
        # just before it, and the median of the rounds is reported.
        rates: dict[str, list[float]] = {path: [] for _label, path in PAGES}
        ratios: dict[str, list[float]] = {path: [] for _label, path in PAGES}
        for round_ in range(1, args.rounds + 1):
            print(f"  round {round_}/{args.rounds} ...", flush=True)
            for _label, path in PAGES[1:]:
                floor = _wrk(base + "/", cookie, duration=args.duration, connections=args.connections)
                rate = _wrk(base + path, cookie, duration=args.duration, connections=args.connections)
                rates["/"].append(floor)
                rates[path].append(rate)
                ratios[path].append(rate / floor)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    ratios["/"] = [1.0]
    width = max(len(label) for label, _p in PAGES)
    print(f"\n{'page':<{width}}  {'req/s':>8}  {'ratio':>6}")
    failed = []
    for label, path in PAGES:
        ratio = statistics.median(ratios[path])
        mark = "" if path == "/" or ratio >= GOAL else f"  < {GOAL}"
        if mark:
            failed.append(label)
        print(f"{label:<{width}}  {statistics.median(rates[path]):8.1f}  {ratio:6.2f}{mark}")
    print(
        f"\nMedians of {args.rounds} rounds; {args.connections} connections, {args.duration} s a page a round, "
        f"signed in as {args.user}; each ratio is to the front page measured right before the page."
    )
    if failed:
        print("Below half the front page: " + ", ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
