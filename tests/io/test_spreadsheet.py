"""Spreadsheet import: good and bad sheets, CSV and XLSX; the template round-trips."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from advisor.errors import AdvisorError
from advisor.io import spreadsheet

from ..conftest import MINI, run_cli

HEADER = ["name", "id", "government_level", "sector", "office_type", "date", "assessor",
          "strategy.a", "strategy.b", "organisation.a", "organisation.b", "technology.a", "technology.b",
          "culture.a", "culture.b"]
STAFFING = ["staffing.posts", "staffing.filled", "staffing.additional_duties"]
GOOD = ["Орган 1", "o1", "republican", "health", "centralised", "2026-03-01", "A", 2, 3.5, 3, "n/a", 4, 5, 1.5, 2]


def xlsx(tmp_path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Бағалау"
    ws.append(header)
    for r in rows:
        ws.append(r)
    path = tmp_path / "round.xlsx"
    book.save(path)
    return path


def test_good_xlsx_rows_match_the_yaml_form(tmp_path: Path, mini) -> None:
    [row] = spreadsheet.read(xlsx(tmp_path, [GOOD]), mini)
    a = row.assessment
    assert a is not None and row.problems == []
    assert a.organisation.name == "Орган 1" and str(a.date) == "2026-03-01"
    assert a.scores["strategy.b"].score == 3.5 and a.scores["organisation.b"].not_applicable


def test_csv_with_semicolons_and_decimal_commas(tmp_path: Path, mini) -> None:
    path = tmp_path / "round.csv"
    cells = [str(c).replace(".", ",") if isinstance(c, float) else str(c) for c in GOOD]
    path.write_text(";".join(HEADER) + "\n" + ";".join(cells) + "\n", encoding="utf-8")
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is not None and row.assessment.scores["culture.a"].score == 1.5


def test_bad_cells_name_sheet_row_and_column(tmp_path: Path, mini) -> None:
    bad = list(GOOD)
    bad[1] = "o2"
    bad[8] = "three"       # strategy.b, column I
    bad[13] = 7            # culture.a, column N
    rows = spreadsheet.read(xlsx(tmp_path, [GOOD, bad]), mini)
    assert rows[0].assessment is not None
    assert rows[1].assessment is None
    msgs = sorted(str(p) for p in rows[1].problems)
    assert msgs[0].startswith("") and any("sheet 'Бағалау': row 3, column I (strategy.b)" in m for m in msgs)
    assert any("row 3, column N (culture.a)" in m and "must be at most 5, got 7" in m for m in msgs)


def test_unknown_column_and_missing_columns(tmp_path: Path, mini) -> None:
    with pytest.raises(AdvisorError) as info:
        spreadsheet.read(xlsx(tmp_path, [GOOD], header=HEADER[:5] + ["strategy.aa"]), mini)
    msgs = [str(p) for p in info.value.problems]
    assert any("unknown column 'strategy.aa'" in m and "did you mean 'strategy.a'?" in m for m in msgs)
    assert any("missing columns: date, assessor" in m for m in msgs)


def test_xlsx_template_is_deterministic_and_reads_back(tmp_path: Path, mini) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run_cli("template", "--kb", MINI, "--format", "xlsx", "-o", a)
    run_cli("template", "--kb", MINI, "--format", "xlsx", "-o", b)
    assert a.read_bytes() == b.read_bytes()
    book = openpyxl.load_workbook(a)
    assert [c.value for c in book["Assessments"][1]] == HEADER + STAFFING
    notes = list(book["Descriptors"].iter_rows(values_only=True))
    assert notes[1][0] == "strategy.a" and notes[1][2] == "level 1"
    ws = book["Assessments"]
    ws.append(GOOD)
    book.save(a)
    assert spreadsheet.read(a, mini)[0].assessment is not None


def test_csv_template_header() -> None:
    assert run_cli("template", "--kb", MINI, "--format", "csv").output.strip().split(",") == HEADER + STAFFING


@pytest.mark.parametrize(("cells", "staffing"), [
    (["", "", ""], None),
    ([6, 2, None], {"posts": 6, "filled": 2, "additional_duties": None}),
    ([6.0, 3.0, True], {"posts": 6, "filled": 3, "additional_duties": True}),
    (["6", "3", "нет"], {"posts": 6, "filled": 3, "additional_duties": False}),
    (["6", "6", "иә"], {"posts": 6, "filled": 6, "additional_duties": True}),
    (["6", "1", "No"], {"posts": 6, "filled": 1, "additional_duties": False}),
])
def test_staffing_columns_are_the_assessment_s_staffing(tmp_path: Path, mini, cells: list[object],
                                                        staffing: dict[str, object] | None) -> None:
    [row] = spreadsheet.read(xlsx(tmp_path, [GOOD + cells], header=HEADER + STAFFING), mini)
    assert row.problems == [] and row.assessment is not None
    got = row.assessment.staffing
    assert (got.model_dump() if got is not None else None) == staffing


@pytest.mark.parametrize(("cells", "where", "says"), [
    (["6", "", ""], "column Q (staffing.filled)", "required"),
    (["six", "2", ""], "column P (staffing.posts)", "number"),
    (["6", '"2,5"', ""], "column Q (staffing.filled)", "expected a whole number, got 2.5"),
    (["6", "2", "maybe"], "column R (staffing.additional_duties)", "true or false"),
    (["2", "6", ""], "row 2, staffing", "filled cannot exceed posts"),
])
def test_bad_staffing_cells_are_named_by_column(tmp_path: Path, mini, cells: list[object], where: str, says: str) -> None:
    path = tmp_path / "round.csv"
    path.write_text(",".join(HEADER + STAFFING) + "\n" + ",".join(map(str, GOOD + cells)) + "\n", encoding="utf-8")
    [row] = spreadsheet.read(path, mini)
    assert row.assessment is None
    assert any(where in str(p) and says in str(p) for p in row.problems), [str(p) for p in row.problems]
