"""Settings for the Ledelsesgrundlag intranet.

Every value that differs between machines comes from the environment; the defaults are the
embedded development setup (SQLite file, tasks run in-process, mails to the console).
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ledelse.env import env, env_bool, env_list, origin_of

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# Without DEBUG there is no default key. Management commands (migrate, makemigrations ...)
# still run without one; serving refuses to start (ledelse/wsgi.py, asgi.py) and
# `check --deploy` fails (ledelse/checks.py).
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "insecure-development-key-only-used-with-debug-on")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Django's form and widget templates for FORM_RENDERER (TemplatesSetting).
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "treebeard",
    "ledelse",
    "ledelse.notifications",
    "ledelse.invitations",
    "ledelse.audit",
    "ledelse.concurrency",
    "ledelse.status",
    "ledelse.documents",
    "values",
    "dialogues",
    "lus",
]

MIDDLEWARE = [
    # First: /health/ answers before host validation and the HTTPS redirect, so the
    # container's own plain request (Host 127.0.0.1) passes under production settings.
    "ledelse.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ledelse.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ledelse.middleware.SessionTimeoutMiddleware",
    # Every page needs sign-in unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ledelse.middleware.MfaRequiredMiddleware",
    # A locked table or a slow statement: a 503 page in Danish, nothing half-saved.
    "ledelse.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "ledelse.urls"
WSGI_APPLICATION = "ledelse.wsgi.application"
ASGI_APPLICATION = "ledelse.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ledelse.context_processors.navigation",
                "ledelse.notifications.context_processors.notifications",
            ],
            # The site's one date format ({{ value|long_date }}), on every page and e-mail.
            "builtins": ["ledelse.templatetags.dates"],
        },
    },
]

# The embedded default is an SQLite file in the project folder; production and the test
# suite use PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0 if DEBUG else 60,
    )
}
# gunicorn kills a request after 30 seconds (its default timeout): in the web processes
# every statement gives up before that (DATABASE_STATEMENT_TIMEOUT, milliseconds) and a wait
# for a lock sooner (DATABASE_LOCK_TIMEOUT), so a locked table gives the user a clear message
# in Danish (ledelse.middleware.DatabaseBusyMiddleware) with nothing half-saved, not a killed
# worker. ledelse/wsgi.py sets the web defaults (20 s, 10 s); 0 (the default for management
# commands, migrations and the Celery worker, which have their own limits) is no limit.
DATABASE_STATEMENT_TIMEOUT = int(env("DATABASE_STATEMENT_TIMEOUT", default="0"))
# The header's unread count gives up after this many milliseconds (the page shows no count).
HEADER_COUNT_TIMEOUT_MS = int(env("HEADER_COUNT_TIMEOUT_MS", default="300"))
DATABASE_LOCK_TIMEOUT = int(env("DATABASE_LOCK_TIMEOUT", default="0"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    DATABASE_STATEMENT_TIMEOUT or DATABASE_LOCK_TIMEOUT
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT} -c lock_timeout={DATABASE_LOCK_TIMEOUT}"
    )
    # A form's choice fields read their options with QuerySet.iterator(), which on
    # PostgreSQL opens a server-side cursor WITH HOLD for a dozen rows (three round trips
    # and a materialised result each); the big reads stream in chunks either way. Also what
    # a transaction-pooling PgBouncer in front of the database would require.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# PostgreSQL plans a query each time it is sent with its values in the text (Django's default,
# client-side binding): for the daily pages' access rules that planning costs more than running
# them (1–4 ms a query at region scale). With the values bound on the server, psycopg prepares
# a statement it has sent DATABASE_PREPARE_THRESHOLD times on the same connection (a web
# process keeps its connection, CONN_MAX_AGE) and PostgreSQL reuses its plan. Off
# (DATABASE_PREPARED_STATEMENTS=false) behind a transaction-pooling PgBouncer older than 1.21.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(env("DATABASE_PREPARE_THRESHOLD", default="2"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Form fields render as DKFDS form groups, each widget with its own attributes.
FORM_RENDERER = "ledelse.forms_rendering.FormRenderer"

AUTH_USER_MODEL = "ledelse.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One backend (username or e-mail, the same work for every attempt): ledelse.signin.
AUTHENTICATION_BACKENDS = ["ledelse.signin.AccountBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Caches: allauth's rate limits count failed logins in the cache, so production needs a
# shared one (Redis) rather than each gunicorn worker's own memory.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="")
# A Redis outage is a cache miss, not an error page (ledelse.cache): each call waits at most
# REDIS_CACHE_TIMEOUT seconds, and after a failure Redis is skipped for REDIS_CACHE_RETRY_AFTER.
REDIS_CACHE_TIMEOUT = float(env("REDIS_CACHE_TIMEOUT", default="0.5"))
REDIS_CACHE_RETRY_AFTER = float(env("REDIS_CACHE_RETRY_AFTER", default="5"))
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "ledelse.cache.ResilientRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_CACHE_TIMEOUT, "socket_timeout": REDIS_CACHE_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- django-allauth -----------------------------------------------------------------------
ACCOUNT_ADAPTER = "ledelse.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "ledelse.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# Failed logins: at most 5 per account per 5 minutes and 20 per IP address per minute. The
# account is the one the username or e-mail names (ledelse.adapters), whatever the Host.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/5m/key"}
# An SSO sign-in signs in to the account its identity is bound to, or else to the one
# imported person it matches (sso_id, else the imported e-mail): ledelse.signin. allauth's
# own e-mail matching (any address on any account) stays off.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False

OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")  # https://login.microsoftonline.com/<tenant>/v2.0
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_CLIENT_ID:
    if not OIDC_SERVER_URL:
        raise ImproperlyConfigured("OIDC_SERVER_URL must be set together with OIDC_CLIENT_ID.")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "entra",
                "name": env("OIDC_PROVIDER_NAME", default="Microsoft Entra ID"),
                "client_id": OIDC_CLIENT_ID,
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {
                    "server_url": OIDC_SERVER_URL,
                    # Entra ID rarely sends email_verified; addresses in the regions' own
                    # domains are controlled by the tenant and so trusted for matching.
                    "verified_email": env_list("OIDC_VERIFIED_EMAIL_DOMAINS", default=[]),
                },
            }
        ],
    }

# --- Sign-in, sessions, MFA and audit (issue 13) -------------------------------------------
# Every value here is read by ledelse.signin, ledelse.adapters, ledelse.middleware or
# ledelse.audit; the README's settings table lists the environment variables.
ACCOUNT_FORMS = {
    "reset_password": "ledelse.forms.ResetPasswordForm",
    "reset_password_from_key": "ledelse.forms.ResetPasswordKeyForm",
    "set_password": "ledelse.forms.SetPasswordForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
# An unknown address gets no e-mail (allauth's would point to the closed sign-up).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# No "remember me": the session cookie ends with the browser, and the timeouts below apply.
ACCOUNT_SESSION_REMEMBER = False
# Behind the TLS proxy every request comes from the proxy's address: trust the client
# address it forwards, either the Nth-last X-Forwarded-For entry (N proxies you run) or a
# header your proxy sets (e.g. X-Real-IP). The per-IP login limit counts that address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("ALLAUTH_TRUSTED_PROXY_COUNT", default="0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
# The claim with the identity provider's immutable id for a person, matched against the
# import's sso_id column (Entra ID: the object id, "oid").
OIDC_SSO_ID_CLAIM = env("OIDC_SSO_ID_CLAIM", default="oid")
# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request and SESSION_ABSOLUTE_TIMEOUT
# seconds after sign-in (ledelse.middleware.SessionTimeoutMiddleware, on the server).
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", default=str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(env("SESSION_ABSOLUTE_TIMEOUT", default=str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# MFA (TOTP, with recovery codes) for the local accounts of administrators and HR: they are
# sent to set it up before anything else. On in production; off with DEBUG (the demo
# accounts) or MFA_REQUIRED=false.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ledelsesgrundlag"
# Addresses come from the import, not from users: nothing to verify before adding TOTP.
MFA_ALLOW_UNVERIFIED_EMAIL = True
LEDELSE_MFA_REQUIRED = env_bool("MFA_REQUIRED", default=not DEBUG)
# The browser features no page here uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
# The audit log (ledelse.audit): sign-ins and failed sign-ins are kept 6 months, role
# changes 2 years; a daily task removes what is older.
AUDIT_SIGN_IN_RETENTION_DAYS = int(env("AUDIT_SIGN_IN_RETENTION_DAYS", default="183"))
AUDIT_ROLE_CHANGE_RETENTION_DAYS = int(env("AUDIT_ROLE_CHANGE_RETENTION_DAYS", default="730"))
AUDIT_RETENTION_DAYS_BY_ACTION: dict[str, int] = {}

# Panels other apps add to a theme's or principle's page in the frameworks (values.views).
ITEM_PAGE_PANELS = ["dialogues.panels.material_for_item", "dialogues.panels.plans_for_item"]

# Demo data the apps add after the demo organisation (management commands run by seed_demo).
DEMO_COMMANDS = ["seed_demo_plans", "seed_demo_status", "seed_demo_lus"]
# make bench: /bench/floor/, a signed-in page with the base layout only (the load benchmark's
# floor). Off unless the benchmark turns it on.
BENCH_FLOOR = env_bool("BENCH_FLOOR", default=False)
# seed_scale: the apps' parts of the region-scale data, each called after the organisation
# is made (ledelse.scale.generator.region_generate).
SCALE_COMMANDS_BEFORE = ["load_frameworks"]
SCALE_GENERATORS = ["dialogues.scale.plans_generate", "lus.scale.lus_generate"]
# Called, without arguments, inside the organisation import's transaction: what the apps keep
# in step with the organisation (ledelse.organisation_import).
ORGANISATION_IMPORT_HOOKS = ["dialogues.services.plans_follow_leaders"]

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Django 2028 makes https the default for urlize (framework texts are urlized); opt in now.
URLIZE_ASSUME_HTTPS = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Fonts and source maps compress poorly and made collectstatic three times slower.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "ttf",
    "eot",
    "otf",
    "map",
]

# --- E-mail -------------------------------------------------------------------------------
# Console by default (development); set EMAIL_BACKEND=smtp and the EMAIL_* variables for SMTP.
_email_backend = env("EMAIL_BACKEND", default="console")
# EMAIL_TIMEOUT (seconds): an SMTP server that stalls fails the send, which is then retried.
_email_timeout = int(env("EMAIL_TIMEOUT", default="20"))
if _email_backend == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST", default="localhost"),
                "port": int(env("EMAIL_PORT", default="25")),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
                # A stalled SMTP server fails the send after this many seconds (then retried)
                # instead of holding a worker for as long as it stalls.
                "timeout": _email_timeout,
            },
        }
    }
elif _email_backend in ("console", "locmem", "dummy"):
    MAILERS = {"default": {"BACKEND": f"django.core.mail.backends.{_email_backend}.EmailBackend"}}
else:
    raise ImproperlyConfigured("EMAIL_BACKEND must be smtp, console, locmem or dummy.")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Ledelsesgrundlag <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as people reach it, e.g. https://ledelse.rm.dk: e-mails link to
# SITE_URL + the thing's path. Required in production (check --deploy says so).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
# "Name <address>" as every calendar invitation's ORGANIZER; empty: the person responsible.
INVITATION_ORGANIZER = env("INVITATION_ORGANIZER", default="")

# --- Documents (ledelse.documents) -------------------------------------------------------
# Rendered PDFs are kept by content in this storage (STORAGES alias): every web process and
# worker must reach the same one, so with several machines MEDIA_ROOT is a shared volume.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
DOCUMENTS_STORAGE = env("DOCUMENTS_STORAGE", default="default")
DOCUMENTS_AUTHOR = env("DOCUMENTS_AUTHOR", default="Ledelsesgrundlag")
# WeasyPrint's tagged PDF/UA output, for screen readers; "" for plain PDF.
DOCUMENTS_PDF_VARIANT = env("DOCUMENTS_PDF_VARIANT", default="pdf/ua-1")
# Stored PDFs (plans and LUS among them: personal data) and finished background jobs are
# removed after this many days (ledelse.documents.services.documents_remove_expired); a
# pending job no live worker has (its task lost, or its worker's heartbeat, renewed every
# DOCUMENTS_HEARTBEAT_SECONDS, older than DOCUMENTS_HEARTBEAT_STALE) is sent again
# DOCUMENTS_REQUEUE_AFTER seconds after it was last sent (the sweep runs every 2 minutes),
# and counts as failed after DOCUMENTS_GIVE_UP_AFTER.
DOCUMENTS_KEEP_DAYS = int(env("DOCUMENTS_KEEP_DAYS", default="7"))
DOCUMENTS_REQUEUE_AFTER = int(env("DOCUMENTS_REQUEUE_AFTER", default="180"))
DOCUMENTS_HEARTBEAT_SECONDS = int(env("DOCUMENTS_HEARTBEAT_SECONDS", default="30"))
DOCUMENTS_HEARTBEAT_STALE = int(env("DOCUMENTS_HEARTBEAT_STALE", default="120"))
DOCUMENTS_GIVE_UP_AFTER = int(env("DOCUMENTS_GIVE_UP_AFTER", default=str(3 * 60 * 60)))

# --- Celery -------------------------------------------------------------------------------
# Without a broker the tasks run eagerly in-process (make run); with one, a worker runs them.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Publishing a framework version renders its dialogue material (cards, booklet, guide) into
# the PDF store (dialogues.tasks.material_warm), so no reader waits for the render. On by
# default only with a worker: without one the publishing itself (the admin's request, or
# load_frameworks at the first `make run`) would wait the ~40 s of rendering.
DOCUMENTS_WARM_ON_PUBLISH = env_bool("DOCUMENTS_WARM_ON_PUBLISH", default=bool(CELERY_BROKER_URL))
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# No task runs for ever: the soft limit raises SoftTimeLimitExceeded in the task (it cleans
# up and fails or retries), the hard limit kills the worker process. A document of every
# plan in a region takes minutes; a reminder takes seconds (EMAIL_TIMEOUT bounds its send).
CELERY_TASK_SOFT_TIME_LIMIT = int(env("CELERY_TASK_SOFT_TIME_LIMIT", default="600"))
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", default="660"))
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process whose resident memory passed this (KiB) after a task is replaced, so the
# memory a large document took is given back (a plans document of the most plans allowed
# peaks below 500 MB: make bench).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(env("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default="300000"))
CELERY_BEAT_SCHEDULE: dict = {
    # Due reminders are found by this sweep, never by far-future countdown tasks on Redis
    # (those come back after the visibility timeout). It also re-sends lost tasks' reminders.
    "sweep-reminders": {"task": "notifications.sweep_reminders", "schedule": crontab(minute=5)},
    "weekly-digests": {
        "task": "notifications.send_weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Lost tasks back within minutes, failed reminders retried after an outage
    # (ledelse.notifications.recovery).
    "recover-reminders": {"task": "notifications.recover", "schedule": crontab(minute="*/5")},
    "audit-remove-expired": {"task": "audit.remove_expired_entries", "schedule": crontab(minute=30, hour=3)},
    # The status page's trend: every plan's figures, filed under the week (ledelse.status).
    "status-snapshots": {"task": "status.take_snapshots", "schedule": crontab(minute=30, hour=3, day_of_week="mon")},
}
# The status page shares its figures for this many seconds (ledelse.status.views._body);
# 0 counts them on every request.
STATUS_CACHE_SECONDS = int(env("STATUS_CACHE_SECONDS", default="60"))

# Reminders: seconds before a still-pending reminder counts as lost (its task never ran)
# and the recovery sweep (every 5 minutes) enqueues it again; how often a refused send is
# retried, and the backoff in seconds (full jitter: retry n waits a random 0 to
# REMINDER_RETRY_BACKOFF * 2**n, at most 10 minutes) before it counts as failed; how long a
# send in progress keeps others off the row; after failing, the recovery sweep's first
# retry (then doubled, at most 6 hours) and the age at which it gives up and tells the
# administrators.
REMINDER_REQUEUE_AFTER = int(env("REMINDER_REQUEUE_AFTER", default="300"))
REMINDER_MAX_RETRIES = int(env("REMINDER_MAX_RETRIES", default="5"))
REMINDER_RETRY_BACKOFF = int(env("REMINDER_RETRY_BACKOFF", default="60"))
REMINDER_SENDING_LEASE = int(env("REMINDER_SENDING_LEASE", default="180"))
REMINDER_FAILED_RETRY_AFTER = int(env("REMINDER_FAILED_RETRY_AFTER", default="900"))
REMINDER_GIVE_UP_AFTER = int(env("REMINDER_GIVE_UP_AFTER", default=str(2 * 24 * 60 * 60)))
# LUS: content of rounds that ended more than this many years ago is deleted (lus.retention).
LUS_RETENTION_YEARS = int(env("LUS_RETENTION_YEARS", default="5"))
# Plans follow their unit's leader also after changes made in the admin (dialogues).
CELERY_BEAT_SCHEDULE["plans-follow-leaders"] = {
    "task": "dialogues.plans_follow_leaders",
    "schedule": crontab(minute=15, hour=3),
}
# A hearing closes by its date: the nightly task writes the step in the plan's history and
# clears the invitations (dialogues.hearings; the pages go by the calendar before that).
CELERY_BEAT_SCHEDULE["hearings-close-due"] = {
    "task": "dialogues.hearings_close_due",
    "schedule": crontab(minute=5, hour=0),
}
CELERY_BEAT_SCHEDULE["documents-sweep"] = {"task": "documents.sweep_jobs", "schedule": crontab(minute="*/2")}
CELERY_BEAT_SCHEDULE["documents-remove-expired"] = {
    "task": "documents.remove_expired",
    "schedule": crontab(minute=45, hour=3),
}
CELERY_BEAT_SCHEDULE["lus-retention"] = {"task": "lus.retention", "schedule": crontab(minute=30, hour=3)}
# Calendar invitations name people, a time and a place: kept this long after the event.
INVITATIONS_KEEP_DAYS = int(env("INVITATIONS_KEEP_DAYS", default="400"))
CELERY_BEAT_SCHEDULE["invitations-remove-expired"] = {
    "task": "invitations.remove_expired",
    "schedule": crontab(minute=40, hour=3),
}
CELERY_BEAT_SCHEDULE["lus-mark-held"] = {"task": "lus.mark_held", "schedule": crontab(minute=10)}
# Creating forms' one-time keys are done with after two days (ledelse.concurrency.once).
CELERY_BEAT_SCHEDULE["concurrency-remove-expired-keys"] = {
    "task": "concurrency.remove_expired_keys",
    "schedule": crontab(minute=50, hour=3),
}

# --- Security -----------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # The SSO button posts to allauth, which redirects to the identity provider.
    "form-action": [CSP.SELF, *([origin_of(OIDC_SERVER_URL)] if OIDC_SERVER_URL else [])],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are Secure, for this host only (no Domain) and for the whole path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", default=str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# /health/ is polled over plain HTTP by the load balancer and container checks.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# SQLite (the embedded default) cannot defer a unique constraint and so skips the one on
# item positions; PostgreSQL enforces it.
SILENCED_SYSTEM_CHECKS = ["models.W038"]

# One handler, on the root logger. Django's own default config gives the "django" logger a
# console handler too, and it propagates to the root: every line twice unless it is cleared
# here. django.server keeps its own (runserver's request lines) and does not propagate.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_without_traceback": {"()": "ledelse.log_filters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusal_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": env("LOG_LEVEL", default="INFO"), "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
