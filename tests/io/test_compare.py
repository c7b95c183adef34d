"""Two assessments of one body: what moved between them."""

from __future__ import annotations

import json
from pathlib import Path

from ..conftest import MINI, mini_assessment, run_cli, write_yaml


def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = write_yaml(tmp_path / "old.yaml", mini_assessment())
    later = mini_assessment(strategy__a=4, culture__a=3, culture__b=3, technology__b=4)
    later["date"] = "2026-09-01"
    return old, write_yaml(tmp_path / "new.yaml", later)


def test_compare_reports_changes(tmp_path: Path) -> None:
    old, new = pair(tmp_path)
    data = json.loads(run_cli("compare", old, new, "--kb", MINI, "--format", "json").output)["comparison"]
    assert data["overall"]["old_level"] == 2 and data["overall"]["new_level"] == 3 and data["level_moved"] == 1
    dims = {d["id"]: (d["old"], d["new"], d["change"]) for d in data["dimensions"]}
    assert dims["culture"] == (1.75, 3.0, 1.25) and dims["organisation"] == (3.0, 3.0, 0.0)
    assert {c["id"] for c in data["criteria"]} == {"strategy.a", "culture.a", "culture.b", "technology.b"}
    assert data["weaknesses_resolved"] == ["W-HUM-L1-1", "W-STR-LOW-A", "W-X-GAP"] and data["weaknesses_new"] == []
    assert data["actions_completed"] == ["STR-01"]   # recommended before, achieved now
    text = run_cli("compare", old, new, "--kb", MINI, "--lang", "ru").output
    assert "Уровень органа повысился." in text and "Цифровая культура: 1,75 → 3 (+1,25), уровень 1 → 3" in text


def test_compare_refuses_other_bodies_and_reversed_dates(tmp_path: Path) -> None:
    old, new = pair(tmp_path)
    assert "give the older assessment first" in run_cli("compare", new, old, "--kb", MINI, code=2).output
    other = mini_assessment()
    other["organisation"]["id"] = "t2"
    other_path = write_yaml(tmp_path / "other.yaml", other)
    assert "compare two assessments of the same body" in run_cli("compare", old, other_path, "--kb", MINI, code=2).output
