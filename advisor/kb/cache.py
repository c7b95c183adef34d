"""A per-user cache of a knowledge base: the loaded result while nothing changed, else the parsed files.

Parsing the YAML (pure Python, with every value's line and column), validating it and cross-checking it are
most of a cold command's time. An unchanged knowledge base (the same files, byte for byte, and the same
code) loads to the same result each time, so that result is kept (:mod:`.frozen`) and rebuilt without
parsing or validating; the files' lines are read from the cache only when a message needs one. After a
change, the files that did not change are reused parsed, and validation and the cross-checks run as always.

The cache is data, never code: ``marshal`` of plain values (dicts, lists, tuples, strings, numbers),
read only from a folder and a file that belong to the current user and that nobody else can write,
behind a SHA-256 of the whole payload. A file that fails any check (foreign owner, loose mode, a link,
corrupt, truncated, another format) is ignored and rebuilt. Files whose data holds anything but plain
values (a YAML date, say) are simply parsed each time. ``ADVISOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

import pydantic

from ..models.knowledge import KnowledgeBase
from ..private import cache_dir, open_private, write_private
from . import frozen
from .sourcefile import KB_FILE_LIMIT, Loc, Source, parse

#: bump when the cached form (or what parse() returns) changes
FORMAT = b"advisor-kb-cache-5"
MAGIC = FORMAT + b"\n"
KEEP = 8              # cache files kept; the oldest beyond that are removed
MAX_BYTES = 256 << 20  # a cache file larger than this is not read

_PLAIN = (str, int, float, bool, type(None))


class Sources:
    """Parses knowledge-base files through the cache; :meth:`save` stores what was parsed afresh and the result."""

    def __init__(self, root: Path, files: Iterable[Path]) -> None:
        self.root = root
        self.files = list(files)
        self.folder = cache_dir()
        self._content_hash: str | None = None
        self._blobs: list[tuple[str, bytes]] = []
        self._digests: dict[str, str] = {}
        self._loaded: dict[str, tuple[Any, Any]] | None = None
        self._parsed: dict[str, tuple[Any, Any]] = {}
        self._verified: set[str] = set()   # files whose content read in this load is that of their digest
        self._result: Any = None
        self._files_blob: bytes | memoryview | None = b""
        if self.folder is None:
            return
        blobs: list[tuple[str, bytes]] = []
        try:
            for path in self.files:
                rel = path.relative_to(root).as_posix()
                blob = path.read_bytes()
                self._digests[rel] = hashlib.sha256(blob).hexdigest()
                blobs.append((rel, blob))
        except (OSError, ValueError):
            self.folder = None   # let parse() report the unreadable file as it always does
            return
        self._blobs = blobs
        # one cache file per knowledge-base folder; each file in it is reused while its content is unchanged
        where = hashlib.sha256(FORMAT + sys.version.encode() + b"\0" + os.fsencode(root.resolve()))
        self.path = self.folder / f"kb-{where.hexdigest()[:32]}.cache"
        self._result, self._files_blob = _read(self.path)

    @property
    def content_hash(self) -> str | None:
        """The knowledge base's content hash (``loading.content_hash``) of the bytes the digests were taken of;
        taken only when the knowledge base is loaded afresh (a cached result holds its own)."""
        if self._content_hash is None and self._blobs:
            whole = hashlib.sha256()
            for rel, blob in self._blobs:
                whole.update(rel.encode() + b"\0" + blob.replace(b"\r\n", b"\n") + b"\0")
            self._content_hash = whole.hexdigest()[:12]
        return self._content_hash

    def knowledge_base(self) -> KnowledgeBase | None:
        """The cached result when every file and the code are as they were when it was stored, else None."""
        try:
            digests, code, data = self._result
            if digests != self._digests or code != _code():
                return None
            kb = frozen.decode(data, self.root, self._lazy)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return None   # not what save() writes: load as usual (and the cache is rewritten)
        # the content hash is the cached one; the stored files are read again if a message needs a line, so
        # that the knowledge base does not keep the whole cache file alive
        self._blobs, self._files_blob, self._result = [], None, None
        return kb

    def _lazy(self, rel: str) -> _LazySource:
        return _LazySource(str(self.root / rel), lambda: self.parse(self.root / rel))

    def parse(self, path: Path) -> Source:
        rel = self._rel(path)
        hit = self._stored().get(rel) if rel is not None else None
        if hit is not None:
            self._verified.add(rel)  # type: ignore[arg-type]
            return Source(str(path), hit[0], hit[1])
        source = parse(path, limit=KB_FILE_LIMIT)
        if rel is not None and rel in self._digests and self._unchanged(path, rel):
            self._verified.add(rel)
            if _plain(source.data):
                self._parsed[rel] = (source.data, source.positions)
        return source

    def _stored(self) -> dict[str, tuple[Any, Any]]:
        """The cached files whose content is unchanged (read on first use: a cached result seldom needs them)."""
        if self._loaded is None:
            files = self._files_blob if self._files_blob is not None else _read(self.path, result=False)[1]
            self._loaded = _files(files, self._digests)
        return self._loaded

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

    def save(self, kb: KnowledgeBase) -> None:
        """Store the parsed files and ``kb`` (loaded from them); a cache that cannot be written is skipped."""
        if self.folder is None:
            return
        entries = {**self._stored(), **self._parsed}
        files = marshal.dumps({rel: (self._digests[rel], data, positions) for rel, (data, positions) in entries.items()})
        result = b""
        # only a result read wholly from the content of the digests: a file saved during the load is not
        # cached under its old digest
        if all(rel in self._verified or self._unchanged(self.root / rel, rel) for rel in self._digests):
            try:
                result = marshal.dumps((self._digests, _code(), frozen.encode(kb)))
            except (frozen.Unencodable, ValueError):
                result = b""
        if not result and not self._parsed:
            return   # nothing new to store
        payload = len(result).to_bytes(8, "big") + result + files
        if write_private(self.path, lambda fh: fh.write(MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)):
            _prune(self.folder)


class _LazySource:
    """A file of a cached knowledge base: its data and lines are read when first asked for (by a message)."""

    def __init__(self, path: str, load: Callable[[], Source]) -> None:
        self.path = path
        self._load = load
        self._source: Source | None = None

    def _get(self) -> Source:
        if self._source is None:
            self._source = self._load()
        return self._source

    @property
    def data(self) -> Any:
        return self._get().data

    @property
    def positions(self) -> dict[Loc, tuple[int, int]]:
        return self._get().positions

    def where(self, loc: Iterable[Any]) -> tuple[int | None, int | None]:
        return self._get().where(loc)

    def problem(self, loc: Iterable[Any], message: str, hint: str | None = None) -> Any:
        return self._get().problem(loc, message, hint)


#: the folders of the code a loaded knowledge base depends on (the package's own modules, not recursively)
_CODE = ("", "models", "kb", "engine", "diagnosis", "planning")


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """What the cached result depends on besides the files: the code that loads it (each module's size and
    time) and pydantic."""
    package = Path(__file__).resolve().parent.parent
    parts = [pydantic.VERSION]
    for folder in _CODE:
        with os.scandir(package / folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{folder}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _read(path: Path, result: bool = True) -> tuple[Any, bytes | memoryview]:
    """The stored result (undecoded, unless ``result`` is false) and the stored files' part; (None, b"") for a
    missing, foreign or damaged cache."""
    fh = open_private(path)
    if fh is None:
        return None, b""
    try:
        with fh:
            if os.fstat(fh.fileno()).st_size > MAX_BYTES:
                return None, b""
            blob = fh.read(MAX_BYTES + 1)
    except OSError:
        return None, b""
    # a view, not copies: a large knowledge base's cache is tens of megabytes, and a hit needs only its result
    first = blob.find(b"\n")
    second = blob.find(b"\n", first + 1)
    if first < 0 or second < 0 or blob[:first + 1] != MAGIC:
        return None, b""
    payload = memoryview(blob)[second + 1:]
    if hashlib.sha256(payload).hexdigest().encode() != blob[first + 1:second] or len(payload) < 8:
        return None, b""
    size = int.from_bytes(payload[:8], "big")
    try:
        stored = marshal.loads(payload[8:8 + size]) if size and result else None
    except (EOFError, ValueError, TypeError):
        stored = None
    return stored, payload[8 + size:]


def _files(blob: bytes | memoryview, digests: dict[str, str]) -> dict[str, tuple[Any, Any]]:
    """The cached files whose content is unchanged."""
    if not blob:
        return {}
    try:
        entries = marshal.loads(blob)
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
