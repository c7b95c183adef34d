"""Assessments from spreadsheets (CSV, XLSX): one row per body, one column per criterion.

Columns: ``name, id, government_level, sector, office_type, date, assessor``, then one column per
criterion id (a score 1-5, ``n/a``, or empty for missing), and optionally ``<criterion id>.evidence``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AdvisorError, Problem, did_you_mean
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase

ORG_COLUMNS = ["name", "id", "government_level", "sector", "office_type", "date", "assessor"]


def columns(kb: KnowledgeBase) -> list[str]:
    return ORG_COLUMNS + criterion_ids(kb)


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


def read(path: Path, kb: KnowledgeBase) -> list[Row]:
    """Every row of the first sheet (XLSX) or of the file (CSV), each validated on its own."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise AdvisorError.single(str(path), f"cannot read the file: {exc}", hint="save it as UTF-8 CSV") from None
        sample = text[:2048]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        sheet = None
    elif suffix in {".xlsx", ".xlsm"}:
        import openpyxl
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise AdvisorError.single(str(path), f"cannot open the workbook: {exc}", hint="save it again as .xlsx") from None
        ws = book.worksheets[0]
        sheet = ws.title
        table = [list(r) for r in ws.iter_rows(values_only=True)]
        book.close()
    else:
        raise AdvisorError.single(str(path), "unsupported spreadsheet", hint="use .csv or .xlsx")
    return _rows(path, sheet, table, kb)


def _rows(path: Path, sheet: str | None, table: list[list[Any]], kb: KnowledgeBase) -> list[Row]:
    where = f"{path}" + (f", sheet {sheet!r}" if sheet else "")
    if not table:
        raise AdvisorError.single(where, "the sheet is empty", hint="run `advisor template --format xlsx` for the layout")
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    known = set(columns(kb)) | {f"{c}.evidence" for c in kb.criteria}
    problems = [Problem(where, f"unknown column {h!r}", line=1, field=f"column {_letter(i)}",
                        hint=did_you_mean(h, known) or "see `advisor template --format csv`")
                for i, h in enumerate(header) if h and h not in known]
    missing = [c for c in ORG_COLUMNS if c not in header]
    if missing:
        problems.append(Problem(where, f"missing columns: {', '.join(missing)}", line=1,
                                hint="the first row must name the columns"))
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
    label = f"{where}, row {n}"
    col = {h: _letter(i) for i, h in enumerate(header) if h}

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
            "date": date.date().isoformat() if isinstance(date, dt.datetime) else text(date),
            "assessor": text(cells.get("assessor")), "scores": scores}
    positions: dict[tuple[Any, ...], tuple[int, int]] = {
        ("organisation", k): (n, header.index(k) + 1) for k in ("name", "id", "government_level", "sector", "office_type")}
    positions.update({(k,): (n, header.index(k) + 1) for k in ("date", "assessor")})
    positions.update({("scores", c): (n, header.index(c) + 1) for c in kb.criteria if c in header})
    source = Source(where, data, positions)
    try:
        assessment = validate(source, Assessment)
        return Row(label, check_assessment(assessment, kb, source), [])
    except AdvisorError as err:
        return Row(label, None, [_cell(p, n, col) for p in err.problems])


def _cell(p: Problem, n: int, col: dict[str, str]) -> Problem:
    """Name the row and spreadsheet column of a problem: 'row 3, column H (strategy.alignment)'."""
    field = p.field or ""
    key = field.removeprefix("organisation.").removeprefix("scores.")
    key = next((k for k in col if key == k or key.startswith(k + ".")), key)
    where = f"row {n}, column {col[key]} ({key})" if key in col else f"row {n}" + (f", {field}" if field else "")
    return Problem(p.file, p.message, field=where, hint=p.hint)


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
        csv.writer(text, lineterminator="\n").writerow(header)
        return text.getvalue().encode("utf-8")
    import openpyxl
    from openpyxl.styles import Alignment, Font
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Assessments"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    info = book.create_sheet("Descriptors")
    for row in notes:
        info.append(row)
    for cell in info[1]:
        cell.font = Font(bold=True)
    for row in info.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    book.save(buf)
    return _deterministic_xlsx(buf.getvalue())


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
