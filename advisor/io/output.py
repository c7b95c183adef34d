"""Writing output files so that a failed run never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import AdvisorError


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (atomic on POSIX)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise AdvisorError.single(str(target), f"folder {str(folder)!r} does not exist", hint="create it first or choose another -o path")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AdvisorError.single(str(target), f"cannot write here: {exc.strerror}", hint="choose a writable folder") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise AdvisorError.single(str(target), f"cannot write the file: {exc.strerror}", hint="check the path and permissions") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
