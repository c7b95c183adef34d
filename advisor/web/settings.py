"""Local use (``advisor web serve``): the base settings and a secret made once per installation (mode 0600)."""

from __future__ import annotations

import os
import secrets

from .base import *  # noqa: F401,F403
from .base import DATA_DIR


def _local_secret() -> str:
    """A per-installation secret, made once and kept beside the local database (mode 0600)."""
    if os.environ.get("ADVISOR_SECRET_KEY"):
        return os.environ["ADVISOR_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _local_secret()
