"""Reads that must not hold a page up: a COUNT that gives up after a few hundred
milliseconds (a lock on the table, a slow plan) and says so with None, so the page is
rendered without it instead of waiting for gunicorn to kill the worker."""

from __future__ import annotations

import logging

import psycopg
from django.db import OperationalError, connection
from django.db.models import QuerySet

logger = logging.getLogger(__name__)


def _inlined(sql: str, params) -> str:
    """The statement with its parameters quoted by psycopg (one statement, no placeholders)."""
    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)


def count_within(queryset: QuerySet, *, milliseconds: int) -> int | None:
    """queryset.count(), or None when it did not finish within `milliseconds` (waiting for a
    lock included). One round trip: the time limits are SET LOCAL in the same implicit
    transaction as the COUNT, so they end with it. Inside a transaction (tests, a view that
    is atomic) it is a plain count: SET LOCAL would last to the end of that transaction."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return queryset.count()
    inner, params = queryset.order_by().values("pk").query.sql_with_params()
    ms = int(milliseconds)
    sql = f"SET LOCAL statement_timeout = {ms}; SET LOCAL lock_timeout = {ms}; " + _inlined(
        f"SELECT COUNT(*) FROM ({inner}) AS counted", params
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.nextset()
            cursor.nextset()
            return cursor.fetchone()[0]
    except OperationalError as exc:
        logger.warning("A count gave up after %d ms (%s)", ms, type(exc).__name__)
        return None
