"""The one settings module, driven by environment variables (documented in docs/admin/configuration.md).

The embedded default (no DATABASE_URL, no REDIS_URL) is a SQLite file under var/ with Celery
tasks run in-process. Test settings only override a few values (config/test_settings.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from guichet.config.env import env_bool, env_int, env_list, env_str
from guichet.rules.parameters import ParameterError, use_parameters_dir

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("GUICHET_BASE_DIR", str(SRC_DIR.parent.parent)))
VAR_DIR = Path(env_str("GUICHET_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("GUICHET_DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when GUICHET_DEBUG is off.")
    SECRET_KEY = "insecure-demo-key-only-for-the-embedded-demo-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "guichet.core.views.csrf_failure"  # French page, no technical detail

# The commune this installation serves.
GUICHET_COMMUNE_INSEE = env_str("GUICHET_COMMUNE_INSEE", "76575")
GUICHET_COMMUNE_NAME = env_str("GUICHET_COMMUNE_NAME", "Saint-Étienne-du-Rouvray")
GUICHET_COMMUNE_POSTCODE = env_str("GUICHET_COMMUNE_POSTCODE", "76800")
GUICHET_DEMO_PASSWORD = env_str("GUICHET_DEMO_PASSWORD", "demo-guichet")
GUICHET_AUDIT_RETENTION_DAYS = env_int("GUICHET_AUDIT_RETENTION_DAYS", 365)
GUICHET_REQUIRE_2FA = env_bool("GUICHET_REQUIRE_2FA", not DEBUG)
GUICHET_SHARED_DIR = Path(env_str("GUICHET_SHARED_DIR", str(BASE_DIR.parent / "shared")))
# A commune's corrections of the dated pricing parameters (CAF quotient, PSU barème, cantine à 1 €):
# TOML files named and shaped like those of guichet/rules/data/. Checked here, so that a mistake stops
# the start with its file and line rather than surfacing in a price.
GUICHET_PARAMETERS_DIR = env_str("GUICHET_PARAMETERS_DIR")
try:
    use_parameters_dir(Path(GUICHET_PARAMETERS_DIR) if GUICHET_PARAMETERS_DIR else None)
except ParameterError as parameters_error:
    raise ImproperlyConfigured(f"GUICHET_PARAMETERS_DIR :\n{parameters_error}") from parameters_error
# The commune's own aids (aides facultatives): a directory of YAML files, one aid version per file
# (docs/admin/aides-locales.md). The default is the illustrative set shipped for the demo commune,
# marked as examples. Not checked here: a malformed file is shown on the bilans and by
# `guichet aides verifier`, and never stops the national assessment.
GUICHET_LOCAL_AIDS_DIR = Path(env_str("GUICHET_LOCAL_AIDS_DIR", str(SRC_DIR / "rules" / "local_aids" / "data")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "guichet.core",
    "guichet.accounts",
    "guichet.audit",
    "guichet.territory",
    "guichet.households",
    "guichet.records",
    "guichet.desk",
    "guichet.pricing",
    "guichet.rights",
    "guichet.agenda",
    "guichet.letters",
    "guichet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "guichet.accounts.middleware.Require2FAMiddleware",
    "guichet.accounts.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guichet.config.urls"
WSGI_APPLICATION = "guichet.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "guichet.core.context_processors.platform",
            ],
        },
    },
]

# Form fields and widgets through Jinja2: the same HTML as Django's own form templates (Django ships
# both sets), rendered several times faster (a select of themes or agents is one template per option).
FORM_RENDERER = "django.forms.renderers.Jinja2"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default must work on a fresh clone
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "guichet.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "guichet.accounts.backends.GuichetBackend",  # refuses demo accounts when DEBUG is off
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = f"Guichet {GUICHET_COMMUNE_NAME}"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env_int("GUICHET_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("GUICHET_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Session: expires after inactivity (refreshed on each request).
SESSION_COOKIE_AGE = env_int("GUICHET_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False  # SessionIdleMiddleware pushes the expiry back once a minute
SESSION_TOUCH_INTERVAL = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SRC_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]  # the shared layout's CSS, JS and vendored htmx
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
MEDIA_ROOT = Path(env_str("GUICHET_MEDIA_ROOT", str(VAR_DIR / "media")))
# No MEDIA_URL is served: personal documents go through permission-checked views only.
GUICHET_DOCUMENT_MAX_BYTES = env_int("GUICHET_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Fernet key (base64) encrypting social notes at rest; old keys (comma-separated) stay readable during a
# rotation. Without a key, DEBUG derives a demo key from SECRET_KEY and production refuses to write notes.
GUICHET_NOTES_KEY = env_str("GUICHET_NOTES_KEY")
GUICHET_NOTES_OLD_KEYS = env_list("GUICHET_NOTES_OLD_KEYS")

# Security headers. HTTPS settings are on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# A strict Content-Security-Policy: no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ccas@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
GUICHET_SMS_BACKEND = env_str("GUICHET_SMS_BACKEND", "guichet.agenda.sms.RecordingSmsBackend")  # records only

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process (embedded default).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Non-take-up campaigns: households per chunk (one Celery task, one OpenFisca simulation, about
# 110 KB per household); without Redis, run the chunks in a thread of the web process so that the
# page answers at once and shows the progress.
GUICHET_CAMPAIGN_CHUNK_SIZE = env_int("GUICHET_CAMPAIGN_CHUNK_SIZE", 1000)
GUICHET_BACKGROUND_THREADS = env_bool("GUICHET_BACKGROUND_THREADS", True)
CELERY_BEAT_SCHEDULE = {
    "audit-purge": {"task": "guichet.audit.tasks.audit_purge_task", "schedule": timedelta(days=1)},
    "audit-seal": {"task": "guichet.audit.tasks.audit_seal_task", "schedule": timedelta(minutes=1)},
    "referral-reminders": {"task": "guichet.desk.tasks.referral_reminders_task", "schedule": timedelta(hours=6)},
    "agenda-reminders": {"task": "guichet.agenda.tasks.appointment_reminders_task", "schedule": timedelta(hours=1)},
}

# Sessions: read from Redis when there is one (no query per page), written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

CACHES = {
    "default": (
        {"BACKEND": "guichet.core.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
