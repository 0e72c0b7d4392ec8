"""The one date format of the site: "16. november 2026" (and "16. november 2026 kl. 10.00"
with a time). Pages use the template filters `long_date` and `long_datetime`
(ledelse/templatetags/dates.py, built in, no {% load %} needed); notices, e-mails and
calendar invitations call these functions. Always Danish, whatever the active language
(a worker has none), and in the site's time zone.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

DATE = "j. F Y"
TIME = "H.i"


def _in_site_language() -> AbstractContextManager:
    """The site's language for the month names: a page in it already (nearly every page)
    skips translation.override, which costs more than the formatting."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return nullcontext()
    return translation.override(settings.LANGUAGE_CODE)


def long_date(value: date | datetime | None) -> str:
    """ "16. november 2026"; an aware datetime counts in the site's time zone; anything but a
    date or datetime (None, "") gives "" (so `|long_date|default:"–"` works)."""
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    with _in_site_language():
        return date_format(value, DATE)


def long_datetime(value: datetime | date | None) -> str:
    """ "16. november 2026 kl. 10.00" (a date without time gives the date only)."""
    if not isinstance(value, datetime):
        return long_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    with _in_site_language():
        return f"{date_format(value, DATE)} kl. {date_format(value, TIME)}"
