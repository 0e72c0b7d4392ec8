"""Logging filters (used by LOGGING in ledelse/settings.py)."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (403: e.g. a signed-in user without admin access opening /admin/)
    is an expected answer, not an error: log its one line, without the traceback of the
    PermissionDenied that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
