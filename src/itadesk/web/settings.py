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
SECRET_KEY = os.environ.get("ITADESK_SECRET_KEY") or "dev-only-" + "x" * 40
if not DEBUG and not os.environ.get("ITADESK_SECRET_KEY") and os.environ.get("ITADESK_PRODUCTION"):
    raise RuntimeError("ITADESK_SECRET_KEY must be set in production")
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
    "drf_spectacular_sidecar",
    "itadesk.web.agencies",
    "itadesk.web.results",
    "itadesk.web.plans",
    "itadesk.web.oit",
    "itadesk.web.progress",
    "itadesk.web.criteria",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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

# Uploads: results files are small; anything bigger is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
RESULTS_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
CRITERIA_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
# Evidence files of the measures' progress: kept under DATA_DIR/media, never served directly
# (the download view checks the agency). Larger files are refused and nothing is stored.
MEDIA_ROOT = DATA_DIR / "media"
EVIDENCE_MAX_BYTES = int(os.environ.get("ITADESK_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Counted in the process's cache: with several workers, configure a shared cache (CACHES).
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("ITADESK_TOKEN_RATE", "10/minute")},
}
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

# OIT checker: networks it may fetch from besides the public internet (comma-separated CIDRs).
# Empty in production, so users cannot make the server probe its own network.
ITADESK_OIT_ALLOWED_NETWORKS = os.environ.get("ITADESK_OIT_ALLOWED_NETWORKS", "")

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
