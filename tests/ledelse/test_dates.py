"""One date format across pages, notices, e-mails and invitations: "16. november 2026"."""

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.utils import translation

from ledelse.dates import long_date, long_datetime


def test_a_date_is_written_the_one_way():
    assert long_date(date(2026, 11, 16)) == "16. november 2026"
    assert long_date(date(2027, 1, 12)) == "12. januar 2027"


def test_a_time_is_in_copenhagen_time():
    # 9:30 UTC in November is 10:30 in Copenhagen.
    assert long_datetime(datetime(2026, 11, 16, 9, 30, tzinfo=UTC)) == "16. november 2026 kl. 10.30"
    assert long_date(datetime(2026, 11, 16, 23, 30, tzinfo=UTC)) == "17. november 2026"


def test_it_is_danish_whatever_the_active_language():
    with translation.override("en"):
        assert long_date(date(2026, 11, 16)) == "16. november 2026"


def test_nothing_gives_nothing():
    assert long_date(None) == "" and long_date("") == "" and long_datetime(None) == ""


def test_the_template_filters_are_built_in():
    html = Template("{{ d|long_date }} · {{ t|long_datetime }} · {{ n|long_date|default:'–' }}").render(
        Context({"d": date(2026, 11, 16), "t": datetime(2026, 11, 16, 9, 0, tzinfo=UTC), "n": None})
    )
    assert html == "16. november 2026 · 16. november 2026 kl. 10.00 · –"
