"""Django settings for the itadesk web application.

SQLite (a file next to the working directory) is the embedded default; set DATABASE_URL
(e.g. postgres://postgres@127.0.0.1:5432/itadesk) to use a server database.
"""

import os
from pathlib import Path

import dj_database_url
import fontpkg_sarabun

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ITADESK_DATA_DIR", Path.cwd() / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Criteria years imported from the web (system administrators) live with the data; the core
# loader reads this variable, so the CLI run with the same environment sees them too.
os.environ.setdefault("ITADESK_CRITERIA_DIR", str(DATA_DIR / "criteria"))

DEBUG = os.environ.get("ITADESK_DEBUG", "") == "1"
# ITADESK_PRODUCTION=1: refuse to start without a real secret key, whatever ITADESK_DEBUG says.
PRODUCTION = os.environ.get("ITADESK_PRODUCTION", "") == "1"
_DEV_KEY = "dev-only-" + "x" * 40
SECRET_KEY = os.environ.get("ITADESK_SECRET_KEY", "")
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_KEY or len(SECRET_KEY) < 50):
    raise RuntimeError("ITADESK_PRODUCTION=1: set ITADESK_SECRET_KEY to a random secret of 50+ characters")
if not SECRET_KEY:
    # Outside production a random key is kept in DATA_DIR (never the public default), so sessions
    # and invitation links of one installation cannot be forged with a key printed in the source.
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        import secrets
        import tempfile

        # Several workers may start at once: each writes a candidate, one link wins, all read it.
        with tempfile.NamedTemporaryFile("w", dir=DATA_DIR, prefix=".secret_key.", delete=False) as _candidate:
            _candidate.write(secrets.token_urlsafe(50))
        try:
            os.link(_candidate.name, _key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(_candidate.name)
    SECRET_KEY = _key_file.read_text().strip()
ALLOWED_HOSTS = os.environ.get("ITADESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "drf_spectacular_sidecar",
    "itadesk.web.agencies",
    "itadesk.web.results",
    "itadesk.web.plans",
    "itadesk.web.oit",
    "itadesk.web.progress",
    "itadesk.web.criteria",
    "itadesk.web.surveys",
    "itadesk.web.dashboard",
    "itadesk.web.home",
    "itadesk.web.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itadesk.web.urls"
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
            ],
            "builtins": ["itadesk.web.templatetags"],
        },
    }
]
WSGI_APPLICATION = "itadesk.web.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'itadesk.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent users: WAL lets readers go on while one writes;
    # a writer waits up to 20 s for the lock (busy timeout) instead of failing; IMMEDIATE takes
    # the write lock when a transaction begins, so two saves queue instead of one failing with
    # "database is locked" when its read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a username + address locked out after too many wrong passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "th"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
# Thai messages Django's Thai locale lacks (password rules, form errors); compiled by scripts/setup.sh.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
# The Sarabun font files of fontpkg-sarabun, served as static/itadesk/Sarabun-*.ttf for the UI.
STATICFILES_DIRS = [("itadesk", str(fontpkg_sarabun.ROOT / "files")), BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE go to temporary files here, under DATA_DIR, so
# `manage.py cleanup_files` can remove what a killed worker left behind.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
# Uploads: the limit on users' files (results, sheets, registers) is itadesk.limits (2 MB); these two
# keep Django's own request buffering in line with it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Evidence files of the measures' progress: kept under DATA_DIR/media, never served directly
# (the download view checks the agency). Larger files are refused and nothing is stored.
MEDIA_ROOT = DATA_DIR / "media"
EVIDENCE_MAX_BYTES = int(os.environ.get("ITADESK_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Proxies whose X-Forwarded-For (and X-Forwarded-Proto) are believed: empty = none (the socket's
# address is the client's), a count ("1": one nginx in front) or CIDRs ("10.0.0.0/8,::1/128").
# See client_ip.py; used by the login lockout and the API throttles.
from itadesk.web.client_ip import parse_trusted_proxies  # noqa: E402

TRUSTED_PROXIES = parse_trusted_proxies(os.environ.get("ITADESK_TRUSTED_PROXIES", ""))

# ITADESK_HTTPS=1: the site is served over HTTPS only (HSTS, redirect, secure cookies).
HTTPS = os.environ.get("ITADESK_HTTPS", "") == "1"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ITADESK_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("ITADESK_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("ITADESK_HSTS_PRELOAD", "1") == "1"
    if TRUSTED_PROXIES:
        # TLS ends at our proxy, which says so in X-Forwarded-Proto (it must overwrite the header).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ITADESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Content-Security-Policy (django-csp): scripts only from the site or inline with the page's nonce
# ({{ request.csp_nonce }}); inline style attributes are allowed (no script can run from them).
# Swagger UI (/api/docs/) loads from a CDN and is left out of the policy.
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Shared cache (the API throttles' counters; with Redis the sessions too): the database cache
# (table made by `manage.py migrate`: the dashboard app's first migration runs createcachetable),
# or Redis with ITADESK_REDIS_URL.
# Never the per-process memory cache, or every worker would count on its own.
# The region dashboard's pages have a cache of their own ("dashboard"), so that culling its many
# pages never drops a throttle's counter.
if os.environ.get("ITADESK_REDIS_URL"):
    CACHES = {alias: {"BACKEND": "itadesk.web.redis_cache.ReusedClientRedisCache",
                      "LOCATION": os.environ["ITADESK_REDIS_URL"], "KEY_PREFIX": prefix}
              for alias, prefix in (("default", ""), ("dashboard", "dashboard"))}
    # Sessions read from Redis, written through to the database (a session survives Redis being
    # emptied): a page no longer waits for a session query. With the database cache this would
    # only add a second query, so the plain database sessions stay there.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "itadesk_cache"},
              "dashboard": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                            "LOCATION": "itadesk_dashboard_cache", "OPTIONS": {"MAX_ENTRIES": 500}}}

# The dashboard's page bodies are cached with the data version they were computed from
# (web/dataversion.py: renewed by every write the dashboard shows); this only bounds how long
# an unused body stays in the cache.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("ITADESK_DASHBOARD_CACHE_SECONDS", 3600))

# Login lockout (django-axes): after ITADESK_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for ITADESK_LOGIN_LOCKOUT_MINUTES (the Thai lockout page,
# 429), even with the right password. Attempts are rows in the database, shared by all workers.
import datetime as _dt  # noqa: E402

AXES_FAILURE_LIMIT = int(os.environ.get("ITADESK_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = _dt.timedelta(minutes=int(os.environ.get("ITADESK_LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "itadesk.web.client_ip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "itadesk.web.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON with bounded nesting and finite numbers (parsers.py); forms and uploads as DRF has them.
    "DEFAULT_PARSER_CLASSES": [
        "itadesk.web.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Counted per client address (client_ip.py) in the shared cache (CACHES).
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("ITADESK_TOKEN_RATE", "10/minute")},
}
API_JSON_MAX_DEPTH = 20   # nesting levels of an API request body (ours need 4)
SPECTACULAR_SETTINGS = {
    "TITLE": "itadesk API",
    "DESCRIPTION": "ITA results, analysis and measures plans of the agencies a user belongs to.",
    "VERSION": "1",
    # Swagger UI from the project's own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Plans and measures' progress both have a "status": name each.
    "ENUM_NAME_OVERRIDES": {"PlanStatusEnum": "itadesk.web.plans.models.Plan.STATUSES",
                            "ProgressStatusEnum": "itadesk.web.progress.models.STATUS_CHOICES"},
}

# Long work off the request (web/jobs): Celery workers with Redis as the broker; jobs' state,
# progress and results are rows in the database (no result backend). Without a broker the jobs
# run in a thread of the web process ("thread"), so a bare checkout still works.
CELERY_BROKER_URL = os.environ.get("ITADESK_BROKER_URL", "")
JOBS_MODE = os.environ.get("ITADESK_JOBS_MODE", "") or ("celery" if CELERY_BROKER_URL else "thread")
if JOBS_MODE not in ("celery", "thread", "inline"):
    raise RuntimeError("ITADESK_JOBS_MODE must be celery, thread or inline")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("ITADESK_JOBS_QUEUE", "itadesk")
CELERY_TASK_ACKS_LATE = True                 # acknowledged when done: a killed worker's job comes back
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1        # a worker process holds one job at a time
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("ITADESK_JOBS_TIME_LIMIT", 30 * 60))   # then the job fails, in Thai
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60                                # then the process is killed
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A message not acknowledged within the visibility timeout (its worker died) is delivered again;
# the restore sweep runs every `unacked_restore_interval` seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("ITADESK_BROKER_VISIBILITY_TIMEOUT", 3600)),
    "unacked_restore_interval": int(os.environ.get("ITADESK_BROKER_RESTORE_INTERVAL", 10)),
    "unacked_restore_throttle": 1,
}
if os.environ.get("ITADESK_BROKER_KEY_PREFIX"):   # several installations (or test runs) on one Redis
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = os.environ["ITADESK_BROKER_KEY_PREFIX"]
# Celery beat (`celery -A itadesk.web.worker beat`, one per installation) sends the daily reminders;
# cron with `manage.py send_reminders` does the same where beat is not run.
from celery.schedules import crontab  # noqa: E402

CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {"reminders": {"task": "itadesk.reminders", "schedule": crontab(hour=7, minute=30)}}
# A running job's claim lives this long unless its worker renews it (every quarter of it).
JOBS_LEASE_SECONDS = float(os.environ.get("ITADESK_JOBS_LEASE_SECONDS", 60))
JOBS_MAX_ATTEMPTS = 3                        # deliveries of one job before it is failed
JOBS_DOCUMENTS_PER_PART = int(os.environ.get("ITADESK_JOBS_DOCUMENTS_PER_PART", 10))

# OIT checker: networks it may fetch from besides the public internet (comma-separated CIDRs).
# Empty in production, so users cannot make the server probe its own network.
ITADESK_OIT_ALLOWED_NETWORKS = os.environ.get("ITADESK_OIT_ALLOWED_NETWORKS", "")

# Practice surveys: scores by question, indicator and tool are shown only once a survey has at
# least this many answers (never fewer than 5, so one person's answers cannot be read off).
SURVEY_MIN_ANSWERS = max(5, int(os.environ.get("ITADESK_SURVEY_MIN_ANSWERS", "10") or 10))
# One-time codes printed for an IIT survey in one go, at most.
SURVEY_MAX_CODES = 1000

# Reminders (manage.py send_reminders): printed on the console unless a real backend is configured.
EMAIL_BACKEND = os.environ.get("ITADESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("ITADESK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ITADESK_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("ITADESK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ITADESK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ITADESK_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("ITADESK_EMAIL_FROM", "itadesk <no-reply@localhost>")
SITE_URL = os.environ.get("ITADESK_SITE_URL", "http://127.0.0.1:8000")
# "ลืมรหัสผ่าน": reset e-mails an hour per e-mail address and network address, and per network address.
PASSWORD_RESET_RATE = int(os.environ.get("ITADESK_PASSWORD_RESET_RATE", 3))
PASSWORD_RESET_RATE_PER_ADDRESS = int(os.environ.get("ITADESK_PASSWORD_RESET_RATE_PER_ADDRESS", 10))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
