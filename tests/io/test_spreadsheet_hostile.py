"""Spreadsheets as users and attackers really bring them: damaged cells, formulas, Russian Excel's CSV, bombs."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from advisor import api
from advisor.errors import AdvisorError
from advisor.io import spreadsheet
from advisor.io.xlsx import MAX_PART_BYTES

from ..hostile import corpus
from ..hostile.payloads import FORMULAS
from .test_spreadsheet import GOOD, HEADER, xlsx


@pytest.fixture(scope="module")
def hostile_files() -> dict[str, tuple[str, bytes]]:
    return corpus.cases()


def patched(tmp_path: Path, edit: dict[str, str]) -> Path:
    """The workbook of one good row with cells of sheet1.xml replaced by raw XML (what openpyxl cannot write)."""
    src = xlsx(tmp_path, [GOOD])
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for old, new in edit.items():
        assert old in sheet, old
        sheet = sheet.replace(old, new)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    out = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(out, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return out


def only_problem(path: Path, mini) -> str:
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is None
    [p] = row.problems
    return str(p)


def test_a_formula_without_a_saved_value_is_named_per_cell(tmp_path: Path, mini) -> None:
    path = patched(tmp_path, {'<c r="I2" t="n"><v>3.5</v></c>': '<c r="I2"><f>H2+1.5</f></c>'})
    assert "row 2, column I (strategy.b): a formula without a saved value; open and save it in Excel" in only_problem(path, mini)


def test_a_formula_with_its_saved_value_reads_the_value(tmp_path: Path, mini) -> None:
    path = patched(tmp_path, {'<c r="I2" t="n"><v>3.5</v></c>': '<c r="I2"><f>H2+1.5</f><v>3.5</v></c>'})
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is not None and row.assessment.scores["strategy.b"].score == 3.5


@pytest.mark.parametrize("old, new, message", [
    ('<c r="I2" t="n"><v>3.5</v></c>', '<c r="I2" t="n"><v>abc</v></c>', "column I (strategy.b): a number cell holding 'abc'"),
    ('<c r="I2" t="n"><v>3.5</v></c>', '<c r="2I" t="n"><v>3.5</v></c>', "a malformed cell reference '2I'"),
    ('<c r="I2" t="n"><v>3.5</v></c>', '<c r="I2" t="e"><v>#DIV/0!</v></c>', "the Excel error #DIV/0!"),
    ('<c r="F2" t="inlineStr"><is><t>2026-03-01</t></is></c>', '<c r="F2"><v>99999999</v></c>', "is not a date Excel can show"),
])
def test_damaged_cells_are_named_not_raised(tmp_path: Path, mini, old: str, new: str, message: str) -> None:
    assert message in only_problem(patched(tmp_path, {old: new}), mini)


def test_a_date_cell_is_read_as_the_date(tmp_path: Path, mini) -> None:
    path = patched(tmp_path, {'<c r="F2" t="inlineStr"><is><t>2026-03-01</t></is></c>': '<c r="F2" s="0"><v>46082</v></c>'})
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is not None and str(row.assessment.date) == "2026-03-01"


def test_openpyxl_dates_still_read(tmp_path: Path, mini) -> None:
    import datetime as dt
    good = list(GOOD)
    good[5] = dt.datetime(2026, 3, 1)
    [row] = spreadsheet.read(xlsx(tmp_path, [good]), mini)
    assert row.assessment is not None and str(row.assessment.date) == "2026-03-01"


def test_russian_excel_csv_semicolons_and_cp1251(tmp_path: Path, mini) -> None:
    path = tmp_path / "round.csv"
    cells = [str(c).replace(".", ",") if isinstance(c, float) else str(c) for c in GOOD]
    cells[0] = "Министерство здравоохранения, Республика"
    path.write_bytes((";".join(HEADER) + "\r\n" + ";".join(cells) + "\r\n").encode("cp1251"))
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is not None and row.assessment.organisation.name == cells[0]
    assert "read as Windows-1251, separator ';'" in row.label


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"")])
def test_csv_encodings_by_bom(tmp_path: Path, mini, encoding: str, bom: bytes) -> None:
    path = tmp_path / "round.csv"
    path.write_bytes(bom + (",".join(HEADER) + "\n" + ",".join(map(str, GOOD)) + "\n").encode(encoding))
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is not None and row.assessment.organisation.name == "Орган 1"


def test_csv_encoding_can_be_given(tmp_path: Path, mini) -> None:
    path = tmp_path / "round.csv"
    path.write_bytes((",".join(HEADER) + "\n" + ",".join(map(str, GOOD)) + "\n").encode("cp1251"))
    [row] = spreadsheet.read(path, mini, encoding="cp1251")
    assert row.assessment is not None and "Windows" not in row.label and "cp1251" in row.label
    with pytest.raises(AdvisorError, match="not utf-8 text"):
        spreadsheet.read(path, mini, encoding="utf-8")


def test_a_csv_cell_over_the_field_limit_is_a_message(tmp_path: Path, mini) -> None:
    path = tmp_path / "round.csv"
    path.write_text(",".join(HEADER) + '\n"' + "x" * 200_000 + '",o1\n', encoding="utf-8")
    with pytest.raises(AdvisorError, match="a cell longer than 131,072 characters"):
        spreadsheet.read(path, mini)


@pytest.mark.parametrize("name, message", [
    ("xlsx_huge_dimension", "missing columns"),            # the declared A1:XFD1048576 is not believed
    ("xlsx_huge_row_number", "row 1,048,576 is beyond the limit of 5,000 rows"),
    ("xlsx_huge_column", "a value in column 16,384"),
    ("xlsx_zip_bomb_256mb", f"inflates to 256 MB, over the limit of {MAX_PART_BYTES >> 20} MB"),
    ("xlsx_ratio_bomb_8mb", "compressed 1012 times"),
    ("xlsx_empty_rows", "row 5,002 is beyond the limit"),
    ("xlsx_shared_strings_bomb", "sharedStrings.xml is compressed"),
    ("xlsx_xml_entities", "declares a DTD"),
    ("xlsx_not_a_zip", "cannot open the workbook"),
    ("csv_many_rows", "more than 5,000 rows"),
    ("csv_many_columns", "more than {width} columns"),
])
def test_spreadsheet_bombs_are_refused_in_process(tmp_path: Path, mini, hostile_files, name: str, message: str) -> None:
    message = message.format(width=spreadsheet.max_columns(mini))
    file, data = hostile_files[name]
    path = tmp_path / file
    path.write_bytes(data)
    with pytest.raises(AdvisorError) as exc:
        spreadsheet.read(path, mini)
    assert message in str(exc.value)


def test_the_csv_template_cells_are_neutral(mini) -> None:
    text = api.spreadsheet_template(mini, "en", "csv").decode()
    assert all(not c.startswith(tuple("=+-@\t\r")) for row in csv.reader(io.StringIO(text)) for c in row)


def test_formula_payloads_are_neutralised_in_csv_cells() -> None:
    from advisor.reports.neutral import cell
    assert all(cell(f).startswith("'") for f in FORMULAS)
    assert cell("Ministry") == "Ministry" and cell(3.5) == 3.5
