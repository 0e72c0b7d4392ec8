"""The small things every page relies on: the favicon, the printed page's margin, the
messages at sign-in and sign-out, and log lines once each, without tracebacks for refusals."""

import logging

from django.conf import settings

from tests.conftest import PASSWORD


def test_the_favicon_is_there_without_signing_in(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("img/favicon.ico")


def test_the_print_margin_names_the_page_and_cannot_be_broken_out_of(client, db):
    css = client.get("/udskrift.css", {"side": '/ledelsesgrundlag/"}body{x:y'}).content.decode()
    assert css.startswith('@media print { @page { @bottom-left { content: "http://testserver/ledelsesgrundlag/')
    assert '"}body' not in css and css.count('"') == 4  # the string and the font family's quotes
    assert "http://testserver/" in client.get("/udskrift.css", {"side": "//evil.example/"}).content.decode()


def test_signing_in_greets_without_the_account_name(client, org):
    r = client.post("/accounts/login/", {"login": "leader", "password": PASSWORD}, follow=True)
    html = r.content.decode()
    assert "Godt at se dig. Du er logget ind." in html
    assert "Loggede succesfuldt" not in html


def test_signing_out_says_logged_off_like_the_button(client, org):
    client.force_login(org.users["leader"])
    html = client.post("/accounts/logout/", follow=True).content.decode()
    assert "Du er logget af." in html and "logget ud" not in html


def test_djangos_own_logger_writes_through_the_root_handler_only():
    assert settings.LOGGING["loggers"]["django"]["handlers"] == []
    # As configured at start-up: nothing of Django's default console handler is left.
    assert logging.getLogger("django").handlers == [] and logging.getLogger("django").propagate


def test_a_refused_visit_logs_one_line_without_a_traceback():
    from ledelse.log_filters import RefusalWithoutTraceback

    try:
        raise PermissionError("nej")
    except PermissionError:
        import sys

        record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Forbidden", (), sys.exc_info())
    record.status_code = 403
    assert RefusalWithoutTraceback().filter(record) and record.exc_info is None
    error = logging.LogRecord("django.request", logging.ERROR, "", 0, "Boom", (), (ValueError, ValueError(), None))
    error.status_code = 500
    assert RefusalWithoutTraceback().filter(error) and error.exc_info is not None
