"""The header's unread count does not hold a page up (issue 17, point 5): with the reminder
table locked the page comes, without a count. (This session's own lock_timeout stands in
for gunicorn's: a count that waited for the lock would end the page with an error.)"""

from __future__ import annotations

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client

from ledelse.notifications.models import Reminder

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/tilgaengelighed/"  # a light page with the header


def _unread(org) -> None:
    unit = org.units["A1"]
    Reminder.objects.create(
        recipient=org.users["leader"],
        kind="notice",
        target_type=ContentType.objects.get_for_model(unit),
        target_id=unit.pk,
        due_on="2026-09-01",
        title="Læs mig",
        url="/",
        state=Reminder.State.SENT,
    )


def test_the_header_counts_unread_notifications(org):
    _unread(org)
    client = Client()
    client.force_login(org.users["leader"])
    assert 'badge badge-info">1<' in client.get(PAGE).content.decode()


def test_a_locked_reminder_table_does_not_hold_the_page_up(org, settings):
    settings.HEADER_COUNT_TIMEOUT_MS = 300
    _unread(org)
    client = Client()
    client.force_login(org.users["leader"])
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '3s'")
    try:
        with psycopg.connect(**params) as other:
            other.execute(f"LOCK TABLE {Reminder._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            response = client.get(PAGE)
            other.rollback()
        assert response.status_code == 200 and "badge badge-info" not in response.content.decode()
        # The count's own limits were local to it: this session's are as they were.
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
