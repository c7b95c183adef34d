"""Compiled templates kept between runs, so a command does not compile its templates again.

Compiled templates are code, so they are read only from a folder and a file that belong to the
current user and that nobody else can write (the folder is made 0700, the files 0600), never
through a link. jinja2 itself throws away an entry whose source or Python version changed, and one
it cannot read. ``ADVISOR_NO_CACHE=1`` turns this off, as for the knowledge-base cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from ..private import cache_dir, open_private, write_private


class PrivateBytecodeCache(BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        fh = open_private(self._path(bucket))
        if fh is not None:
            with fh:
                bucket.load_bytecode(fh)

    def dump_bytecode(self, bucket: Bucket) -> None:
        write_private(self._path(bucket), bucket.write_bytecode)


def bytecode_cache(kind: str) -> PrivateBytecodeCache | None:
    """The cache of one kind of environment. Compiled code depends on the environment as well as on the
    source (jinja2 binds filters such as ``join`` at compile time), so each output kind, and each version
    of the code that sets environments up, has a folder of its own."""
    base = cache_dir()
    if base is None:
        return None
    folder = base / "templates"
    setup = hashlib.sha256((Path(__file__).parent / "render.py").read_bytes()).hexdigest()[:12]
    return PrivateBytecodeCache(folder / f"{kind}-{setup}")
