"""Writing output so that a failed run never leaves half a file, and never destroys what a user gave us.

A regular file (or a link to one) is replaced atomically: temporary file beside the target, then
rename, keeping the target's permissions (a new file gets the umask's). Anything else that exists
(``/dev/stdout``, a FIFO, a terminal) is written through: renaming over it would replace a device
with a regular file.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from ..errors import N_, AdvisorError

#: ``-o -`` (and an input of ``-``) mean standard output (input)
STDIO = "-"


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` (``-``: standard output); see the module text for how."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    name = str(path)
    if name == STDIO:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    try:
        st: os.stat_result | None = os.stat(path)   # follows links: the mode of what we will write
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise AdvisorError.single(name, N_("cannot write here: {reason}", reason=exc.strerror or str(exc)),
                                  hint=N_("choose another -o path")) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise AdvisorError.single(name, N_("is a folder, expected a file name"), hint=N_("name a file inside it"))
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(name, payload)
        return
    if st is not None and not os.access(path, os.W_OK):
        raise AdvisorError.single(name, N_("the file is read-only"),
                                  hint=N_("make it writable first, or choose another -o file"))
    target = Path(os.path.realpath(path))   # a link is kept and its target written
    folder = target.parent
    if not folder.is_dir():
        raise AdvisorError.single(name, N_("folder {folder!r} does not exist", folder=str(Path(name).parent)),
                                  hint=N_("create it first or choose another -o path"))
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AdvisorError.single(name, N_("cannot write here: {reason}", reason=exc.strerror or str(exc)),
                                  hint=N_("choose a writable folder")) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise AdvisorError.single(name, N_("cannot write the file: {reason}", reason=exc.strerror or str(exc)),
                                  hint=N_("check the path, the free space and the permissions")) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_through(name: str, payload: bytes) -> None:
    try:
        with open(name, "wb") as fh:
            fh.write(payload)
    except OSError as exc:
        raise AdvisorError.single(name, N_("cannot write the file: {reason}", reason=exc.strerror or str(exc)),
                                  hint=N_("check the path, the free space and the permissions")) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def ensure_folder(path: Path | str) -> Path:
    """Create an output folder (and its parents); a folder we cannot create is bad input, not a crash."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AdvisorError.single(str(folder), N_("exists and is not a folder"),
                                  hint=N_("choose another -o folder")) from None
    except OSError as exc:
        raise AdvisorError.single(str(folder), N_("cannot create this folder: {reason}", reason=exc.strerror or str(exc)),
                                  hint=N_("choose a writable folder")) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AdvisorError.single(str(folder), N_("cannot write in this folder: permission denied"),
                                  hint=N_("choose a writable folder"))
    return folder


def refuse_inputs(output: Path | str, inputs: Iterable[Path | str], kb_roots: Iterable[Path | str] = ()) -> None:
    """Refuse to write ``output`` over a file this run reads (the same file, also through a symbolic or
    hard link) or into a knowledge base in use."""
    if str(output) == STDIO:
        return
    if os.path.exists(output):
        for given in inputs:
            if str(given) != STDIO and os.path.isfile(given) and os.path.samefile(output, given):
                raise AdvisorError.single(str(output), N_("is an input of this command ({input}); writing it would "
                                                          "destroy it", input=str(given)),
                                          hint=N_("choose another -o file, e.g. report.html"))
    real = Path(os.path.realpath(output))
    for root in kb_roots:
        base = Path(os.path.realpath(root))
        if any(real.is_relative_to(base / part) for part in ("knowledge_base", "rules")):
            raise AdvisorError.single(str(output), N_("is inside the knowledge base in use ({root})", root=str(root)),
                                      hint=N_("choose an -o file outside its knowledge_base/ and rules/ folders"))
