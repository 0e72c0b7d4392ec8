"""The fixed cast of test users and the real-browser fixtures.

The organisation in `org`:

    Region Test (RT)                      koncern (koncernledelse:RT) leads it
    ├── Hospital A (A)                    leader leads it
    │   └── Afdeling A1 (A1)              leader2 leads it; employee works here
    │       └── Afsnit A1a (A1a)          (no leader)
    ├── Hospital B (B)                    leader3 leads it
    └── HR-afdeling (HR)                  hr works here (hr:A, scoped to Hospital A)
    Region Anden (RA)                     outsider leads it
    admin: administrator, no unit scope

The fixture makes it with plain ORM calls (the organisation import is itself under test);
`ORG_CSV` is the same organisation as an import file, for the import's tests.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

PASSWORD = "test-password-123"

# (code, name, parent code, kind), parents first.
ORG_UNITS = (
    ("RT", "Region Test", None, "region"),
    ("A", "Hospital A", "RT", "hospital"),
    ("A1", "Afdeling A1", "A", "department"),
    ("A1a", "Afsnit A1a", "A1", "section"),
    ("B", "Hospital B", "RT", "hospital"),
    ("HR", "HR-afdeling", "RT", "centre"),
    ("RA", "Region Anden", None, "region"),
)
# (employee id, name, e-mail, username, title, unit code, leads it, roles as (role, scope code)).
ORG_PEOPLE = (
    (
        "P1",
        "Kirsten Koncern",
        "koncern@example.org",
        "koncern",
        "Regionsdirektør",
        "RT",
        True,
        [("koncernledelse", "RT")],
    ),
    ("P2", "Lene Leder", "leder@example.org", "leader", "Hospitalsdirektør", "A", True, []),
    ("P3", "Lars Leder To", "leder2@example.org", "leader2", "Afdelingsleder", "A1", True, []),
    ("P4", "Lise Leder Tre", "leder3@example.org", "leader3", "Hospitalsdirektør", "B", True, []),
    ("P5", "Emil Medarbejder", "emil@example.org", "employee", "Sygeplejerske", "A1", False, []),
    ("P6", "Hanne HR", "hr@example.org", "hr", "HR-konsulent", "HR", False, [("hr", "A")]),
    ("P7", "Ole Udenfor", "ole@example.org", "outsider", "Regionsdirektør", "RA", True, []),
    ("P8", "Anna Admin", "admin@example.org", "admin", "Administrator", "HR", False, [("administrator", None)]),
)

ORG_CSV = """kind,code,name,parent,unit_kind,email,username,title,unit,leader,own_leader,roles
unit,RT,Region Test,,region,,,,,,,
unit,A,Hospital A,RT,hospital,,,,,,,
unit,A1,Afdeling A1,A,department,,,,,,,
unit,A1a,Afsnit A1a,A1,section,,,,,,,
unit,B,Hospital B,RT,hospital,,,,,,,
unit,HR,HR-afdeling,RT,centre,,,,,,,
unit,RA,Region Anden,,region,,,,,,,
person,P1,Kirsten Koncern,,,koncern@example.org,koncern,Regionsdirektør,RT,ja,,koncernledelse:RT
person,P2,Lene Leder,,,leder@example.org,leader,Hospitalsdirektør,A,ja,,
person,P3,Lars Leder To,,,leder2@example.org,leader2,Afdelingsleder,A1,ja,,
person,P4,Lise Leder Tre,,,leder3@example.org,leader3,Hospitalsdirektør,B,ja,,
person,P5,Emil Medarbejder,,,emil@example.org,employee,Sygeplejerske,A1,nej,,
person,P6,Hanne HR,,,hr@example.org,hr,HR-konsulent,HR,nej,,hr:A
person,P7,Ole Udenfor,,,ole@example.org,outsider,Regionsdirektør,RA,ja,,
person,P8,Anna Admin,,,admin@example.org,admin,Administrator,HR,nej,,administrator
"""


# --- Parallel runs (pytest-xdist) and the SQLite leg ----------------------------------------


_BROKER_WORDS = ("REDIS_URL", "start_worker", "mark.worker")


@functools.cache
def _uses_the_broker(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return any(word in text for word in _BROKER_WORDS)


class _FileOrBrokerScheduling:
    """`make test` runs the suite on two workers (`-n 2`, a test database each). Each test
    file stays on one worker (module fixtures run once, a file's own files on disk are not
    shared), and every file that uses Redis (a real Celery worker, the broker check, the
    production server's cache) runs on the same worker, one after the other: the test apps
    share the broker's queue, so two at once could take each other's tasks.

    (A scheduler of our own rather than `xdist_group` marks: xdist 3.8 marks a group by
    rewriting `item._nodeid`, which pytest 9.2 no longer reads. Registered only when xdist
    is loaded, so `-p no:xdist` still runs.)"""

    def pytest_xdist_make_scheduler(self, config, log):
        from xdist.scheduler import LoadScopeScheduling

        class FileOrBrokerScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                path = nodeid.split("::", 1)[0]
                return "redis" if _uses_the_broker(config.rootpath / path) else path

        return FileOrBrokerScheduling(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_FileOrBrokerScheduling(), "ledelse-file-or-broker-scheduling")


def pytest_collection_modifyitems(config, items):
    """On SQLite (make test's SQLite leg, `-m sqlite`) the tests marked `postgresql` are skipped."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        for item in items:
            if item.get_closest_marker("postgresql"):
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login rate limits count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _project_celery_app():
    """start_worker makes a test's own Celery app current and default; put the project's
    app back so later tests run tasks eagerly again (shared_task resolves the current app)."""
    yield
    from ledelse.celery import app

    app.set_current()
    app.set_default()


@pytest.fixture
def org(db):
    from django.utils.text import slugify

    from ledelse.models import Person, Region, RoleAssignment, Unit, User
    from ledelse.services import people_sync_admin_access

    for code, name, parent, kind in ORG_UNITS:
        if parent is None:
            region = Region.objects.create(name=name, slug=slugify(name))
            Unit.objects.add_root(create_kwargs={"code": code, "name": name, "kind": kind, "region": region})
        else:
            parent_unit = Unit.objects.get(code=parent)
            Unit.objects.add_child(
                parent_unit, create_kwargs={"code": code, "name": name, "kind": kind, "region": parent_unit.region}
            )
    units = {u.code: u for u in Unit.objects.all()}
    people = {}
    for employee_id, name, email, username, title, unit, is_leader, roles in ORG_PEOPLE:
        first_name, _sep, last_name = name.rpartition(" ")
        user = User.objects.create_user(
            username, email=email, password=PASSWORD, first_name=first_name, last_name=last_name
        )
        person = Person.objects.create(
            user=user,
            employee_id=employee_id,
            name=name,
            email=email,
            title=title,
            unit=units[unit],
            is_leader=is_leader,
        )
        for role, scope in roles:
            RoleAssignment.objects.create(person=person, role=role, unit=units[scope] if scope else None)
        people[username] = person
    people_sync_admin_access(people=people.values())
    # Read back as the tests use them: people with their user and unit.
    people = {p.user.username: p for p in Person.objects.select_related("user", "unit").filter(user__isnull=False)}
    units = {u.code: u for u in Unit.objects.all()}
    return SimpleNamespace(
        units=units,
        people=people,
        users={name: p.user for name, p in people.items()},
        region=units["RT"].region,
        other_region=units["RA"].region,
    )


def client_for(client, user):
    client.force_login(user)
    return client


# --- Real browser ---------------------------------------------------------------------------

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop vs. Django's ORM


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_sign_in(page, live_server, username: str) -> None:
    """Sign the browser page's context in as `username` without the login form: a session made
    the way the form makes one (django.contrib.auth.login, through the test client's
    force_login), its cookie given to the context, which then opens the front page, where the
    form leads. The form itself is walked by `sign_in(..., form=True)` in test_front_page, with
    the keyboard in test_keyboard_journeys, with a wrong password and with MFA in the
    accessibility tests."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(f"{live_server.url}/")


@pytest.fixture
def sign_in(page, live_server):
    """Sign `page` in: through the login form when asked (`form=True`) or with another password,
    otherwise with a session cookie (`browser_sign_in`)."""

    def _sign_in(username: str, password: str = PASSWORD, *, form: bool = False):
        if not form and password == PASSWORD:
            browser_sign_in(page, live_server, username)
            return page
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _sign_in
