"""One body's input from whatever a user has: YAML or JSON, a one-row CSV or XLSX, or standard input (``-``)."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from ..errors import N_, AdvisorError, Problem
from ..kb import loading
from ..kb.encoding import decode
from ..models.assessment import Assessment, Progress
from ..models.knowledge import KnowledgeBase
from .output import STDIO

SPREADSHEETS = {".csv", ".xlsx", ".xlsm"}
STDIN_NAME = "<stdin>"
_XLSX_MAGIC = b"PK\x03\x04"
_read_from: list[IO[Any]] = []   # the standard input already read in this run (it can be read once)


def load_assessment(path: Path | str, kb: KnowledgeBase) -> Assessment:
    """An assessment from a file (YAML, JSON, or a spreadsheet with exactly one body) or from ``-``."""
    if str(path) == STDIO:
        return _assessment_from_stdin(kb)
    if Path(path).suffix.lower() in SPREADSHEETS:
        return one_body(Path(path), kb)
    return loading.load_assessment(path, kb)


def load_progress(path: Path | str, kb: KnowledgeBase) -> Progress:
    if str(path) == STDIO:
        return loading.load_progress(STDIN_NAME, kb, _text(STDIN_NAME, _stdin_bytes()))
    return loading.load_progress(path, kb)


def one_body(path: Path, kb: KnowledgeBase, name: str | None = None) -> Assessment:
    """The single body of a spreadsheet; none or several are refused with what to do instead."""
    shown = name or str(path)
    if not path.exists():
        raise AdvisorError.single(shown, N_("file not found"), hint=N_("check the path"))
    if not path.is_file():
        raise AdvisorError.single(shown, N_("not a regular file"), hint=N_("give the spreadsheet file itself"))
    from . import spreadsheet  # openpyxl and the CSV reader only when a spreadsheet is given
    try:
        rows = spreadsheet.read(path, kb)
    except AdvisorError as exc:
        raise AdvisorError([_rename(p, str(path), shown) for p in exc.problems]) from None
    if not rows:
        raise AdvisorError.single(shown, N_("no bodies: the spreadsheet has its header row but no filled-in row"),
                                  hint=N_("fill in one row per body below the header"))
    if len(rows) > 1:
        raise AdvisorError.single(shown, N_("{count} bodies in this spreadsheet; this command takes one", count=len(rows)),
                                  hint=N_("use `advisor batch {file} -o FOLDER` for a report per body, or keep one row",
                                          file=shown))
    if rows[0].problems:
        raise AdvisorError([_rename(p, str(path), shown) for p in rows[0].problems])
    assert rows[0].assessment is not None
    return rows[0].assessment


def _rename(p: Problem, old: str, new: str) -> Problem:
    return dataclasses.replace(p, file=p.file.replace(old, new)) if old != new else p


def _stdin_bytes() -> bytes:
    stream = sys.stdin
    if any(s is stream for s in _read_from):
        raise AdvisorError.single(STDIN_NAME, N_("standard input can be read only once"),
                                  hint=N_("give - for one input only, and files for the others"))
    _read_from.append(stream)
    return stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")


def _text(name: str, data: bytes) -> str:
    return decode(name, data)


def _assessment_from_stdin(kb: KnowledgeBase) -> Assessment:
    data = _stdin_bytes()
    if data.startswith(_XLSX_MAGIC):
        return _via_file(data, ".xlsx", kb)
    text = _text(STDIN_NAME, data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if ":" not in first and any(sep in first for sep in ",;") and "id" in first.replace(";", ",").split(","):
        return _via_file(data, ".csv", kb)
    return loading.load_assessment(STDIN_NAME, kb, text)


def _via_file(data: bytes, suffix: str, kb: KnowledgeBase) -> Assessment:
    """The spreadsheet reader reads files: give it standard input as one, and name it <stdin> in messages."""
    with tempfile.TemporaryDirectory(prefix="advisor-stdin-") as folder:
        path = Path(folder) / f"stdin{suffix}"
        path.write_bytes(data)
        return one_body(path, kb, STDIN_NAME)
