"""axe-core (WCAG 2 A and AA rules) finds nothing on the pages people use, signed out and
signed in, on a desktop and a phone-sized screen."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = [
    "/",
    "/ledelsesgrundlag/",
    "/ledelsesgrundlag/rn-ledelsesgrundlaget/",
    "/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/aaben-og-ligevaerdig-dialog/",
    "/ledelsesgrundlag/soeg/?q=tillid",
    "/ledelsesgrundlag/soeg/?q=",
    "/ledelsesgrundlag/sammenlign/?a=rn-ledelsesgrundlaget&b=rm-god-ledelse-og-styring",
    "/ledelsesgrundlag/sammenlign/",
    "/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/gensidig-tillid/",
    "/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-ned/",
    "/ledelsesgrundlag/soeg/?q=dristighed&framework=rn-ledelsesgrundlaget",
    "/ledelsesgrundlag/findes-ikke/",
    "/planer/",
    "/planer/udrulninger/",
    "/notifikationer/",
    "/tilgaengelighed/",
]


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in result["violations"]]


def _rollout(org, version):
    """The rollout the plan pages are checked in: Region Test, autumn 2026."""
    from dialogues import services

    return services.rollout_create(
        user=org.users["koncern"],
        data=services.RolloutData(
            title="Udrulning 2026",
            scope_unit=org.units["RT"],
            framework_version=version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )


@pytest.fixture
def axe_page(browser):
    # Django's CSP forbids injected scripts; axe is injected by the test only.
    context = browser.new_context(locale="da-DK", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_check_finds_a_real_violation(axe_page):
    axe_page.set_content('<html lang="da"><body><main><img src="x.png"><a href="/"></a></main></body></html>')
    found = _violations(axe_page)
    assert any(v.startswith("image-alt") for v in found) and any(v.startswith("link-name") for v in found)


def test_the_login_page_has_no_violations(db, axe_page, live_server):
    axe_page.goto(f"{live_server.url}/accounts/login/")
    assert _violations(axe_page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_signed_in_pages_have_no_violations(org, axe_page, live_server, width):
    call_command("load_frameworks", verbosity=0)
    axe_page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(axe_page, live_server, "employee")
    problems = {}
    for url in PAGES:
        axe_page.goto(f"{live_server.url}{url}")
        found = _violations(axe_page)
        if found:
            problems[url] = found
    assert problems == {}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_lus_pages_have_no_violations(org, axe_page, live_server, width):
    from lus.models import Preparation
    from tests.lus.conftest import held, make_lus, prepare

    lus = make_lus(org)
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    prepare(c, Preparation.Role.PARTNER, [3, 4, 3])
    held(c, lus.principles)
    followup = c.agreements.first()
    from lus import services

    followup = services.followup_add(agreement=followup, date=followup.due_on)
    pages = {
        "leader2": [
            "/lus/",
            f"/lus/{c.pk}/",
            f"/lus/{c.pk}/forberedelse/",
            f"/lus/{c.pk}/booking/",
            f"/lus/{c.pk}/referat/",
            f"/lus/{c.pk}/opfoelgning/{followup.pk}/",
        ],
        "hr": [
            "/lus/runder/",
            "/lus/runder/ny/",
            f"/lus/runder/{lus.round.pk}/",
            f"/lus/runder/{lus.round.pk}/rediger/",
            f"/lus/runder/{lus.round.pk}/ledere/",
            f"/lus/runder/{lus.round.pk}/forhaandsvisning/",
            f"/lus/samtaler/{c.pk}/partner/",
        ],
    }
    axe_page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for username, urls in pages.items():
        browser_sign_in(axe_page, live_server, username)
        for url in urls:
            axe_page.goto(f"{live_server.url}{url}")
            found = _violations(axe_page)
            if found:
                problems[url] = found
    assert problems == {}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_plan_pages_have_no_violations(org, axe_page, live_server, width):
    """The plan pages with content, as the plan's owner sees them (forms included)."""
    from datetime import date, time

    from dialogues import services
    from tests.values.factories import make_framework

    framework = make_framework(region="Region Test")
    rollout = _rollout(org, framework.current_version)
    above = services.plan_create(user=org.users["leader"], rollout=rollout, unit=org.units["A"])
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"], carry_on=True)
    activity = services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="temadag",
            title="Temadag",
            responsible=org.people["leader2"],
            participants=(org.people["employee"],),
            date=date(2026, 9, 1),
            start_time=time(9, 0),
        ),
    )
    services.plan_transition(user=org.users["leader2"], plan=plan, action="submit")
    services.plan_transition(user=org.users["leader"], plan=plan, action="send_back", comment="Mere om MED")
    axe_page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(axe_page, live_server, "leader2")
    problems = {}
    for url in [
        f"/planer/{plan.pk}/",
        f"/planer/{above.pk}/",
        f"/planer/udrulninger/{rollout.pk}/",
        f"/planer/udrulninger/{rollout.pk}/enheder/{org.units['A1a'].pk}/ny-plan/",
        f"/planer/{plan.pk}/oversaettelse/",
        f"/planer/{plan.pk}/medejere/",
        f"/planer/{plan.pk}/aktiviteter/ny/",
        f"/planer/{plan.pk}/aktiviteter/{activity.pk}/",
        f"/planer/{plan.pk}/aktiviteter/{activity.pk}/slet/",
        f"/planer/{plan.pk}/tjek/",
        f"/planer/{plan.pk}/kopier-oversaettelse/fra/{above.pk}/",
        f"/planer/udrulninger/{rollout.pk}/?enhed=afdeling",
        "/planer/?kind=temadag&state=kladde",
        f"/ledelsesgrundlag/{framework.slug}/princip-1-1/",
    ]:
        axe_page.goto(f"{live_server.url}{url}")
        found = _violations(axe_page)
        if found:
            problems[url] = found
    assert problems == {}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_status_pages_have_no_violations(org, axe_page, live_server, width):
    """The implementation status with plans, activities, a trend and a drill-down, as koncern."""
    from ledelse.status.services import snapshots_backfill, snapshots_take
    from tests.status.conftest import status_data

    data = status_data.__wrapped__(org)
    snapshots_backfill(weeks=3)
    snapshots_take()
    axe_page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(axe_page, live_server, "koncern")
    problems = {}
    for url in ["/", "/status/", f"/status/?rollout={data.rollout.pk}&unit={org.units['A'].pk}&sort=unit"]:
        axe_page.goto(f"{live_server.url}{url}")
        found = _violations(axe_page)
        if found:
            problems[url] = found
    assert problems == {}


def _sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    if password == PASSWORD:
        browser_sign_in(page, live_server, username)
        return
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _submit_main_form_without_browser_checks(page, field: str = "main form[method=post] [name]") -> None:
    """Post the page's main form as it is, the browser's own required-field checks off, so the
    server's error messages are what the page shows."""
    with page.expect_navigation():
        page.evaluate(
            "s => { const f = document.querySelector(s).form; f.noValidate = true; f.requestSubmit(); }", field
        )
    page.wait_for_load_state()


def test_the_login_with_a_wrong_password_has_no_violations(org, axe_page, live_server):
    axe_page.goto(f"{live_server.url}/tilgaengelighed/")  # signed out: the statement is public
    assert _violations(axe_page) == []
    _sign_in(axe_page, live_server, "leader", "forkert-kodeord")
    assert axe_page.locator("input[name=password]").count() == 1  # still the login page, with its error
    assert _violations(axe_page) == []


def test_forms_with_errors_shown_have_no_violations(org, axe_page, live_server):
    """The activity form and the plan's co-owners form sent empty, a LUS preparation with a
    rating outside the scale: each page shows its errors, and axe finds nothing."""

    from dialogues import services
    from tests.lus.conftest import make_lus

    lus = make_lus(org)
    rollout = _rollout(org, lus.version)
    plan = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    _sign_in(axe_page, live_server, "leader2")
    problems = {}
    axe_page.goto(f"{live_server.url}/planer/{plan.pk}/aktiviteter/ny/")
    _submit_main_form_without_browser_checks(axe_page)
    assert axe_page.locator(".form-error, .form-error-message").count() > 0
    found = _violations(axe_page)
    if found:
        problems["activity form with errors"] = found

    axe_page.goto(f"{live_server.url}/lus/{lus.conversation.pk}/forberedelse/")
    axe_page.locator("main select[name^=score_]").first.evaluate("e => { e.add(new Option('9', '9')); e.value = '9'; }")
    _submit_main_form_without_browser_checks(axe_page, "main select[name^=score_]")
    assert "En vurdering skal være fra 1 til 5." in axe_page.content()
    found = _violations(axe_page)
    if found:
        problems["LUS preparation with a bad rating"] = found
    assert problems == {}


def test_the_notifications_page_has_no_violations_for_each_role(org, axe_page, live_server):
    problems = {}
    for username in ("koncern", "leader2", "employee", "hr", "admin"):
        _sign_in(axe_page, live_server, username)
        for url in ("/notifikationer/",):
            axe_page.goto(f"{live_server.url}{url}")
            found = _violations(axe_page)
            if found:
                problems[f"{username} {url}"] = found
    assert problems == {}


def _check_deck(page, label: str, problems: dict) -> None:
    """axe on the first card, then on each slide stepped to with the keyboard."""
    page.wait_for_selector("#deck-count")
    total = int(page.locator("#deck-count").inner_text().split("/")[1])
    for n in range(1, total + 1):
        found = _violations(page)
        if found:
            problems[f"{label}, slide {n}"] = found
        page.keyboard.press("ArrowRight")


def test_the_presentation_mode_has_no_violations_for_each_role_that_sees_it(org, axe_page, live_server):
    """The activity's cards on the screen (the plan's owner, with the outcome form; a reader in
    the region) and the framework's cards (everyone), every slide."""
    from dialogues import services as plan_services
    from tests.dialogues.conftest import activity_data
    from tests.values.factories import make_framework
    from values.models import Item

    framework = make_framework(region="Region Test")
    rollout = _rollout(org, framework.current_version)
    plan = plan_services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    principles = tuple(Item.objects.filter(version=framework.current_version, kind="principle").order_by("position"))
    activity = plan_services.activity_create(plan=plan, data=activity_data(org, principles=principles[:2]))
    axe_page.set_viewport_size({"width": 1280, "height": 720})
    problems: dict = {}
    for username in ("leader2", "employee", "koncern"):
        _sign_in(axe_page, live_server, username)
        axe_page.goto(f"{live_server.url}/planer/{plan.pk}/aktiviteter/{activity.pk}/praesentation/")
        _check_deck(axe_page, f"{username}: the activity's cards", problems)
        axe_page.goto(f"{live_server.url}/planer/materiale/{framework.slug}/praesentation/")
        _check_deck(axe_page, f"{username}: the framework's cards", problems)
    assert problems == {}


def _charts_have_tables(page) -> list[str]:
    """Every chart (an svg in a figure) is hidden from screen readers and followed by a table
    of its numbers in the same figure or right after it."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main figure svg')].flatMap(svg => {
            const figure = svg.closest('figure');
            const table = figure.querySelector('table') || figure.nextElementSibling?.closest('table')
                || (figure.nextElementSibling?.querySelector && figure.nextElementSibling.querySelector('table'));
            const problems = [];
            if (!table || table.querySelectorAll('td, th[scope=row]').length === 0) problems.push('no table: ' + figure.outerHTML.slice(0, 120));
            if (svg.getAttribute('aria-hidden') !== 'true' && !svg.getAttribute('role')) problems.push('svg neither hidden nor labelled');
            return problems;
        })"""
    )


def test_the_charts_have_no_violations_and_their_numbers_as_tables_for_each_role(org, axe_page, live_server):
    """The status page's charts (koncern, HR, a leader for the subtree) and the LUS radar (the
    leader and the partner, once both shared)."""
    from ledelse.status.services import snapshots_backfill, snapshots_take
    from lus.models import Preparation
    from tests.lus.conftest import make_lus, prepare
    from tests.status.conftest import status_data

    data = status_data.__wrapped__(org)
    snapshots_backfill(weeks=3)
    snapshots_take()
    lus = make_lus(org)
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 2])
    prepare(lus.conversation, Preparation.Role.PARTNER, [3, 4, 3])
    pages = {
        "koncern": ["/status/", f"/status/?rollout={data.rollout.pk}&unit={org.units['A'].pk}"],
        "hr": ["/status/"],
        "leader": ["/status/", f"/lus/{lus.conversation.pk}/"],
        "leader2": [f"/lus/{lus.conversation.pk}/"],
    }
    problems: dict = {}
    charts = 0
    for width in (1280, 390):
        axe_page.set_viewport_size({"width": width, "height": 900})
        for username, urls in pages.items():
            _sign_in(axe_page, live_server, username)
            for url in urls:
                axe_page.goto(f"{live_server.url}{url}")
                charts += axe_page.locator("main figure svg").count()
                found = _violations(axe_page) + _charts_have_tables(axe_page)
                if found:
                    problems[f"{username} {url} at {width}px"] = found
    assert problems == {}
    assert charts >= 2 * (4 + 2)  # each status page has a chart at least, each LUS page the radar
