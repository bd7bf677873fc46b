"""smeplan settings: everything that differs between machines comes from the environment.

DATABASE_URL      default sqlite:///var/smeplan.sqlite3 (the embedded default)
DJANGO_SECRET_KEY default: generated once and kept in var/secret_key (git-ignored)
DJANGO_DEBUG      "1" to turn debug on (off unless asked)
DJANGO_ALLOWED_HOSTS comma-separated, default "127.0.0.1,localhost"
CELERY_BROKER_URL  when absent, background tasks run eagerly in the request
SMEPLAN_CACHE_URL  redis://… for the shared cache (job progress); default: the broker when it is
                   Redis, else an in-process cache (enough when tasks run eagerly)
SMEPLAN_IMPORT_BACKGROUND_BYTES  uploads at least this large are checked and written as
                   background jobs (default 2 MB)
SMEPLAN_SMTP_HOST  SMTP server for notification e-mails (with SMEPLAN_SMTP_PORT/USER/PASSWORD/TLS,
                   SMEPLAN_MAIL_FROM); without it no e-mail is sent (notifications stay in the system)
SMEPLAN_ATTACHMENT_MAX_BYTES  largest application attachment (default 10 MB)
SMEPLAN_SITE_URL   the address users open the system at, for the links in notification e-mails
                   (default http://127.0.0.1:8000)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SMEPLAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # django-ninja's bundled Swagger UI assets: /api/v1/docs works offline
    "smeplan.regions",
    "smeplan.industries",
    "smeplan.accounts",
    "smeplan.audit",
    "smeplan.registry",
    "smeplan.indicators",
    "smeplan.exchange",
    "smeplan.programmes",
    "smeplan.recognition",
    "smeplan.evaluation",
    "smeplan.reporting",
    "smeplan.flags",
    "smeplan.targets",
    "smeplan.portal",
    "smeplan.campaigns",
    "smeplan.notifications",
    "smeplan.web",
    "smeplan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smeplan.web.middleware.ChosenLanguageMiddleware",  # zh-hans unless switched (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "smeplan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "smeplan.web.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "smeplan.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'smeplan.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
# 密码规则 (smeplan/accounts/passwords.py): stated on every page that sets a password
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "smeplan.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "smeplan.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "smeplan.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "smeplan.accounts.passwords.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is absent
# Built by scripts/build_assets.py (`make`): vendor/echarts.min.js and maps/shaanxi-counties.json.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STATICFILES_DIRS[0].mkdir(parents=True, exist_ok=True)  # else staticfiles.W004 before the first build
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if os.environ.get("DJANGO_SECURE_COOKIES", "0") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded import files are kept (private: MEDIA_ROOT is never served) so that a batch can be
# checked again with another column mapping, written by a worker, and its problem report rebuilt.
MEDIA_ROOT = Path(os.environ.get("SMEPLAN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/_private-media/"  # no URL pattern serves it; files are sent only by permission-checked views
FILE_UPLOAD_PERMISSIONS = 0o600
SMEPLAN_IMPORT_MAX_BYTES = int(os.environ.get("SMEPLAN_IMPORT_MAX_BYTES", 100 * 1024 * 1024))
SMEPLAN_IMPORT_BACKGROUND_BYTES = int(os.environ.get("SMEPLAN_IMPORT_BACKGROUND_BYTES", 2 * 1024 * 1024))
# Recognition workflow: application attachments (PDF/PNG/JPEG) and notification e-mails
SMEPLAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("SMEPLAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
# Notification e-mails go out only where an SMTP server is configured; otherwise mail is printed
# to the console (never sent) and notifications stay in the system.
SMTP_HOST = os.environ.get("SMEPLAN_SMTP_HOST", "")
SMEPLAN_NOTIFY_BY_EMAIL = bool(SMTP_HOST)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": SMTP_HOST,
            "port": int(os.environ.get("SMEPLAN_SMTP_PORT", "25")),
            "username": os.environ.get("SMEPLAN_SMTP_USER", ""),
            "password": os.environ.get("SMEPLAN_SMTP_PASSWORD", ""),
            "use_tls": os.environ.get("SMEPLAN_SMTP_TLS", "0") == "1",
            "timeout": 10,
        },
    }
    if SMTP_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("SMEPLAN_MAIL_FROM", "smeplan@localhost")
SMEPLAN_SITE_URL = os.environ.get("SMEPLAN_SITE_URL", "http://127.0.0.1:8000")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
# ``celery -A smeplan beat`` (beside the worker): daily workflow reminders (notices that ended)
CELERY_BEAT_SCHEDULE = {
    "recognition-daily": {"task": "smeplan.recognition_daily", "schedule": 6 * 60 * 60},
    # 提醒与邮件: the day's reminders (idempotent: safe more often), and the outbox's retries
    "reminders-daily": {"task": "smeplan.reminders_daily", "schedule": 6 * 60 * 60},
    "outbox-send": {"task": "smeplan.outbox_send", "schedule": 10 * 60},
}

_cache_url = os.environ.get("SMEPLAN_CACHE_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "smeplan"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # an ordinary 403/400 is one line (user, path, reason); a 500 keeps its traceback
    "filters": {"client_error_one_line": {"()": "smeplan.log.ClientErrorOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["client_error_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
