"""Every output format, from a hostile assessment and from a hostile knowledge base, read back with a real parser:
no executable HTML, no Markdown link or raw HTML, no template evaluation, no terminal control, no formula cell."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from markdown_it import MarkdownIt

from advisor import api
from advisor.kb.sourcefile import parse

from ..conftest import MINI, ROOT, edit_yaml, mini_assessment, run_cli
from .payloads import FORMULAS, executable, hostile_assessment, hostile_kb

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _poisoned(tmp: Path, root: Path, assessments: list[dict[str, Any]]) -> dict[str, Any]:
    count = hostile_kb(root, tmp / "kb")
    files = []
    for i, data in enumerate(assessments):
        path = tmp / f"body{i}.json"
        # json.dumps escapes ESC and C1 as \u001b, \u009b: the way such text arrives in a real file
        path.write_text(json.dumps(hostile_assessment(data), ensure_ascii=True, default=str), encoding="utf-8")
        files.append(path)
    return {"kb": tmp / "kb", "files": files, "tmp": tmp, "count": count}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The small test knowledge base with every kk/ru/en text poisoned, and two poisoned assessments of one body
    (the second later, with other scores)."""
    later = mini_assessment(strategy__a=4, culture__b=3.5)
    later["date"] = "2026-09-01"
    return _poisoned(tmp_path_factory.mktemp("hostile"), MINI, [mini_assessment(), later])


@pytest.fixture(scope="module")
def hostile_full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shipped knowledge base poisoned (968 texts), with a poisoned example."""
    example = yaml.safe_load((ROOT / "examples" / "health-body.yaml").read_text(encoding="utf-8"))
    out = _poisoned(tmp_path_factory.mktemp("hostile_full"), ROOT, [example])
    kb = out["loaded"] = api.load_kb(out["kb"])
    ev = api.assess(out["files"][0], kb)
    out["report"] = lambda lang, fmt: api.render_report(ev, api.roadmap(ev, kb), kb, lang, fmt)
    return out


def markdown_to_html(text: str) -> str:
    """A permissive viewer: raw HTML on (CommonMark's default), every link scheme allowed."""
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True
    return str(md.render(text))


def test_the_hostile_copy_poisons_every_text(hostile_full) -> None:
    assert hostile_full["count"] > 900
    kb = hostile_full["loaded"]
    assert "<script>" in kb.metadata.name.get("kk") and kb.metadata.name.get("en").startswith(FORMULA_START)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_html_report_has_no_executable_content(hostile_full, lang: str) -> None:
    """53 live <script> elements came out of the shipped knowledge base poisoned this way."""
    page = hostile_full["report"](lang, "html")
    assert executable(page) == []
    assert page.count("&lt;script&gt;") > 50          # the text is shown, as text
    assert "{{7*7}}" in page and "{% raw %}" in page  # never evaluated as a template
    assert not CONTROL.search(page.replace("\n", "").replace("\t", ""))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_markdown_report_has_no_html_and_no_links(hostile_full, lang: str) -> None:
    text = hostile_full["report"](lang, "md")
    rendered = markdown_to_html(text)
    assert executable(rendered) == []
    assert "<a " not in rendered and "<img" not in rendered   # the template has no link: any would be injected
    assert "&lt;script&gt;" in rendered and "{{7*7}}" in rendered
    assert not CONTROL.search(text.replace("\n", ""))


def test_roadmap_md_and_html_formats(hostile) -> None:
    for fmt in ("md", "html"):
        out = run_cli("roadmap", hostile["files"][1], "--kb", hostile["kb"], "--format", fmt).output
        page = markdown_to_html(out) if fmt == "md" else out
        assert executable(page) == [] and "<a " not in page


@pytest.mark.parametrize("args", [("assess",), ("roadmap",), ("next",), ("explain", "STR-01"), ("model",)])
def test_text_output_has_no_terminal_control(hostile, args: tuple[str, ...]) -> None:
    cmd, *rest = args
    files = [] if cmd == "model" else [hostile["files"][0]]
    out = run_cli(cmd, *files, *rest, "--kb", hostile["kb"]).output
    assert "\x1b" not in out and "\x9b" not in out and "\r" not in out
    assert not CONTROL.search(out.replace("\n", "").replace("\t", ""))
    assert "\ufffd" in out     # the sequence was there, and is shown neutralised


def test_compare_text_output(hostile) -> None:
    old, new = hostile["files"]
    result = run_cli("compare", old, new, "--kb", hostile["kb"])
    assert not CONTROL.search(result.output.replace("\n", "").replace("\t", ""))


@pytest.mark.parametrize("cmd", ["assess", "roadmap", "next", "model"])
def test_json_output_is_data_with_controls_escaped(hostile, cmd: str) -> None:
    files = [] if cmd == "model" else [hostile["files"][0]]
    out = run_cli(cmd, *files, "--kb", hostile["kb"], "--format", "json").output
    data = json.loads(out)
    assert data
    assert not CONTROL.search(out.replace("\n", ""))      # ESC and C1 appear as \u escapes only
    if cmd == "assess":
        assert "\x1b[2J" in data["assessment"]["organisation"]["name"]   # the data itself is kept intact


def test_batch_portfolio_and_reports(hostile) -> None:
    folder = hostile["tmp"] / "batch"
    second = json.loads(hostile["files"][1].read_text(encoding="utf-8"))
    second["organisation"]["id"] = "other"
    other = hostile["tmp"] / "other.json"
    other.write_text(json.dumps(second), encoding="utf-8")
    run_cli("batch", hostile["files"][0], other, "--kb", hostile["kb"], "-o", folder)
    rows = list(csv.reader((folder / "portfolio.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 3
    assert all(not c.startswith(FORMULA_START) for row in rows for c in row)
    assert any(c.startswith("'=HYPERLINK") for row in rows for c in row)      # the name is there, neutralised
    assert executable((folder / "portfolio.html").read_text(encoding="utf-8")) == []
    json.loads((folder / "portfolio.json").read_text(encoding="utf-8"))
    for report in folder.glob("*.html"):
        assert executable(report.read_text(encoding="utf-8")) == [], report.name


def test_portfolio_csv_neutralises_every_formula(hostile, tmp_path: Path) -> None:
    """Names like =HYPERLINK(...), +cmd|..., @SUM(...) were written as they are (Excel runs them)."""
    files = []
    base = json.loads(hostile["files"][0].read_text(encoding="utf-8"))
    for i, formula in enumerate(FORMULAS):
        base["organisation"] = dict(base["organisation"], name=formula, id=f"b{i}")
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps(base), encoding="utf-8")
        files.append(path)
    run_cli("batch", *files, "--kb", hostile["kb"], "-o", tmp_path / "out")
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "portfolio.csv").read_text(encoding="utf-8"))))
    names = [r[2] for r in rows[1:]]
    assert sorted(names) == sorted("'" + f.strip() for f in FORMULAS)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_xlsx_template_holds_hostile_text_as_text(hostile_full, lang: str) -> None:
    """A knowledge-base text like '=HYPERLINK(...)' crashed the template; now it is a quoted text cell."""
    out = hostile_full["tmp"] / f"t.{lang}.xlsx"
    out.write_bytes(api.spreadsheet_template(hostile_full["loaded"], lang, "xlsx"))
    with zipfile.ZipFile(out) as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    starts = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)]
    assert len(starts) > 100 and all(c.quotePrefix for c in starts)
    assert not any(CONTROL.search(str(c.value)) for c in cells)


def test_csv_template_and_yaml_template(hostile) -> None:
    text = run_cli("template", "--format", "csv", "--kb", hostile["kb"]).output
    assert all(not c.startswith(FORMULA_START) for row in csv.reader(io.StringIO(text)) for c in row)
    blank = run_cli("template", "--kb", hostile["kb"]).output
    # a line break in a knowledge-base text must not add YAML lines to the blank assessment
    data = parse("blank.yaml", blank).data
    clean = parse("blank.yaml", run_cli("template", "--kb", MINI).output).data
    assert set(data) == set(clean) and set(data["scores"]) == set(clean["scores"])
    assert not CONTROL.search(blank.replace("\n", ""))


def test_a_line_break_in_a_kb_text_stays_in_its_comment(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "kb")

    def inject(d: dict[str, Any]) -> None:
        d["criteria"][0]["name"]["en"] = "name\ninjected: true\nscores: {}"
    edit_yaml(tmp_path / "kb" / "knowledge_base" / "criteria" / "culture.yaml", inject)
    blank = run_cli("template", "--kb", tmp_path / "kb").output
    data = parse("blank.yaml", blank).data
    assert "injected" not in data and data["scores"]


def test_error_lines_never_carry_terminal_escapes(tmp_path: Path) -> None:
    """A file name is printed in every error line: an escape sequence in it must not reach the terminal."""
    from ..conftest import run_cli
    name = tmp_path / "evil\x1b]0;owned\x07\x1b[2J.yaml"
    name.write_text("organisation: [\n", encoding="utf-8")
    out = run_cli("assess", name, code=2).output
    assert "\x1b" not in out and "\x07" not in out and "evil" in out
