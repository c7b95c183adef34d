"""Settings from the environment; nothing secret lives in the repository.

    ADVISOR_DATA_DIR      where the SQLite database and the generated local secret live (default ~/.local/share/advisor-web)
    DATABASE_URL          postgres://user:password@host:5432/name  (or ADVISOR_DB_ENGINE=postgresql + ADVISOR_DB_NAME,
                          ADVISOR_DB_USER, ADVISOR_DB_PASSWORD, ADVISOR_DB_HOST, ADVISOR_DB_PORT); SQLite otherwise
    ADVISOR_DEBUG         1 for development (``advisor web serve --dev``)
    ADVISOR_ALLOWED_HOSTS comma-separated host names (default: localhost, 127.0.0.1)
    ADVISOR_UPLOAD_MAX_KB largest accepted upload (default 2048)
    ADVISOR_JOB_LEASE_SECONDS  a running job without a heartbeat for this long was left by a stopped worker (300)
    ADVISOR_JOB_ATTEMPTS       runs of a job before a stopped worker fails it (2: taken up again once)
    ADVISOR_JOB_KEEP_DAYS      finished jobs older than this are deleted by the cleanup (30)
    ADVISOR_DB_CONN_MAX_AGE    seconds a worker keeps its database connection (60; 0 closes it after every request)

``advisor.web.settings`` (local use) adds a secret made once per installation; ``advisor.web.settings_production``
requires ADVISOR_SECRET_KEY and ADVISOR_ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ADVISOR_DATA_DIR") or Path.home() / ".local" / "share" / "advisor-web")
DEBUG = os.environ.get("ADVISOR_DEBUG", "") == "1"


def database(env: dict[str, str]) -> dict[str, object]:
    """DATABASE_URL, else ADVISOR_DB_*, else SQLite in the data folder; connections kept by each worker."""
    # a synchronous worker answers one request at a time, so one connection of its own, kept between
    # requests, is safe, and saves PostgreSQL a new backend per request; checked before reuse, so a
    # restarted database costs one reconnect, not an error
    kept = {"CONN_MAX_AGE": int(env.get("ADVISOR_DB_CONN_MAX_AGE", "60")), "CONN_HEALTH_CHECKS": True}
    return {**_engine(env), **kept}


def _engine(env: dict[str, str]) -> dict[str, object]:
    url = env.get("DATABASE_URL")
    if url:
        u = urlparse(url)
        if u.scheme not in {"postgres", "postgresql"}:
            raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {u.scheme!r}; use postgres://user:password@host:port/name")
        return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(u.path.lstrip("/")), "USER": unquote(u.username or ""),
                "PASSWORD": unquote(u.password or ""), "HOST": u.hostname or "", "PORT": str(u.port or "")}
    if env.get("ADVISOR_DB_ENGINE", "sqlite") in {"postgresql", "postgres"}:
        return {"ENGINE": "django.db.backends.postgresql", "NAME": env.get("ADVISOR_DB_NAME", "advisor"),
                "USER": env.get("ADVISOR_DB_USER", ""), "PASSWORD": env.get("ADVISOR_DB_PASSWORD", ""),
                "HOST": env.get("ADVISOR_DB_HOST", ""), "PORT": env.get("ADVISOR_DB_PORT", "")}
    # several gunicorn workers (and autosaves from several tabs) write at once: take the write lock when a
    # transaction starts and wait for it, rather than fail with "database is locked" halfway through
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": env.get("ADVISOR_DB_PATH") or str(DATA_DIR / "advisor.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}}


ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ADVISOR_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]
DATABASES = {"default": database(dict(os.environ))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_htmx",
    "advisor.web.accounts",
    "advisor.web.bodies",
    "advisor.web.assessments",
    "advisor.web.progress",
    "advisor.web.people",
    "advisor.web.portfolio",
    "advisor.web.timeline",
    "advisor.web.jobs",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "advisor.web.middleware.content_security_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "advisor.web.middleware.request_roles",
    "advisor.web.middleware.user_language",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
ROOT_URLCONF = "advisor.web.urls"
WSGI_APPLICATION = "advisor.web.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.jinja2.Jinja2",
    "DIRS": [HERE / "jinja2"],
    "APP_DIRS": True,
    "OPTIONS": {"environment": "advisor.web.jinja.environment", "context_processors": ["advisor.web.pages.common"]},
}]

# scrypt: memory-hard, in the standard library (no extra dependency); PBKDF2 kept to read older hashes
PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
#: failed logins per user name (and per address) within the window before logins are refused
LOGIN_FAILURES_ALLOWED = 5
LOGIN_FAILURE_WINDOW_MINUTES = 15

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

STATIC_URL = "/static/"
STATICFILES_DIRS = [HERE / "static"]
# served by whitenoise straight from the package (no collectstatic step); it wants the folder to exist
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True

#: policy analysts see no group of fewer bodies than this in the portfolio (docs/web.md, "Portfolio")
ADVISOR_PORTFOLIO_MIN_GROUP = int(os.environ.get("ADVISOR_PORTFOLIO_MIN_GROUP", "5"))

UPLOAD_MAX_BYTES = int(os.environ.get("ADVISOR_UPLOAD_MAX_KB", "2048")) * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 64 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "advisor.web.accounts.views.csrf_failure"

#: candidate knowledge bases the impact page offers (one folder each, with knowledge_base/ and rules/); uploaded
#: zips are unpacked under its .uploads/ and removed once the job has loaded them
ADVISOR_CANDIDATE_KBS = Path(os.environ.get("ADVISOR_CANDIDATE_KBS") or DATA_DIR / "candidates")

#: background jobs' lease and cleanup (advisor/web/jobs/services.py, docs/web-scaling.md)
ADVISOR_JOB_LEASE_SECONDS = int(os.environ.get("ADVISOR_JOB_LEASE_SECONDS", "300"))
ADVISOR_JOB_ATTEMPTS = int(os.environ.get("ADVISOR_JOB_ATTEMPTS", "2"))
ADVISOR_JOB_KEEP_DAYS = int(os.environ.get("ADVISOR_JOB_KEEP_DAYS", "30"))
