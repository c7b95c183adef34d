"""Files only the current user can have written: the per-user cache folder, the check that a folder or file
belongs to this user and nobody else can write it, reading one without following a link, and writing one
atomically with mode 0600. The knowledge-base cache and the compiled-template cache both read what they
stored only through these, so neither can be a way for another user to feed data or code in."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/advisor`` or ``~/.cache/advisor``; None when turned off (``ADVISOR_NO_CACHE=1``)
    or there is no home."""
    if os.environ.get("ADVISOR_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "advisor"


def is_private(st: os.stat_result, kind: int) -> bool:
    """Owned by this user, of the expected kind (``stat.S_IFDIR``, ``stat.S_IFREG``), writable by nobody else."""
    return (stat.S_IFMT(st.st_mode) == kind and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def open_private(path: Path) -> BinaryIO | None:
    """``path`` opened for reading when it and its folder are private; never through a link, never blocking
    on a FIFO; None otherwise."""
    try:
        if not is_private(os.lstat(path.parent), stat.S_IFDIR):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not is_private(os.fstat(fd), stat.S_IFREG):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None


def write_private(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """Write ``path`` atomically through ``write``, in a folder made 0700, the file 0600; False (nothing
    written) when the folder is not private or cannot be written."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not is_private(os.lstat(folder), stat.S_IFDIR):
            return False
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".tmp", dir=folder)   # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
