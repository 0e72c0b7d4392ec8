"""Test settings: the real database from DATABASE_URL (PostgreSQL in `make test`), fast
password hashing and Django's test mailbox."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")

from ledelse.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ALLOWED_HOSTS = ["*"]
SITE_URL = "https://ledelse.example.org"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test client and the browser tests use plain http: __Host- cookies need Secure.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
# The fixed cast signs in with passwords (browser tests too); tests/ledelse/test_mfa.py turns
# the MFA requirement on where it is the point.
LEDELSE_MFA_REQUIRED = False
# Files (generated documents) in a folder of this test process: the parallel workers of
# make test never see each other's files, and the project's media/ stays clean.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ledelse-test-media-"))
# Loading frameworks would render every framework's material; the tests of it turn it on.
DOCUMENTS_WARM_ON_PUBLISH = False
