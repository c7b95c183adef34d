"""Test settings: the site's own settings, with a throwaway data folder and a fixed test secret."""

import os
import tempfile

os.environ.setdefault("ADVISOR_DATA_DIR", tempfile.mkdtemp(prefix="advisor-web-test-"))
os.environ.setdefault("ADVISOR_SECRET_KEY", "test-secret-" + "x" * 50)

from advisor.web.settings import *  # noqa: E402,F401,F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; the site uses scrypt (test_settings.py)
