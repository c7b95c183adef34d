"""Assessments from spreadsheets (CSV, XLSX): one row per body, one column per criterion.

Columns: ``name, id, government_level, sector, office_type, date, assessor``, then one column per
criterion id (a score 1-5, ``n/a``, or empty for missing), and optionally ``<criterion id>.evidence``; then,
optionally, the project office's staffing: ``staffing.posts``, ``staffing.filled``, ``staffing.additional_duties``
(all three empty: not reported).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import N_, AdvisorError, Problem, did_you_mean
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from ..reports import neutral
from .xlsx import BadCell

ORG_COLUMNS = ["name", "id", "government_level", "sector", "office_type", "date", "assessor"]
#: the assessment's optional ``staffing:`` section, one column per field (docs/assessment.md)
STAFFING_FIELDS = ("posts", "filled", "additional_duties")
STAFFING_COLUMNS = [f"staffing.{f}" for f in STAFFING_FIELDS]
#: what a spreadsheet may write for additional_duties (a checkbox cell is already a bool)
_YES_NO = {"true": True, "yes": True, "1": True, "да": True, "иә": True,
           "false": False, "no": False, "0": False, "нет": False, "жоқ": False}


def columns(kb: KnowledgeBase) -> list[str]:
    return ORG_COLUMNS + criterion_ids(kb) + STAFFING_COLUMNS


def criterion_ids(kb: KnowledgeBase) -> list[str]:
    """Criteria in the model's order: dimension by dimension."""
    return [c.id for d in kb.dimensions for c in kb.criteria_of(d)]


@dataclass(frozen=True)
class Row:
    """One body's row: where it came from, and its assessment or the problems that stop it."""

    label: str                      # "file.xlsx, sheet 'Assessments', row 3"
    assessment: Assessment | None
    problems: list[Problem]


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


#: A round is a few hundred bodies; a CSV of that is well under a megabyte (docs/limits.md).
MAX_ROWS = 5_000
MAX_CSV_BYTES = 8 << 20
#: Encodings tried in order when a CSV has no byte-order mark: Russian and Kazakh Excel save "CSV" as Windows-1251.
ENCODINGS = ("utf-8", "cp1251")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1251": "Windows-1251"}


def max_columns(kb: KnowledgeBase) -> int:
    """Every known column (each criterion with its evidence) and a margin for notes."""
    return len(columns(kb)) + len(kb.criteria) + 20


def read(path: Path, kb: KnowledgeBase, encoding: str | None = None) -> list[Row]:
    """Every row of the first sheet (XLSX) or of the file (CSV), each validated on its own. A CSV's encoding
    (byte-order mark, UTF-8, else Windows-1251) and separator are detected unless ``encoding`` is given."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, used = _decode(path, encoding)
        table, delimiter = _csv_table(path, text, max_columns(kb))
        if used != "UTF-8" or delimiter != ",":
            shown = {"\t": "tab"}.get(delimiter, repr(delimiter))
            return _rows(Path(f"{path} (read as {used}, separator {shown})"), None, table, kb)
        return _rows(path, None, table, kb)
    if suffix in {".xlsx", ".xlsm"}:
        from .xlsx import read_first_sheet
        sheet = read_first_sheet(path, MAX_ROWS, max_columns(kb))
        return _rows(path, sheet.name, sheet.rows, kb)
    raise AdvisorError.single(str(path), N_("unsupported spreadsheet"), hint=N_("use .csv or .xlsx"))


def _decode(path: Path, encoding: str | None) -> tuple[str, str]:
    """The CSV's text and the name of the encoding it was read with."""
    from ..kb.sourcefile import read_bytes
    data = read_bytes(path, MAX_CSV_BYTES)
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise AdvisorError.single("--encoding", N_("unknown encoding {encoding!r}", encoding=encoding),
                                      hint=N_("e.g. utf-8 or cp1251")) from None
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise AdvisorError.single(str(path), N_("not {encoding} text (byte 0x{byte:02x})", encoding=encoding, byte=data[exc.start]),
                                      line=line, hint=N_("check the encoding")) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), _NAMES[name]
            except UnicodeDecodeError:
                raise AdvisorError.single(str(path), N_("not {encoding} text although it starts like it", encoding=_NAMES[name]),
                                          hint=N_("save it again as CSV UTF-8")) from None
    for name in ENCODINGS:
        try:
            return data.decode(name), _NAMES[name]
        except UnicodeDecodeError:
            continue
    raise AdvisorError.single(str(path), N_("neither UTF-8 nor Windows-1251 text"),
                              hint=N_("save it as CSV UTF-8"))


def _csv_table(path: Path, text: str, width: int) -> tuple[list[list[str]], str]:
    """Rows of the CSV, the separator read from the header line (it names columns, so it holds no other
    separator); rows and columns bounded by the model's size."""
    header = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=lambda d: (header.count(d), d == ","))
    table: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(table) > MAX_ROWS:
                raise AdvisorError.single(str(path), N_("more than {count:,} rows", count=MAX_ROWS), line=reader.line_num,
                                          hint=N_("one row per body; split the round into several files"))
            if len(row) > width and any(c.strip() for c in row[width:]):
                raise AdvisorError.single(str(path), N_("more than {count} columns", count=width), line=reader.line_num,
                                          hint=N_("the layout has one column per criterion; see `advisor template --format csv`"))
            table.append(row[:width])
    except csv.Error as exc:
        message: str = str(exc)
        if "field larger than field limit" in message:
            message = N_("a cell longer than {count:,} characters", count=csv.field_size_limit())
        raise AdvisorError.single(str(path), message, line=reader.line_num,
                                  hint=N_("check the quotes: a cell that opens a quote must close it")) from None
    return table, delimiter


def _rows(path: Path, sheet: str | None, table: list[list[Any]], kb: KnowledgeBase) -> list[Row]:
    where = f"{path}" + (f", sheet {sheet!r}" if sheet else "")
    if not table:
        raise AdvisorError.single(where, N_("the sheet is empty"),
                                  hint=N_("run `advisor template --format xlsx` for the layout"))
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    known = set(columns(kb)) | {f"{c}.evidence" for c in kb.criteria}
    problems = [Problem(where, N_("unknown column {name!r}", name=h), line=1, field=N_("column {column}", column=_letter(i)),
                        hint=did_you_mean(h, known) or N_("see `advisor template --format csv`"))
                for i, h in enumerate(header) if h and h not in known]
    missing = [c for c in ORG_COLUMNS if c not in header]
    if missing:
        problems.append(Problem(where, N_("missing columns: {columns}", columns=", ".join(missing)), line=1,
                                hint=N_("the first row must name the columns")))
    if problems:
        raise AdvisorError(problems)
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        cells = {h: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        rows.append(_row(where, n, header, cells, kb))
    return rows


def _row(where: str, n: int, header: list[str], cells: dict[str, Any], kb: KnowledgeBase) -> Row:
    from ..kb.loading import check_assessment
    from ..kb.sourcefile import Source, validate
    label = N_("{sheet}, row {row}", sheet=where, row=n)
    col = {h: _letter(i) for i, h in enumerate(header) if h}
    bad = [Problem(where, v.message, field=_field(n, col[h], h)) for h, v in cells.items() if isinstance(v, BadCell)]
    if isinstance(cells.get("date"), float):
        cells["date"] = _serial_date(cells["date"])
        if isinstance(cells["date"], BadCell):
            bad.append(Problem(where, cells["date"].message, field=_field(n, col["date"], "date")))
    if bad:
        return Row(label, None, bad)

    def text(v: Any) -> str | None:
        if v is None or str(v).strip() == "":
            return None
        return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else str(v).strip()

    scores: dict[str, Any] = {}
    for cid in kb.criteria:
        v = cells.get(cid)
        evidence = text(cells.get(f"{cid}.evidence"))
        if isinstance(v, str):
            v = v.strip().replace(",", ".")
            try:
                v = float(v) if v and v.lower() not in {"n/a", "na"} else (v or None)
            except ValueError:
                pass
        if v is None and evidence is None:
            continue
        if v is None or (isinstance(v, str) and v.lower() in {"n/a", "na"}):
            scores[cid] = {"not_applicable": v is not None, "evidence": evidence}
        else:
            scores[cid] = {"score": v, "evidence": evidence}
    date = cells.get("date")
    data = {"organisation": {k: text(cells.get(k)) for k in ("name", "id", "government_level", "sector", "office_type")},
            "date": date.isoformat()[:10] if isinstance(date, dt.date) else text(date),
            "assessor": text(cells.get("assessor")), "scores": scores}
    staffing = {f: _staffing_value(f, cells.get(f"staffing.{f}")) for f in STAFFING_FIELDS}
    if any(v is not None for v in staffing.values()):
        data["staffing"] = {f: v for f, v in staffing.items() if v is not None}
    positions: dict[tuple[Any, ...], tuple[int, int]] = {
        ("organisation", k): (n, header.index(k) + 1) for k in ("name", "id", "government_level", "sector", "office_type")}
    positions.update({(k,): (n, header.index(k) + 1) for k in ("date", "assessor")})
    positions.update({("scores", c): (n, header.index(c) + 1) for c in kb.criteria if c in header})
    positions.update({tuple(c.split(".")): (n, header.index(c) + 1) for c in STAFFING_COLUMNS if c in header})
    source = Source(where, data, positions)
    try:
        assessment = validate(source, Assessment)
        return Row(label, check_assessment(assessment, kb, source), [])
    except AdvisorError as err:
        return Row(label, None, [_cell(p, n, col) for p in err.problems])


def _staffing_value(field: str, v: Any) -> Any:
    """A staffing cell as the assessment's YAML would have it: a number of posts (Excel stores 3 as 3.0, a CSV
    as "3" or, in Russian Excel, "2,5"), or a yes/no; anything else is passed on for the model to name."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if field == "additional_duties":
        return _YES_NO.get(v.strip().lower(), v) if isinstance(v, str) else v
    if isinstance(v, str):
        try:
            v = float(v.strip().replace(",", "."))
        except ValueError:
            return v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _serial_date(serial: float) -> dt.date | BadCell:
    """Excel stores a date as days since 1899-12-30 (its 1900 leap-year bug included)."""
    if not 1 <= serial < 2_958_466:   # 1900-01-01 .. 9999-12-31
        return BadCell(N_("{serial:g} is not a date Excel can show", serial=serial))
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))


def _cell(p: Problem, n: int, col: dict[str, str]) -> Problem:
    """Name the row and spreadsheet column of a problem: 'row 3, column H (strategy.alignment)'."""
    field = p.field or ""
    key = field.removeprefix("organisation.").removeprefix("scores.")
    key = next((k for k in col if key == k or key.startswith(k + ".")), key)
    if key in col:
        where = _field(n, col[key], key)
    else:
        where = N_("row {row}, {field}", row=n, field=field) if field else N_("row {row}", row=n)
    return Problem(p.file, p.message, field=where, hint=p.hint)


def _field(n: int, column: str, key: str) -> str:
    return N_("row {row}, column {column} ({key})", row=n, column=column, key=key)


def template_rows(kb: KnowledgeBase, lang: str) -> tuple[list[str], list[list[str]]]:
    """The header row, and the descriptor sheet's rows (criterion, name, 1..5, methods)."""
    notes = [["criterion", "name", "1", "2", "3", "4", "5", "methods"]]
    for c in (kb.criteria[i] for i in criterion_ids(kb)):
        notes.append([c.id, c.name.get(lang)] + [c.levels[n].get(lang) for n in range(1, 6)]  # type: ignore[arg-type]
                     + [", ".join(c.methods)])
    return columns(kb), notes


def write_template(kb: KnowledgeBase, lang: str, fmt: str) -> bytes:
    header, notes = template_rows(kb, lang)
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow([neutral.cell(h) for h in header])
        return text.getvalue().encode("utf-8")
    import openpyxl
    from openpyxl.styles import Alignment, Font
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Assessments"
    _append(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    info = book.create_sheet("Descriptors")
    for row in notes:
        _append(info, row)
    for cell in info[1]:
        cell.font = Font(bold=True)
    for row in info.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    book.save(buf)
    return _deterministic_xlsx(buf.getvalue())


def _append(ws: Any, row: list[Any]) -> None:
    """Append a row of text that is never a formula: openpyxl would store '=...' as one (and fail on a
    malformed one), so such cells are written as strings with Excel's quote prefix; XML-illegal controls go."""
    ws.append([neutral.sheet_text(v) for v in row])
    for c, value in zip(ws[ws.max_row], row):
        if neutral.formula_like(value):
            c.value = neutral.sheet_text(value)
            c.data_type = "s"
            c.quotePrefix = True


def _deterministic_xlsx(data: bytes) -> bytes:
    """openpyxl stamps the creation time into docProps/core.xml; fix it so the same input gives the same bytes."""
    import re
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", body)
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, body)
    return out.getvalue()
