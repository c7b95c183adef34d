"""Production: behind a TLS-terminating proxy; the secret must come from the environment.

    DJANGO_SETTINGS_MODULE=advisor.web.settings_production ADVISOR_SECRET_KEY=... ADVISOR_ALLOWED_HOSTS=advisor.example.kz
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

if len(os.environ.get("ADVISOR_SECRET_KEY", "")) < 50:
    raise ImproperlyConfigured("ADVISOR_SECRET_KEY is not set (or shorter than 50 characters): production needs its own secret; "
                               "make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'")
SECRET_KEY = os.environ["ADVISOR_SECRET_KEY"]
if "ADVISOR_ALLOWED_HOSTS" not in os.environ:
    raise ImproperlyConfigured("ADVISOR_ALLOWED_HOSTS is not set: name the host(s) the site is served as, comma-separated")
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
