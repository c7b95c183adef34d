"""A candidate knowledge base uploaded as a zip: unpacked with bounds on everything an archive can inflate
(members, bytes per member and in all, names), then loaded by the same loaders as a folder on disk.

Only the files a knowledge base is made of are taken (``knowledge_base/**.yaml``, ``rules/*.yaml``, optionally
inside one top folder); links, absolute names and ``..`` are refused, never followed."""

from __future__ import annotations

import secrets
import stat
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath

from ...errors import N_, AdvisorError

MAX_MEMBERS = 500
#: the loaders' own limit for one knowledge-base file (advisor/kb/sourcefile.py KB_FILE_LIMIT)
MAX_MEMBER_BYTES = 2 << 20
MAX_TOTAL_BYTES = 16 << 20
HINT = N_("upload a .zip of a folder with knowledge_base/ and rules/")


def _kb_path(name: str) -> PurePosixPath | None:
    """The member's path inside the knowledge base, or None for a file that is not part of one."""
    parts = PurePosixPath(name).parts
    if parts and parts[0] not in ("knowledge_base", "rules"):
        parts = parts[1:]   # one wrapping folder, as "Compress folder" makes
    if len(parts) < 2 or not name.endswith(".yaml"):
        return None
    if parts[0] == "knowledge_base" or (parts[0] == "rules" and len(parts) == 2):
        return PurePosixPath(*parts)
    return None


def unpack(name: str, content: bytes, into: Path) -> Path:
    """Unpack into a new folder under ``into``; its path. AdvisorError (and nothing written) when refused."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise AdvisorError.single(name, N_("not a zip archive"), hint=HINT) from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise AdvisorError.single(name, N_("more than {n} files in the archive", n=MAX_MEMBERS))
    files: dict[PurePosixPath, bytes] = {}
    total = 0
    for m in members:
        if m.is_dir():
            continue
        if m.filename.startswith("/") or "\\" in m.filename or ".." in PurePosixPath(m.filename).parts \
                or stat.S_ISLNK(m.external_attr >> 16):
            raise AdvisorError.single(name, N_("unsafe file name in the archive: {file!r}", file=m.filename))
        target = _kb_path(m.filename)
        if target is None:
            continue
        with archive.open(m) as fh:   # read with a limit: the sizes in the archive's header can lie
            data = fh.read(MAX_MEMBER_BYTES + 1)
        total += len(data)
        if len(data) > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise AdvisorError.single(name, N_("the archive unpacks to more than {mb} MB", mb=MAX_TOTAL_BYTES >> 20)
                                      if total > MAX_TOTAL_BYTES else N_("{file!r} is larger than {mb} MB",
                                                                         file=m.filename, mb=MAX_MEMBER_BYTES >> 20))
        files[target] = data
    if not any(p.parts[0] == "knowledge_base" for p in files) or not any(p.parts[0] == "rules" for p in files):
        raise AdvisorError.single(name, N_("not a knowledge base folder"), hint=HINT)
    root = into / secrets.token_hex(8)
    for path, data in files.items():
        dest = root.joinpath(*path.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return root
