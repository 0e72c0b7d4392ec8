"""Settings for a real worker started as its own process by a test: the test settings with
the SMTP server and broker the test started (from the environment)."""

import os

from ledelse.settings_test import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": int(os.environ["TEST_SMTP_PORT"]), "timeout": 10},
    }
}
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
