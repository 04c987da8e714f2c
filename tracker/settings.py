"""Settings, read from environment variables only.

Development defaults let ``make run`` work with nothing but Python: an SQLite file in the
project folder, no broker (Celery tasks run in-process). ``TRACKER_ENV=production`` turns
on the production checks: the process refuses to start with the development secret key,
the development encryption key or ``DEBUG`` on.
"""

import datetime
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105
# A Fernet key for development data only; production refuses to start with it.
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ="

TRACKER_ENV = env.str("TRACKER_ENV", default="development")
PRODUCTION = TRACKER_ENV == "production"

SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Comma-separated Fernet keys: the first encrypts, any of them decrypts (key rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY", default=[DEVELOPMENT_FIELD_ENCRYPTION_KEY])

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    if DEVELOPMENT_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS or not env.str(
        "FIELD_ENCRYPTION_KEY", default=""
    ):
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY to your own Fernet key(s).")
    try:
        for key in FIELD_ENCRYPTION_KEYS:
            Fernet(key)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY holds a key that is not a valid Fernet key."
        ) from None

# Two-factor authentication (TOTP) for the admin: always on in production.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=PRODUCTION)
if PRODUCTION and not REQUIRE_2FA:
    raise ImproperlyConfigured("REQUIRE_2FA cannot be turned off in production.")
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Rights Tracker")

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "simple_history",
    "django_celery_beat",
    "tracker.apps.TrackerConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "corsheaders",
    "organisations",
    "incidents",
]

MIDDLEWARE = [
    "tracker.clients.ClientAddressMiddleware",
    "tracker.middleware.RequestIdMiddleware",
    "tracker.middleware.ApiGZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.language.UserLanguageMiddleware",
    "tracker.middleware.SessionLimitMiddleware",
    "tracker.middleware.PrivateResponsesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Reverse proxies in front of the app, each adding to X-Forwarded-For: the client's address
# (for the lockout, the API throttle and the audit log) is the entry left of theirs.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Kept connections in production: opening one costs a page of 10 rows about what the page
# itself costs. Each gunicorn thread keeps its own (see gunicorn.conf.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
# A kept connection the database dropped (restart, failover) is replaced, not a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("be", _("Belarusian")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Belarusian date and number formats, which Django does not ship.
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Minsk")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded source files live outside the web root and are never served as static files.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Where uploaded source files, import uploads, report files and dumps are kept: "local"
# (MEDIA_ROOT) or "s3", an S3-compatible store shared by every web and worker host
# (docs/operations.md). The bucket must not be public: files leave only through the app's
# checks, or (dumps in S3) by short-lived presigned links.
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
if FILE_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif FILE_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "location": env.str("S3_PREFIX", default=""),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("S3_LINK_SECONDS", default=300),
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured('FILE_STORAGE must be "local" or "s3".')
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Segregation of duties: nobody publishes a record they created or last edited, unless a
# one-person organisation turns this on.
ALLOW_SELF_PUBLISH = env.bool("ALLOW_SELF_PUBLISH", default=False)

SOURCE_FILE_MAX_BYTES = env.int("SOURCE_FILE_MAX_BYTES", default=25 * 1024 * 1024)
# Spreadsheet imports (docs/import.md): larger files are refused before they are read.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# The researchers' API (tracker/api/): read-only, token or session; its views set their
# own renderers and throttles.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organisations.tokens.CappedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "tracker.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttling counts anonymous callers by REMOTE_ADDR, which ClientAddressMiddleware has
    # set to the client's address (tracker/clients.py).
    "NUM_PROXIES": 0,
}
# CORS for browser-based research tools: off unless origins are listed, and only for the API.
# Tokens travel in the Authorization header, so no cookie is ever allowed across origins.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Link", "ETag", "Last-Modified", "Retry-After", "Content-Disposition"]
# "<n>/<second|minute|hour|day>"; empty means no limit. Counters live in the default cache.
API_THROTTLE_RATES = {
    "anonymous": env.str("API_THROTTLE_ANONYMOUS", default="60/minute") or None,
    "token": env.str("API_THROTTLE_TOKEN", default="600/minute") or None,
}
# No token outlives API_TOKEN_MAX_DAYS, however it is issued.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
if not 1 <= env.int("API_TOKEN_DAYS", default=365) <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be between 1 and API_TOKEN_MAX_DAYS.")
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env.int("API_TOKEN_DAYS", default=365)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rights Tracker API",
    "DESCRIPTION": _(
        "Raids, detentions, people, organisations and sources, as published and verified. "
        "Send `Authorization: Token <key>` to see records restricted to researchers."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "tracker.dates.DatePrecision",
        # Choice sets named "kind" in several rows of a detention.
        "PlaceOfCustodyKindEnum": "incidents.models.PlaceOfCustody.Kind",
        "SentenceKindEnum": "incidents.models.Sentence.Kind",
        "HearingKindEnum": "incidents.models.Hearing.Kind",
    },
    # Swagger UI served from our own static files, not from a CDN that may be blocked.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Throttle counters must be shared by all web processes: set CACHE_URL (e.g. a Redis URL,
# redis://127.0.0.1:6379/1) in production.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker (the embedded default) tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands a task whose worker died to another worker after this many seconds (default
# one hour). The nightly job takes about a second and is idempotent: minutes are plenty.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=5 * 60)
}

# Full dumps (docs/api.md): built each night and on demand; the last DUMPS_KEEP sets are kept.
DUMPS_KEEP = env.int("DUMPS_KEEP", default=3)
DUMPS_GZIP_LEVEL = env.int("DUMPS_GZIP_LEVEL", default=6)

# Nightly report: mailed (with pseudonyms) to these staff addresses when set; the job also
# makes the reports of missed or unfinished days among the last REPORT_CATCH_UP_DAYS.
REPORT_EMAILS = env.list("REPORT_EMAILS", default=[])
REPORT_CATCH_UP_DAYS = env.int("REPORT_CATCH_UP_DAYS", default=7)
# The language of the report files and mail: the organisation's, not a visitor's.
REPORT_LANGUAGE = env.str("REPORT_LANGUAGE", default=LANGUAGE_CODE)
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")

# Sessions end after 30 minutes idle and 12 hours in all (tracker.middleware).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_MAX_SECONDS = env.int("SESSION_MAX_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Django's admin runs without inline scripts or styles, so the policy allows none.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Error reports (500 e-mails, debug pages off) leave out local variables and POST data of
# the project's code, which hold names of detainees and confidential notes.
DEFAULT_EXCEPTION_REPORTER_FILTER = "tracker.audit.RecordSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "tracker.audit.RecordSafeExceptionReporter"

# Login throttling (django-axes): 100 failures within an hour lock the account, and
# separately 100 failures from one address lock that address, for an hour.
AXES_FAILURE_LIMIT = 100
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_VERBOSE = False  # tracker.audit logs sign-ins and failures without names
AXES_CLIENT_IP_CALLABLE = "tracker.clients.client_address"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tracker.audit.JsonFormatter"}},
    "filters": {"withhold": {"()": "tracker.audit.WithholdErrorDetails"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["withhold"]},
        "audit": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Sign-ins, failed sign-ins and refused accesses: one JSON line each, without content.
    "loggers": {"tracker.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False}},
}
