"""Spreadsheet and batch refusals reach the user in the language of --lang, each sentence translated whole."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

from advisor import api
from advisor.errors import Problem, ProblemText
from advisor.io import spreadsheet

from ..conftest import MINI, mini_assessment, run_cli


def sheet(path: Path, **change: object) -> Path:
    """A one-body CSV of the mini model, with some cells changed ("strategy__b" names column strategy.b)."""
    data = mini_assessment()
    row = {**data["organisation"], "date": data["date"], "assessor": data["assessor"], **data["scores"]}
    row.update({k.replace("__", "."): v for k, v in change.items()})
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[k for k in spreadsheet.ORG_COLUMNS + list(data["scores"]) if k in row])
        writer.writeheader()
        writer.writerow({k: v for k, v in row.items() if k in writer.fieldnames})
    return path


def test_a_bad_score_cell_is_reported_in_russian(tmp_path: Path) -> None:
    out = run_cli("assess", sheet(tmp_path / "round.csv", strategy__b="много"), "--kb", MINI, "--lang", "ru",
                  code=2).output
    assert "ошибка: " in out and "строка 2, столбец I (strategy.b): ожидалось число" in out, out
    assert "row 2" not in out and "column" not in out


def test_the_spreadsheets_own_refusals_are_translated(tmp_path: Path) -> None:
    path = sheet(tmp_path / "round.csv")
    text = path.read_text(encoding="utf-8").replace("name,", "nmae,", 1)
    path.write_text(text, encoding="utf-8")
    out = run_cli("assess", path, "--kb", MINI, "--lang", "ru", code=2).output
    assert "столбец A: неизвестный столбец 'nmae' (подсказка: возможно, имелось в виду 'name'?)" in out, out
    assert "нет столбцов: name (подсказка: в первой строке должны быть названия столбцов)" in out, out
    english = run_cli("assess", path, "--kb", MINI, code=2).output
    assert "column A: unknown column 'nmae'" in english and "missing columns: name" in english


def test_batch_refusals_are_in_kazakh(tmp_path: Path) -> None:
    good = sheet(tmp_path / "good.csv")
    bad = sheet(tmp_path / "bad.csv", strategy__b="көп")
    out = run_cli("batch", good, bad, tmp_path / "absent.yaml", "-o", tmp_path / "out", "--kb", MINI, "--lang", "kk",
                  code=1).output
    assert f"{tmp_path / 'out'} қалтасына 1 есеп және портфель жазылды" in out, out
    assert f"қабылданбады: {bad}, 2-жол\n" in out
    assert "2-жол, I бағаны (strategy.b): сан күтілді" in out
    assert f"қабылданбады: {tmp_path / 'absent.yaml'}\n    файл табылмады" in out
    assert "refused" not in out and "row 2" not in out and "not found" not in out


def test_a_problem_kept_as_text_survives_the_trip_from_a_worker() -> None:
    problem = Problem("round.csv", spreadsheet.N_("the sheet is empty"),
                      hint=spreadsheet.N_("run `advisor template --format xlsx` for the layout"))
    text = pickle.loads(pickle.dumps(ProblemText(problem)))
    assert text == str(problem) == "round.csv: the sheet is empty (hint: run `advisor template --format xlsx` for the layout)"
    assert text.localise(api.gettext_for("ru")) == (
        "round.csv: лист пуст (подсказка: макет можно получить командой `advisor template --format xlsx`)")
