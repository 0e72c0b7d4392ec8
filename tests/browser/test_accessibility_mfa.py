"""axe-core (WCAG 2 A and AA rules) finds nothing on the MFA pages, walked through as an HR
user who must set up MFA: confirming with the password (with an error too), setting up the
authenticator app (with a wrong code too), the recovery codes, the MFA index, turning the
app off, new recovery codes, confirming with a code, and the code step at the next sign-in."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

import tests.browser.test_accessibility as base
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The checks and the page with axe injected, as for every other page (imported, not copied;
# the module is imported as a whole so its tests are not collected a second time here).
_violations = base._violations
axe_page = base.axe_page


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_mfa_pages_have_no_violations(org, axe_page, live_server, settings, width):
    settings.LEDELSE_MFA_REQUIRED = True
    page, url = axe_page, live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, list[str]] = {}

    def check(name: str, expected_path: str) -> None:
        page.wait_for_load_state()
        assert page.url.split("?")[0].endswith(expected_path), (name, page.url)
        found = _violations(page)
        if found:
            problems[name] = found

    def submit() -> None:
        # The page posts to itself, so wait for the new page rather than for a new URL.
        with page.expect_navigation():
            page.click("#main-content button[type=submit].button-primary")

    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", "hr")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{url}/accounts/2fa/totp/activate/")  # sends HR to confirm with the password first
    check("confirm with the password", "/accounts/reauthenticate/")
    page.fill("input[name=password]", "wrong")
    submit()
    check("confirm with the password, wrong", "/accounts/reauthenticate/")
    page.fill("input[name=password]", PASSWORD)
    submit()
    check("set up the app", "/accounts/2fa/totp/activate/")
    page.fill("input[name=code]", "000000")
    submit()
    check("set up the app, wrong code", "/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator-secret")
    page.fill("input[name=code]", _code(secret))
    submit()
    check("recovery codes after set-up", "/accounts/2fa/recovery-codes/")
    for name, path in (
        ("index", "/accounts/2fa/"),
        ("turn the app off", "/accounts/2fa/totp/deactivate/"),
        ("new recovery codes", "/accounts/2fa/recovery-codes/generate/"),
        ("confirm with a code", "/accounts/2fa/reauthenticate/"),
    ):
        page.goto(f"{url}{path}")
        check(name, path)

    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", "hr")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    check("the code at sign-in", "/accounts/2fa/authenticate/")
    page.fill("input[name=code]", "000000")
    submit()
    check("the code at sign-in, wrong", "/accounts/2fa/authenticate/")
    assert problems == {}
