"""Compiled templates kept between runs, so a command does not compile its templates again.

Compiled templates are code, so they are read only from a folder and a file that belong to the
current user and that nobody else can write (the folder is made 0700, the files 0600), never
through a link. jinja2 itself throws away an entry whose source or Python version changed, and one
it cannot read. ``ADVISOR_NO_CACHE=1`` turns this off, as for the knowledge-base cache.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache


def _folder() -> Path | None:
    if os.environ.get("ADVISOR_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "advisor" / "templates"


def _private(st: os.stat_result, kind: int) -> bool:
    return (stat.S_IFMT(st.st_mode) == kind and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


class PrivateBytecodeCache(BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            if not _private(os.lstat(self.folder), stat.S_IFDIR):
                return
            fd = os.open(self._path(bucket), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        with os.fdopen(fd, "rb") as fh:
            if _private(os.fstat(fh.fileno()), stat.S_IFREG):
                bucket.load_bytecode(fh)

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(os.lstat(self.folder), stat.S_IFDIR):
                return
            fd, tmp = tempfile.mkstemp(prefix=".t-", suffix=".tmp", dir=self.folder)   # mode 0600
            try:
                with os.fdopen(fd, "wb") as fh:
                    bucket.write_bytecode(fh)
                os.replace(tmp, self._path(bucket))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return


def bytecode_cache(kind: str) -> PrivateBytecodeCache | None:
    """The cache of one kind of environment. Compiled code depends on the environment as well as on the
    source (jinja2 binds filters such as ``join`` at compile time), so each output kind, and each version
    of the code that sets environments up, has a folder of its own."""
    folder = _folder()
    if folder is None:
        return None
    setup = hashlib.sha256((Path(__file__).parent / "render.py").read_bytes()).hexdigest()[:12]
    return PrivateBytecodeCache(folder / f"{kind}-{setup}")
