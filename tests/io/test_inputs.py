"""Single-body commands take what users have: a one-row CSV or XLSX (the template filled in), or standard input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from advisor.cli.main import main

from ..conftest import MINI, mini_assessment, run_cli, write_yaml
from .test_spreadsheet import GOOD

SINGLE = ["assess", "explain", "roadmap", "next", "report", "compare"]


def call(command: str, path: str, tmp_path: Path, org_id: str = "o1") -> list[str]:
    old = mini_assessment()
    old["organisation"]["id"], old["date"] = org_id, "2025-12-01"
    extra = {"explain": [path, "STR-01"], "compare": [str(write_yaml(tmp_path / "old.yaml", old)), path],
             "report": [path, "-o", str(tmp_path / "r.html")]}
    return [command, *extra.get(command, [path]), "--kb", str(MINI)]


def filled_template(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = tmp_path / "t.xlsx"
    run_cli("template", "--kb", MINI, "--format", "xlsx", "-o", path)
    book = openpyxl.load_workbook(path)
    for r in rows:
        book["Assessments"].append(r)
    book.save(path)
    return path


@pytest.mark.parametrize("command", SINGLE)
def test_the_xlsx_template_filled_with_one_row_is_read(command: str, tmp_path: Path) -> None:
    run_cli(*call(command, str(filled_template(tmp_path, [GOOD])), tmp_path))


@pytest.mark.parametrize("command", SINGLE)
def test_several_rows_point_to_batch_and_none_says_no_bodies(command: str, tmp_path: Path) -> None:
    two = filled_template(tmp_path, [GOOD, ["Орган 2", "o2", *GOOD[2:]]])
    out = run_cli(*call(command, str(two), tmp_path), code=2).output
    assert "2 bodies in this spreadsheet" in out and "advisor batch" in out
    header_only = tmp_path / "h.csv"
    header_only.write_bytes(run_cli("template", "--kb", MINI, "--format", "csv").stdout_bytes)
    assert "no bodies" in run_cli(*call(command, str(header_only), tmp_path), code=2).output


def test_one_row_csv_gives_the_same_result_as_yaml(tmp_path: Path) -> None:
    header = run_cli("template", "--kb", MINI, "--format", "csv").output.strip().split(",")
    values = dict(zip(["name", "id", "government_level", "sector", "office_type", "date", "assessor"], GOOD[:7]))
    scores = dict(zip(header[7:-3], GOOD[7:]))
    staffing = {"staffing.posts": 4, "staffing.filled": 1, "staffing.additional_duties": "yes"}
    assert header[-3:] == list(staffing)
    csv = tmp_path / "one.csv"
    csv.write_text(",".join(header) + "\n" + ",".join(str({**values, **scores, **staffing}[h]) for h in header) + "\n",
                   encoding="utf-8")
    data = {"organisation": {k: values[k] for k in ("name", "id", "government_level", "sector", "office_type")},
            "date": values["date"], "assessor": values["assessor"], "scores": scores,
            "staffing": {"posts": 4, "filled": 1, "additional_duties": True}}
    yml = write_yaml(tmp_path / "one.yaml", data)
    a = json.loads(run_cli("assess", csv, "--kb", MINI, "--format", "json").output)
    b = json.loads(run_cli("assess", yml, "--kb", MINI, "--format", "json").output)
    assert a["scores"] == b["scores"] and a["findings"] == b["findings"]
    assert a["assessment"]["staffing"] == b["assessment"]["staffing"] == data["staffing"]


def test_batch_of_a_header_only_csv_says_no_bodies(tmp_path: Path) -> None:
    header_only = tmp_path / "h.csv"
    header_only.write_bytes(run_cli("template", "--kb", MINI, "--format", "csv").stdout_bytes)
    assert "no bodies" in run_cli("batch", header_only, "-o", tmp_path / "out", "--kb", MINI, code=2).output


def invoke(args: list[str], stdin: bytes, code: int = 0) -> str:
    result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.mark.parametrize("command", SINGLE)
def test_dash_reads_standard_input(command: str, tmp_path: Path) -> None:
    text = yaml.safe_dump(mini_assessment(), allow_unicode=True).encode()
    invoke(call(command, "-", tmp_path, "t1"), text)


def test_standard_input_as_json_csv_and_xlsx(tmp_path: Path) -> None:
    expected = json.loads(run_cli("assess", write_yaml(tmp_path / "a.yaml", mini_assessment()), "--kb", MINI,
                                  "--format", "json").output)["scores"]
    as_json = json.dumps(mini_assessment()).encode()
    assert json.loads(invoke(["assess", "-", "--kb", str(MINI), "--format", "json"], as_json))["scores"] == expected
    xlsx = filled_template(tmp_path, [GOOD]).read_bytes()
    assert "Орган 1" in invoke(["assess", "-", "--kb", str(MINI)], xlsx)
    bad = invoke(["assess", "-", "--kb", str(MINI)], b"organisation: [\n", code=2)
    assert bad.startswith("error: <stdin>:")


def test_progress_from_standard_input_and_only_one_dash(tmp_path: Path) -> None:
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    progress = yaml.safe_dump({"done": [{"action": "HUM-01", "date": "2026-02-01"}]}).encode()
    out = invoke(["next", str(a), "--progress", "-", "--kb", str(MINI), "--format", "json"], progress)
    p = tmp_path / "p.yaml"
    p.write_bytes(progress)
    from_file = invoke(["next", str(a), "--progress", str(p), "--kb", str(MINI), "--format", "json"], b"")
    ready = [x["id"] for x in json.loads(out)["next"]["ready"]]
    # the done action is read from standard input: it is not offered again, and the plan is the file's
    assert "STR-01" in ready and "HUM-01" not in ready
    assert json.loads(out)["next"] == json.loads(from_file)["next"]
    text = yaml.safe_dump(mini_assessment(), allow_unicode=True).encode()
    assert "read only once" in invoke(["compare", "-", "-", "--kb", str(MINI)], text, code=2)
