"""Batch: a broken input in the middle does not stop the rest; the portfolio's numbers are right."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ..conftest import MINI, mini_assessment, run_cli, write_yaml


def body(i: int, **scores) -> dict:
    data = mini_assessment(**scores)
    data["organisation"].update(id=f"b{i}", name=f"Орган {i}")
    return data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    # b1: the mini case (overall 3.12, level 2); b2: all 4 (level 4); b3: all 1 (level 1)
    write_yaml(d / "1.yaml", body(1))
    write_yaml(d / "2.yaml", body(2, **{c.replace(".", "__"): 4 for c in mini_assessment()["scores"]}))
    (d / "2b-broken.yaml").write_text("organisation: [\n", encoding="utf-8")
    write_yaml(d / "3.yaml", body(3, **{c.replace(".", "__"): 1 for c in mini_assessment()["scores"]}))
    return d


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_with_a_broken_file(folder: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run_cli("batch", folder, "-o", out, "--kb", MINI, "--jobs", jobs, code=1)
    assert "refused: " in result.output and "2b-broken.yaml" in result.output
    reports = sorted(p.name for p in out.glob("b*.html"))
    assert reports == ["b1-2026-01-10.en.html", "b2-2026-01-10.en.html", "b3-2026-01-10.en.html"]
    data = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["overall_score"], r["overall_level"]) for r in data["ranking"]] == [
        ("b2", 4.0, 4), ("b1", 3.12, 2), ("b3", 1.0, 1)]
    assert data["level_distribution"] == {"1": 1, "2": 1, "3": 0, "4": 1, "5": 0}
    # W-HUM-L1-1 (culture level 1) is found for b1 and b3; nothing for b2
    assert dict(map(tuple, data["common_weaknesses"]))["W-HUM-L1-1"] == 2
    assert len(data["failures"]) == 1
    rows = list(csv.reader((out / "portfolio.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["rank", "id", "name"] and [r[1] for r in rows[1:]] == ["b2", "b1", "b3"]
    html = (out / "portfolio.html").read_text(encoding="utf-8")
    assert html.count('data-body="') == 3 and 'data-dimension="culture" data-score="1.75"' in html


def test_batch_of_good_inputs_exits_0(folder: Path, tmp_path: Path) -> None:
    (folder / "2b-broken.yaml").unlink()
    run_cli("batch", folder, "-o", tmp_path / "out", "--kb", MINI, "--format", "md", "--lang", "ru")
    assert len(list((tmp_path / "out").glob("*.ru.md"))) == 3
