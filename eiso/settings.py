"""eISO settings, read from the environment (see .env.example).

Nothing here is read at import time by application code: apps read `django.conf.settings`.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
_env_file = Path.cwd() / ".env"
if _env_file.is_file():
    env.read_env(str(_env_file))

DATA_DIR = Path(env.str("EISO_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("EISO_SECRET_KEY", default="")
    if key.upper().startswith("CHANGE-ME") and not DEBUG:
        raise ImproperlyConfigured(
            "EISO_SECRET_KEY is still the example's value: generate one (see deploy/env.production.example)."
        )
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "EISO_SECRET_KEY must be set when DEBUG is off (see .env.example)."
        )
    # Development: generate once and keep it in the data directory so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "eiso.core",
    "eiso.accounts",
    "eiso.organizations",
    "eiso.calendars",
    "eiso.catalog",
    "eiso.documents",
    "eiso.processes",
    "eiso.legal",
    "eiso.dossiers",
    "eiso.improvement",
    "eiso.objectives",
    "eiso.risks",
    "eiso.audits",
    "eiso.reviews",
    "eiso.compliance",
    "eiso.oversight",
    "eiso.announcements",
    "eiso.reporting",
    "eiso.inspections",
    "eiso.trainings",
    "eiso.par",
    "eiso.reports",
    "eiso.portal",
]

MIDDLEWARE = [
    "eiso.core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eiso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eiso.accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "eiso.core.middleware.CurrentAgencyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eiso.urls"
WSGI_APPLICATION = "eiso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eiso.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'eiso.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # Writers take the lock when their transaction starts, so a second writer waits for the first and then
    # sees its result (two approvals of one revision: one succeeds, the other gets a conflict) instead of
    # failing with "database is locked" when a read transaction tries to become a write one.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real broker when Redis is configured, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    "seed-holidays-next-year": {
        "task": "eiso.calendars.tasks.seed_upcoming_holidays",
        "schedule": crontab(hour=2, minute=0, day_of_month=1, month_of_year="10,11,12"),
    },
    # Monday to Friday before office hours: people find the reminder when they start work.
    "document-acknowledgement-reminders": {
        "task": "eiso.documents.tasks.send_acknowledgement_reminders",
        "schedule": crontab(hour=7, minute=0, day_of_week="1-5"),
    },
    # Mondays: the 3-month rule's update tasks due soon or overdue, to heads and ISO coordinators.
    "update-task-reminders": {
        "task": "eiso.legal.tasks.send_update_task_reminders",
        "schedule": crontab(hour=7, minute=15, day_of_week="1"),
    },
    # The first of each month: the computed indicators of quality objectives measured for the period just ended.
    "objectives-record-computed-measurements": {
        "task": "eiso.objectives.tasks.record_computed_measurements",
        "schedule": crontab(hour=1, minute=30, day_of_month=1),
    },
    # Monday to Friday: the yearly obligations of each agency's QMS due soon (30, 7, 0 days ahead), once each.
    "compliance-reminders": {
        "task": "eiso.compliance.tasks.send_compliance_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="1-5"),
    },
}

# E-mail (reminders). EMAIL_URL as django-environ reads it, e.g. smtp+tls://user:password@mail.example.gov.vn:587;
# by default the console in development and the local mail server in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="eiso@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Controlled documents: remind a recipient who has not confirmed reading a document this many days after it
# was sent to them, then again every this many days.
EISO_ACK_REMINDER_DAYS = env.int("EISO_ACK_REMINDER_DAYS", default=3)
if EISO_ACK_REMINDER_DAYS < 1:
    raise ImproperlyConfigured("EISO_ACK_REMINDER_DAYS must be a whole number of days, 1 or more.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins and refuses further attempts for a while (its backend comes first).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "eiso.accounts.backends.RoleAwareModelBackend"]
# Sign-in throttling: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address, that pair is
# refused for AXES_COOLOFF_MINUTES (a success resets the count). The counts are in the database, so every app
# process shares them. Keyed on the pair so that a stranger cannot lock a colleague out from another machine. Behind
# reverse proxies, EISO_TRUSTED_PROXY_COUNT says how many of them append to X-Forwarded-For (nginx in deploy/: 1);
# at 0 (the default) the address is the connection's, i.e. the proxy's, and the lock is in effect per user name.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "eiso.accounts.views.locked_out"
EISO_TRUSTED_PROXY_COUNT = env.int("EISO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "eiso.core.throttle.client_address"
AXES_VERBOSE = False
# Two-factor sign-in (TOTP) for agency heads, ISO coordinators, supervisors and administrators (eiso.accounts.
# two_factor). Turn it off only for a demonstration (`make run` does); OTP_TOTP_ISSUER names eISO in the app.
EISO_TWO_FACTOR_REQUIRED = env.bool("EISO_TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="eISO")
# Optional single sign-on through the province's OpenID Connect identity provider (eiso.accounts.oidc): on when
# EISO_OIDC_CLIENT_ID is set. It signs in only people who already have an eISO account (matched by user name against
# the claim EISO_OIDC_USERNAME_CLAIM) and never creates one. The endpoints are in the provider's
# /.well-known/openid-configuration.
EISO_OIDC_ENABLED = bool(env.str("EISO_OIDC_CLIENT_ID", default=""))
EISO_OIDC_PROVIDER_NAME = env.str("EISO_OIDC_PROVIDER_NAME", default="")
EISO_OIDC_USERNAME_CLAIM = env.str("EISO_OIDC_USERNAME_CLAIM", default="preferred_username")
if EISO_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "eiso.accounts.oidc.ExistingPersonBackend")
    OIDC_RP_CLIENT_ID = env.str("EISO_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("EISO_OIDC_CLIENT_SECRET", default="")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("EISO_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("EISO_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("EISO_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("EISO_OIDC_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("EISO_OIDC_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env.str("EISO_OIDC_SCOPES", default="openid profile")
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    OIDC_VERIFY_SSL = env.str("EISO_OIDC_CA_BUNDLE", default="") or True
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["eiso.formats"]

# Static files (CSS, JavaScript, fonts) are collected into STATIC_ROOT by `eiso collectstatic` and served by the app
# (WhiteNoise: compressed, with far-future cache headers for the hashed names) or by the reverse proxy from the same
# folder. In production the names carry a hash of the content, so `collectstatic` must have run before the app starts.
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("EISO_STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Content-Security-Policy (django-csp 4): scripts only from our own origin, never inline and never eval — the
# templates have no inline <script> and no on*= handlers (tests/security/test_csp.py checks both). Styles allow
# 'unsafe-inline' (styles only): 38 templates and the server-drawn SVG charts/flowcharts use style="…" attributes and
# <style> elements; CSS cannot run scripts, so this keeps the script guarantee. The two API documentation pages
# (Swagger UI, Redoc) relax their own policy per view in eiso/api_urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
MEDIA_URL = "/media/"  # never served as such: every file goes through a view that checks who may see it
MEDIA_ROOT = Path(env.str("EISO_MEDIA_ROOT", default=str(DATA_DIR / "media")))

# Uploaded files (document attachments, forms, evidence, catalogue imports): the file system under
# EISO_MEDIA_ROOT by default; an S3-compatible object storage (MinIO, Ceph, a cloud provider's) when EISO_S3_BUCKET is
# set, which is what several app and worker machines need. Objects stay private: no public ACL, no public URL — the
# app reads them and serves them to those who may see them.
EISO_S3_BUCKET = env.str("EISO_S3_BUCKET", default="")
if EISO_S3_BUCKET:
    _s3_options = {
        "bucket_name": EISO_S3_BUCKET,
        "endpoint_url": env.str("EISO_S3_ENDPOINT_URL", default="") or None,  # unset: Amazon S3
        "region_name": env.str("EISO_S3_REGION", default="") or None,
        "addressing_style": env.str("EISO_S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        "location": env.str("EISO_S3_PREFIX", default=""),  # a folder inside the bucket, e.g. "eiso/"
        "default_acl": None,  # the bucket's own policy (private); some servers refuse ACL headers altogether
        "querystring_auth": True,  # a URL of an object, if one were ever made, is signed and expires
        "querystring_expire": 300,
        "file_overwrite": False,  # two uploads with the same name keep both (as on the file system)
        "verify": env.str("EISO_S3_CA_BUNDLE", default="") or None,  # a private CA's certificate file, if any
    }
    # Keys: unset means boto3's usual chain (AWS_ACCESS_KEY_ID…, an instance role).
    if env.str("EISO_S3_ACCESS_KEY_ID", default=""):
        _s3_options["access_key"] = env.str("EISO_S3_ACCESS_KEY_ID")
        _s3_options["secret_key"] = env.str("EISO_S3_SECRET_ACCESS_KEY", default="")
    if _s3_options["addressing_style"] not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured("EISO_S3_ADDRESSING_STYLE must be path, virtual or auto.")
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    # HSTS: set SECURE_HSTS_SECONDS (a year: 31536000) once HTTPS works for good; browsers then refuse plain HTTP
    # for that long. INCLUDE_SUBDOMAINS covers the names under the site's host; PRELOAD only adds the directive
    # (the host enters browsers' built-in list only when its domain's owner submits it at hstspreload.org).
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # The app redirects plain HTTP to HTTPS (the reverse proxy usually does it first); health probes are exempt.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    # The TLS-terminating proxy says the request came over HTTPS; it must set (not pass on) this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "eiso.accounts.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["eiso.core.api.filters.IdFilterBackend"],
    # JSON only: the browsable API's forms would list related objects without restrict().
    # The interactive documentation is at /api/v1/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "eiso.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "eiso.core.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "eISO API",
    "DESCRIPTION": "REST API of eISO (ISO điện tử). Errors share one format: message, code, errors.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the error responses of the API (message, code, errors).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "eiso.core.api.schema.document_errors"],
    # Choices whose values collide with another app's (level, status, kind…): one named enum each.
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "eiso.risks.choices.RiskLevel",
        "RiskStatusEnum": "eiso.risks.choices.RiskStatus",
        "RiskKindEnum": "eiso.risks.choices.RiskKind",
        "RiskActionStatusEnum": "eiso.risks.choices.RiskActionStatus",
        "ContextIssueKindEnum": "eiso.risks.choices.ContextIssueKind",
        "ContextIssueStatusEnum": "eiso.risks.choices.ContextIssueStatus",
        "TreatmentEnum": "eiso.risks.choices.Treatment",
        "NonconformitySourceEnum": "eiso.improvement.choices.NonconformitySource",
        "DossierSourceEnum": "eiso.dossiers.choices.Source",
        "CalendarDaySourceEnum": "eiso.calendars.choices.CalendarDaySource",
        "AnalysisMethodEnum": "eiso.improvement.choices.AnalysisMethod",
        "ProcessKindEnum": "eiso.processes.choices.ProcessKind",
        "DocumentKindEnum": "eiso.documents.choices.DocumentKind",
        "AgencyKindEnum": "eiso.organizations.choices.AgencyKind",
        "CalendarDayKindEnum": "eiso.calendars.choices.CalendarDayKind",
        "ApplicantKindEnum": "eiso.dossiers.choices.ApplicantKind",
        "PauseKindEnum": "eiso.dossiers.choices.PauseKind",
        "RelationKindEnum": "eiso.legal.choices.RelationKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

EISO = {
    # Default office hours (Decree 118/2025 leaves them to provinces): 07:30–11:30, 13:00–17:00.
    "DEFAULT_OFFICE_HOURS": ((7, 30), (11, 30), (13, 0), (17, 0)),
    "HOLIDAY_SEED_YEARS_AHEAD": 1,
    "DEMO_PASSWORD": env.str("EISO_DEMO_PASSWORD", default="eiso-demo-2026"),
    # Largest file attached to a document revision (the web server's own limit should be a little higher).
    "ATTACHMENT_MAX_MB": env.int("EISO_ATTACHMENT_MAX_MB", default=20),
    # Update tasks (3-month rule) are reminded when due within this many days, and when overdue.
    "UPDATE_TASK_REMINDER_DAYS": env.int("EISO_UPDATE_TASK_REMINDER_DAYS", default=30),
    # Dossiers (one-stop rules; each agency may override the first two in its dossier settings).
    "DOSSIER_CODE_PATTERN": env.str("EISO_DOSSIER_CODE_PATTERN", default="{unit}-{date:%y%m%d}-{seq:04d}"),
    "DOSSIER_RECEIPT_CUTOFF": env.str("EISO_DOSSIER_RECEIPT_CUTOFF", default="15:00"),
    # "by_day": early before the due day, on time on the due day by the due moment; "by_time": time used vs allowed.
    "DOSSIER_CLASSIFICATION": env.str("EISO_DOSSIER_CLASSIFICATION", default="by_day"),
    # A dossier in progress is "at risk" when less than this many working hours remain.
    "DOSSIER_AT_RISK_HOURS": env.int("EISO_DOSSIER_AT_RISK_HOURS", default=8),
    # Public dossier lookups (page and API) allowed per client address per minute.
    "DOSSIER_LOOKUP_PER_MINUTE": env.int("EISO_DOSSIER_LOOKUP_PER_MINUTE", default=20),
    # Compliance calendar: an obligation is "due soon" within this many days; reminders this many days ahead.
    "COMPLIANCE_DUE_SOON_DAYS": env.int("EISO_COMPLIANCE_DUE_SOON_DAYS", default=30),
    "COMPLIANCE_REMINDER_DAYS": (30, 7, 0),
    # Inspections by the supervising authority (Circular 26/2014): the least share of a yearly plan inspected on site
    # (a fraction "1/3", a decimal "0.4" or a percentage "40%"), and the months the agency has to report its corrective
    # actions after the minutes are signed.
    "INSPECTION_MIN_ON_SITE_SHARE": env.str("EISO_INSPECTION_MIN_ON_SITE_SHARE", default="1/3"),
    "INSPECTION_REPORT_MONTHS": env.int("EISO_INSPECTION_REPORT_MONTHS", default=2),
}

# Citizens' feedback and satisfaction surveys: the response deadline (working days; Decree 20/2008 as amended sets
# the handling time of feedback on administrative regulations — check the figure your province applies), the
# public forms' limits per client address per hour, and how long the form's check question stays valid (seconds).
EISO_FEEDBACK_RESPONSE_WORKING_DAYS = env.int("EISO_FEEDBACK_RESPONSE_WORKING_DAYS", default=10)
EISO_FEEDBACK_PER_HOUR = env.int("EISO_FEEDBACK_PER_HOUR", default=5)
EISO_SURVEY_PER_HOUR = env.int("EISO_SURVEY_PER_HOUR", default=20)
EISO_PUBLIC_CHALLENGE_MAX_AGE = env.int("EISO_PUBLIC_CHALLENGE_MAX_AGE", default=1800)

# Logs go to the standard error stream (systemd's journal, `docker compose logs`). LOG_FORMAT=json: one JSON object
# per line (time, level, logger, message and the record's fields: for each request its request_id, method, path,
# status, duration_ms and user_id — see eiso.core.logging); text (the default) for people reading a terminal.
# Celery's worker and beat use the same configuration (eiso.celery).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "eiso.core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s", "datefmt": "%Y-%m-%d %H:%M:%S%z"},
        "json": {"()": "eiso.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
