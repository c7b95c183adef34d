"""A per-user cache of the parsed knowledge-base files, so a command does not re-parse unchanged YAML.

Parsing the YAML (pure Python, with every value's line and column) is most of a cold command's time;
validation and the cross-checks are cheap and still run on every load, so the cache changes no result.

The cache is data, never code: ``marshal`` of plain values (dicts, lists, tuples, strings, numbers),
read only from a folder and a file that belong to the current user and that nobody else can write,
behind a SHA-256 of the payload. A file that fails any check (foreign owner, loose mode, a link,
corrupt, truncated, another format) is ignored and rebuilt. Files whose data holds anything but plain
values (a YAML date, say) are simply parsed each time. ``ADVISOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any, Iterable

from ..private import cache_dir, open_private, write_private
from .sourcefile import KB_FILE_LIMIT, Source, parse

#: bump when the cached form (or what parse() returns) changes
FORMAT = b"advisor-kb-cache-2"
MAGIC = FORMAT + b"\n"
KEEP = 8              # cache files kept; the oldest beyond that are removed
MAX_BYTES = 64 << 20  # a cache file larger than this is not read

_PLAIN = (str, int, float, bool, type(None))


class Sources:
    """Parses knowledge-base files through the cache; :meth:`save` stores what was parsed afresh."""

    def __init__(self, root: Path, files: Iterable[Path]) -> None:
        self.root = root
        self.files = list(files)
        self.folder = cache_dir()
        self._digests: dict[str, str] = {}
        self._stored: dict[str, tuple[Any, Any]] = {}
        self._parsed: dict[str, tuple[Any, Any]] = {}
        if self.folder is None:
            return
        try:
            for path in self.files:
                self._digests[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        except (OSError, ValueError):
            self.folder = None   # let parse() report the unreadable file as it always does
            return
        # one cache file per knowledge-base folder; each file in it is reused while its content is unchanged
        where = hashlib.sha256(FORMAT + sys.version.encode() + b"\0" + os.fsencode(root.resolve()))
        self.path = self.folder / f"kb-{where.hexdigest()[:32]}.cache"
        self._stored = _read(self.path, self._digests)

    def parse(self, path: Path) -> Source:
        rel = self._rel(path)
        hit = self._stored.get(rel) if rel is not None else None
        if hit is not None:
            return Source(str(path), hit[0], hit[1])
        source = parse(path, limit=KB_FILE_LIMIT)
        if rel is not None and rel in self._digests and _plain(source.data) and self._unchanged(path, rel):
            self._parsed[rel] = (source.data, source.positions)
        return source

    def _unchanged(self, path: Path, rel: str) -> bool:
        """Still the content the digest was taken of (a file saved meanwhile is not cached under it)."""
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == self._digests[rel]
        except OSError:
            return False

    def _rel(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def save(self) -> None:
        """Store the parsed files, when anything was parsed afresh; a cache that cannot be written is skipped."""
        if self.folder is None or not self._parsed:
            return
        entries = {**self._stored, **self._parsed}
        payload = marshal.dumps({rel: (self._digests[rel], data, positions) for rel, (data, positions) in entries.items()})
        if write_private(self.path, lambda fh: fh.write(MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)):
            _prune(self.folder)


def _read(path: Path, digests: dict[str, str]) -> dict[str, tuple[Any, Any]]:
    """The cached files whose content is unchanged; {} for a missing, foreign or damaged cache."""
    fh = open_private(path)
    if fh is None:
        return {}
    try:
        with fh:
            if os.fstat(fh.fileno()).st_size > MAX_BYTES:
                return {}
            blob = fh.read(MAX_BYTES + 1)
    except OSError:
        return {}
    head, _, rest = blob.partition(b"\n")
    checksum, _, payload = rest.partition(b"\n")
    if head + b"\n" != MAGIC or hashlib.sha256(payload).hexdigest().encode() != checksum:
        return {}
    try:
        entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    # the checksum rules out damage and the owner check other writers; the data is validated as always
    return {rel: (entry[1], entry[2]) for rel, entry in entries.items()
            if isinstance(entry, tuple) and len(entry) == 3 and digests.get(rel) == entry[0] and isinstance(entry[2], dict)}


def _plain(value: Any) -> bool:
    """Only what YAML gives for a knowledge-base file: mappings, lists and scalars."""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, _PLAIN) and _plain(v) for k, v in value.items())
    return False


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("kb-*.cache"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
