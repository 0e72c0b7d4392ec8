import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledelse.settings")
# Web requests: statements and lock waits end well before gunicorn's 30-second timeout
# (ledelse/settings.py, DATABASE_STATEMENT_TIMEOUT).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "20000")
os.environ.setdefault("DATABASE_LOCK_TIMEOUT", "10000")
application = get_wsgi_application()

from ledelse.checks import require_secret_key  # noqa: E402

require_secret_key()
