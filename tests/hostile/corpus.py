"""Generate a corpus of hostile input files: small files that would cost gigabytes, or crash a naive reader.

    python -m tests.hostile.corpus OUT_DIR      # write every file, print name and size

Nothing here is committed as data: each file is built on demand (the largest in well under a second).
``run_case`` loads one file the way a command would, in a subprocess whose address space is capped, and
reports the outcome, peak memory and time (tests/hostile/test_corpus.py asserts them, benchmarks/hostile.py
prints them).
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Callable

ASSESSMENT_HEAD = "organisation: {name: x, id: x, government_level: local, sector: default, office_type: centralised}\n"


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _xlsx(sheet: bytes | Callable[[zipfile.ZipFile], None], shared: bytes | None = None) -> bytes:
    """A minimal workbook around one sheet part (given as bytes, or written by a callable for huge parts)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
                    '</Relationships>')
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
        if callable(sheet):
            sheet(zf)
        else:
            zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


SHEET_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def sheet_xml(rows: str, dimension: str = "A1:B2") -> bytes:
    return SHEET_HEAD + f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'.encode()


def _streamed(name: str, head: bytes, chunk: bytes, count: int, tail: bytes) -> Callable[[zipfile.ZipFile], None]:
    def write(zf: zipfile.ZipFile) -> None:
        with zf.open(name, "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(count):
                fh.write(chunk)
            fh.write(tail)
    return write


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'


def cases(header: list[str] | None = None) -> dict[str, tuple[str, bytes]]:
    """name -> (file name, content). The file name's suffix decides the loader; ``header`` (the model's
    spreadsheet columns) makes the full-size sheets valid up to their scores."""
    header = header or ["name", "id"]
    big_flow = "scores: [" + "1," * 400_000 + "1]\n"
    out: dict[str, tuple[str, bytes]] = {
        "billion_laughs": ("laughs.yaml", billion_laughs().encode()),
        "recursive_alias": ("recursive.yaml", b"scores: &a [*a]\n"),
        "deep_nesting": ("deep.yaml", b"scores: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
        "deep_json": ("deep.json", b'{"scores": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001),
        "flow_list_800k": ("flow.yaml", big_flow.encode()),
        "comments_20mb": ("comments.yaml", ASSESSMENT_HEAD.encode() + b"#" * (20 << 20)),
        "long_int": ("int.yaml", ASSESSMENT_HEAD.encode() + b"weights: {a: " + b"9" * 100_000 + b"}\n"),
        "nul_byte": ("nul.yaml", ASSESSMENT_HEAD.encode() + b"assessor: a\x00b\n"),
        "c1_control": ("c1.json", '{"assessor": "a\u009bb"}'.encode()),
        "list_key": ("key.yaml", b"? [a, b]\n: 1\n"),
        "lone_surrogate": ("surrogate.json", b'{"assessor": "\\ud83d"}'),
        "bad_date": ("date.yaml", ASSESSMENT_HEAD.encode() + b"date: 2026-13-45\n"),
        "csv_20mb": ("big.csv", b"name,id\n" + b"x,y\n" * (5 << 20)),
        "csv_huge_field": ("field.csv", b'name,id\n"' + b"x" * 200_000 + b'",y\n'),
        "csv_many_columns": ("wide.csv", b"name" + b",x" * 100_000 + b"\n"),
        "csv_many_rows": ("rows.csv", b"name,id\n" + b"x,y\n" * 100_000),
        "xlsx_huge_dimension": ("dim.xlsx", _xlsx(sheet_xml(HEADER_ROW, "A1:XFD1048576"))),
        "xlsx_huge_row_number": ("row.xlsx", _xlsx(sheet_xml(HEADER_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'))),
        "xlsx_huge_column": ("col.xlsx", _xlsx(sheet_xml(HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>'))),
        "xlsx_zip_bomb_256mb": ("bomb.xlsx", _xlsx(_streamed("xl/worksheets/sheet1.xml", SHEET_HEAD + b"<sheetData>",
                                                             b" " * (1 << 20), 256, b"</sheetData></worksheet>"))),
        "xlsx_ratio_bomb_8mb": ("ratio.xlsx", _xlsx(_streamed("xl/worksheets/sheet1.xml", SHEET_HEAD + b"<sheetData>",
                                                              b" " * (1 << 20), 8, b"</sheetData></worksheet>"))),
        "xlsx_empty_rows": ("empty.xlsx", _xlsx(_streamed("xl/worksheets/sheet1.xml", SHEET_HEAD + b"<sheetData>" + HEADER_ROW.encode(),
                                                          b"".join(b'<row r="%d"/>' % n for n in range(2, 10_002)), 100,
                                                          b"</sheetData></worksheet>"))),
        "xlsx_shared_strings_bomb": ("strings.xlsx", _xlsx(sheet_xml(HEADER_ROW), _shared_bomb())),
        "xlsx_xml_entities": ("entities.xlsx", _xlsx(b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                                                     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + sheet_xml(HEADER_ROW)[21:])),
        # the worst within the limits: what a file just under each limit costs
        "flow_maps_512kb": ("flow_maps.yaml", ("scores: [" + "{a: 1}, " * 65_000 + "]\n").encode()),
        "many_keys_512kb": ("keys.yaml", "".join(f"k{i}: 1\n" for i in range(45_000)).encode()),
        "long_scalar_512kb": ("scalar.yaml", ASSESSMENT_HEAD.encode() + b"assessor: " + b"x" * 500_000 + b"\n"),
        "csv_5000_rows": ("full.csv", _full_csv(header)),
        "xlsx_5000_rows": ("full.xlsx", _xlsx(_full_sheet(header))),
        "xlsx_not_a_zip": ("fake.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    }
    return out


_BODY = ["Body", "b", "local", "default", "centralised", "2026-05-01", "Assessor"]


def _full_row(header: list[str], n: int) -> list[str]:
    """A row of the full layout: a body and a score of 3 in every criterion (evidence columns are not in ``header``)."""
    return [f"{_BODY[i]}{n}" if i < 2 else _BODY[i] if i < len(_BODY) else "3" for i in range(len(header))]


def _full_csv(header: list[str]) -> bytes:
    """5,000 bodies: the most rows a round may have, every one scored."""
    lines = [",".join(header)] + [",".join(_full_row(header, n)) for n in range(5_000)]
    return ("\n".join(lines) + "\n").encode()


def _letters(i: int) -> str:
    return (chr(64 + i // 26) if i >= 26 else "") + chr(65 + i % 26)


def _full_sheet(header: list[str]) -> bytes:
    def row(n: int, values: list[str]) -> str:
        cells = "".join(f'<c r="{_letters(i)}{n}"><v>{v}</v></c>' if v.isdigit() else
                        f'<c r="{_letters(i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
        return f'<row r="{n}">{cells}</row>'
    return sheet_xml(row(1, header) + "".join(row(n, _full_row(header, n)) for n in range(2, 5_002)))


def _shared_bomb() -> bytes:
    body = b"<si><t>x</t></si>" * 1_000_000
    return b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + body + b"</sst>"


def write_all(folder: Path, header: list[str] | None = None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (file, data) in cases(header).items():
        path = folder / f"{name}-{file}"
        path.write_bytes(data)
        paths[name] = path
    return paths


#: the address-space cap of each case's subprocess; the interpreter with the knowledge base loaded takes ~150 MB
MEMORY_CAP = 768 << 20

_CHILD = r"""
import json, pathlib, resource, sys, time
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from advisor import api
from advisor.errors import AdvisorError
from advisor.io import spreadsheet
from advisor.kb import loading
kb = api.load_kb(sys.argv[2]) if sys.argv[2] else api.load_kb()
for arg in sys.argv[3:]:
    path = pathlib.Path(arg)
    t0 = time.perf_counter()
    try:
        if path.suffix in {".csv", ".xlsx"}:
            spreadsheet.read(path, kb)
        else:
            loading.load_assessment(path, kb)
        outcome, message = "accepted", ""
    except AdvisorError as exc:
        outcome, message = "refused", str(exc)[:300]
    print(json.dumps({"file": arg, "outcome": outcome, "message": message, "seconds": round(time.perf_counter() - t0, 3),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}), flush=True)
"""


def run_cases(paths: list[Path], kb_root: Path | None = None, cap: int = MEMORY_CAP, timeout: float = 300) -> list[dict[str, object]]:
    """Load each of ``paths`` in one subprocess whose address space is capped at ``cap`` bytes. ``peak_mb`` is the
    process's peak so far (run one path per call to measure each alone). A crash (MemoryError, a traceback, a
    signal) ends the list with an entry whose outcome is 'crashed'."""
    import subprocess
    args = [sys.executable, "-c", _CHILD, str(cap), str(kb_root or "")] + [str(p) for p in paths]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    results: list[dict[str, object]] = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        results.append({"outcome": "crashed", "message": proc.stderr[-1500:], "returncode": proc.returncode})
    return results


if __name__ == "__main__":
    from advisor import api
    from advisor.io.spreadsheet import columns
    for name, path in write_all(Path(sys.argv[1]), columns(api.load_kb())).items():
        print(f"{path.stat().st_size:>12,}  {name}")
