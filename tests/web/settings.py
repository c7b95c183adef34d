"""Test settings: the site's own settings, with a throwaway data folder and a fixed test secret."""

import os
import tempfile

os.environ.setdefault("ADVISOR_DATA_DIR", tempfile.mkdtemp(prefix="advisor-web-test-"))
os.environ.setdefault("ADVISOR_SECRET_KEY", "test-secret-" + "x" * 50)

from advisor.web.settings import *  # noqa: E402,F401,F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # a file, not :memory: — the live server of the browser tests answers autosaves on several threads at once
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["ADVISOR_DATA_DIR"], "test.sqlite3")}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; the site uses scrypt (test_settings.py)
