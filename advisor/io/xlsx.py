"""A bounded reader of an XLSX workbook's first sheet: the cell values Excel saved, and nothing more.

openpyxl reads whatever a file declares: a sheet's dimension, a row number of a million or a zip member
that inflates to gigabytes become as much memory and time. This reader streams the XML with expat, checks
every size before it is read, refuses DTDs (entity expansion) and stops at the first limit passed, so a
hostile workbook costs at most what the limits allow (docs/limits.md).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from xml.parsers import expat

from ..errors import N_, AdvisorError

#: The workbook file, and any one XML part of it once inflated (a round of a few hundred bodies is ~1 MB).
MAX_FILE_BYTES = 16 << 20
MAX_PART_BYTES = 32 << 20
#: XML compresses about 10-30 times; a zip bomb thousands of times.
MAX_RATIO = 200
MAX_SHARED_STRINGS = 500_000
MAX_CELL_CHARS = 32_767   # Excel's own limit for a cell
_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")


@dataclass(frozen=True)
class BadCell:
    """A cell whose saved value cannot be used; the message says why (and what to do)."""

    message: str


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Any]]    # values: str, float, bool, None, or BadCell


class _Stop(Exception):
    pass


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    """'x:row' -> 'row' (namespaces are not processed: transitional and strict files name elements alike)."""
    try:
        return _LOCAL[tag]
    except KeyError:
        return _LOCAL.setdefault(tag, tag.rsplit(":", 1)[-1])


def _refuse(path: Path, message: str, hint: str | None = None) -> AdvisorError:
    return AdvisorError.single(str(path), message, hint=hint or N_("save it again from Excel as .xlsx"))


def _stream(zf: zipfile.ZipFile, name: str, path: Path, start: Callable[..., None], end: Callable[[str], None],
            text: Callable[[str], None]) -> None:
    """Feed one XML part to expat in chunks, with the handlers given; a DTD is refused outright."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise _refuse(path, N_("the workbook has no part {part!r}", part=name)) from None
    if info.file_size > MAX_PART_BYTES:
        raise _refuse(path, N_("{part} inflates to {size} MB, over the limit of {limit} MB", part=name,
                                 size=info.file_size >> 20, limit=MAX_PART_BYTES >> 20),
                      N_("split the round into several workbooks"))
    if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _refuse(path, N_("{part} is compressed {ratio} times (more than {limit}): not a spreadsheet Excel writes",
                                 part=name, ratio=info.file_size // max(info.compress_size, 1), limit=MAX_RATIO))

    def no_dtd(*_: Any) -> None:
        raise _refuse(path, N_("{part} declares a DTD, which a workbook never does", part=name))

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    try:
        with zf.open(info) as fh:  # zipfile stops at the declared size and checks the CRC
            while chunk := fh.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _refuse(path, N_("{part} is not well-formed XML ({reason}, line {line})", part=name,
                                    reason=expat.ErrorString(exc.code), line=exc.lineno)) from None
    # zipfile raises NotImplementedError for a compression method it cannot read, RuntimeError for an encrypted part
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(path, N_("the workbook is damaged: {reason}", reason=str(exc))) from None


def _first_sheet(zf: zipfile.ZipFile, path: Path) -> tuple[str, str]:
    """The first sheet's name and the zip part that holds it (workbook.xml, then its relationships)."""
    sheets: list[tuple[str, str]] = []
    rels: dict[str, str] = {}

    def on_sheet(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            sheets.append((attrs.get("name", "?"), rid))

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            rels[attrs.get("Id", "")] = attrs.get("Target", "")

    _stream(zf, "xl/workbook.xml", path, on_sheet, lambda _: None, lambda _: None)
    _stream(zf, "xl/_rels/workbook.xml.rels", path, on_rel, lambda _: None, lambda _: None)
    if not sheets or sheets[0][1] not in rels:
        raise _refuse(path, N_("the workbook has no sheet"))
    target = rels[sheets[0][1]]
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return sheets[0][0], part


def _shared_strings(zf: zipfile.ZipFile, path: Path) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    strings: list[str] = []
    buf: list[str] = []
    state = {"t": False, "rph": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "si":
            buf.clear()
        elif name == "t":
            state["t"] = True
        elif name == "rPh":   # phonetic guide: not part of the value
            state["rph"] = True

    def end(tag: str) -> None:
        name = _local(tag)
        if name == "t":
            state["t"] = False
        elif name == "rPh":
            state["rph"] = False
        elif name == "si":
            if len(strings) >= MAX_SHARED_STRINGS:
                raise _refuse(path, N_("more than {count:,} distinct texts: not an assessment round",
                                                   count=MAX_SHARED_STRINGS))
            strings.append("".join(buf)[:MAX_CELL_CHARS])

    def text(data: str) -> None:
        if state["t"] and not state["rph"]:
            buf.append(data)

    _stream(zf, "xl/sharedStrings.xml", path, start, end, text)
    return strings


def read_first_sheet(path: Path, max_rows: int, max_columns: int) -> Sheet:
    """The first sheet's values, row by row. A value beyond ``max_rows`` rows or ``max_columns`` columns is
    refused (empty formatted cells beyond them are ignored); so are over-large, bombed or DTD-bearing files."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AdvisorError.single(str(path), N_("cannot read the file: {reason}", reason=exc.strerror or str(exc))) from None
    if size > MAX_FILE_BYTES:
        raise _refuse(path, N_("the workbook is larger than the limit of {limit} MB", limit=MAX_FILE_BYTES >> 20),
                      N_("split the round into several workbooks"))
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, N_("cannot open the workbook: {reason}", reason=str(exc))) from None
    with zf:
        name, part = _first_sheet(zf, path)
        strings = _shared_strings(zf, path)
        return Sheet(name, _cells(zf, part, path, strings, max_rows, max_columns))


def _cells(zf: zipfile.ZipFile, part: str, path: Path, strings: list[str], max_rows: int, max_columns: int) -> list[list[Any]]:
    rows: dict[int, dict[int, Any]] = {}
    cur: dict[str, Any] = {"row": 0, "col": -1, "ref": None, "type": "n", "v": None, "f": False, "is": [], "in": "", "cells": 0}
    max_cells = (max_rows + 1) * max_columns

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "row":
            r = attrs.get("r")
            cur["row"] = int(r) if r and r.isdigit() and len(r) <= 7 else cur["row"] + 1
            cur["col"] = -1
            if cur["row"] > max_rows + 1:   # rows come in order: nothing below can be within the limit
                raise _refuse(path, N_("row {row:,} is beyond the limit of {limit:,} rows (an empty but formatted row counts too)",
                                 row=cur["row"], limit=max_rows), N_("delete the rows below the data, or split the round"))
        elif name == "c":
            cur["cells"] += 1
            if cur["cells"] > max_cells:
                raise _refuse(path, N_("more than {count:,} cells (empty but formatted ones too)", count=max_cells),
                              N_("delete the rows and columns beyond the data"))
            cur.update(type=attrs.get("t", "n"), v=None, f=False, ref=attrs.get("r"))
            cur["is"] = []
        elif name in {"v", "f", "t"}:
            cur["in"] = name
            if name == "f":
                cur["f"] = True
            if name == "v":
                cur["v"] = ""

    def text(data: str) -> None:
        if cur["in"] == "v":
            cur["v"] += data
        elif cur["in"] == "t":
            cur["is"].append(data)

    def end(tag: str) -> None:
        name = _local(tag)
        if name in {"v", "f", "t"}:
            cur["in"] = ""
        elif name == "c":
            row, col, bad_ref = cur["row"], cur["col"] + 1, None
            ref = cur["ref"]
            if ref is not None:
                m = _REF.match(ref)
                if m is None:
                    bad_ref = ref
                else:
                    col, row = _column(m.group(1)), int(m.group(2))
            cur["col"] = col
            value = BadCell(N_("a malformed cell reference {ref!r}", ref=ref[:20])) if bad_ref is not None else _value(cur, strings)
            if value is None:
                return
            if row > max_rows + 1:
                raise _refuse(path, N_("a value in row {row:,}: more than {limit:,} rows", row=row, limit=max_rows),
                              N_("one row per body; split the round into several workbooks"))
            if col >= max_columns:
                raise _refuse(path, N_("a value in column {column:,}: more than {limit} columns", column=col + 1, limit=max_columns),
                              N_("the layout has one column per criterion; see `advisor template --format xlsx`"))
            rows.setdefault(row, {})[col] = value

    _stream(zf, part, path, start, end, text)
    if not rows:
        return []
    width = max(max(r) for r in rows.values()) + 1
    return [[rows.get(n, {}).get(c) for c in range(width)] for n in range(1, max(rows) + 1)]


def _value(cur: dict[str, Any], strings: list[str]) -> Any:
    """A cell's saved value by its type; None for an empty cell."""
    kind, v = cur["type"], cur["v"]
    if kind == "inlineStr":
        return "".join(cur["is"])[:MAX_CELL_CHARS] or None
    if v is None:
        return BadCell(N_("a formula without a saved value; open and save it in Excel")) if cur["f"] else None
    if kind == "s":
        return strings[int(v)] if v.isdigit() and int(v) < len(strings) else BadCell(N_("a text cell pointing at no text"))
    if kind in {"str", "d"}:
        return v[:MAX_CELL_CHARS]
    if kind == "b":
        return v.strip() in {"1", "true"}
    if kind == "e":
        return BadCell(N_("the Excel error {error}; correct the formula", error=v[:20]))
    try:
        number = float(v)
    except ValueError:
        return BadCell(N_("a number cell holding {value!r}", value=v[:20]))
    return number if number == number and abs(number) != float("inf") else BadCell(N_("a number cell holding {value!r}", value=v[:20]))
