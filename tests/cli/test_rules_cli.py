"""`advisor rules …`: which knowledge base is checked (and said), lint summaries, diff of prerequisites and months."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from advisor.cli.rules import LINT_SHOWN

from ..conditions_helpers import random_assessments
from ..conftest import MINI, edit_yaml, mini_assessment, run_cli, write_yaml


@pytest.mark.parametrize("command", [["validate"], ["lint"], ["test", "cases.yaml"]])
def test_the_knowledge_base_in_the_current_folder_is_used_and_named(command: list[str], mini_copy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_yaml(mini_copy / "cases.yaml", {"cases": [{"name": "low", "given": {"scores": {"strategy.a": 2}},
                                                     "expect": {"fires": ["R-STR-01"]}}]})
    monkeypatch.chdir(mini_copy)
    out = run_cli("rules", *command).output
    assert f"({mini_copy}): the one in the current folder" in out.splitlines()[0]
    # an edit there is what gets checked: break it and the same command fails
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0].update(then=["W-NOPE-X"]))
    code = {"validate": 1, "lint": 1, "test": 2}[command[0]]
    assert "W-NOPE-X" in run_cli("rules", *command, code=code).output


def test_elsewhere_the_shipped_one_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = run_cli("rules", "validate").output.splitlines()[0]
    assert first.startswith("knowledge base ") and "the shipped one" in first and "--kb" in first


def english_only(kb: Path) -> None:
    """Make every kk and ru text a copy of the English one, as a first draft of a knowledge base would be."""
    def walk(node: object) -> None:
        if isinstance(node, dict):
            if {"kk", "ru", "en"} <= set(node):
                node["kk"] = node["ru"] = node["en"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    for path in sorted((kb / "knowledge_base").rglob("*.yaml")) + sorted((kb / "rules").glob("*.yaml")):
        edit_yaml(path, walk)


def test_lint_summarises_repeated_warnings_and_keeps_the_others_visible(mini_copy: Path) -> None:
    english_only(mini_copy)
    data = json.loads(run_cli("rules", "lint", "--kb", mini_copy, "--format", "json").output)
    w108 = [f for f in data["findings"] if f["code"] == "W108"]
    others = [f for f in data["findings"] if f["code"] != "W108"]
    assert len(w108) > 50 and others
    out = run_cli("rules", "lint", "--kb", mini_copy).output
    lines = out.splitlines()
    per_file: dict[str, int] = {}
    for line in lines:
        if " W108: " in line:
            per_file[line.split(":")[0]] = per_file.get(line.split(":")[0], 0) + 1
    assert per_file and max(per_file.values()) <= LINT_SHOWN
    assert any("more like this in this file" in line and "--all" in line for line in lines)
    for f in others:   # each other finding is listed, or summarised with its code and file
        assert f["message"] in out or any(line.startswith(f"{f['file']}: ") and f" {f['code']}: … and " in line
                                          for line in lines)
    assert sum(f["message"] in out for f in others) >= min(len(others), LINT_SHOWN)
    assert f"W108 {len(w108)}" in out and len(lines) < len(data["findings"])
    everything = run_cli("rules", "lint", "--kb", mini_copy, "--all").output
    assert sum(" W108: " in line for line in everything.splitlines()) == len(w108)


def test_diff_reports_prerequisites_and_months(mini_copy: Path, tmp_path: Path, mini) -> None:
    folder = tmp_path / "assessments"
    folder.mkdir()
    for i, c in enumerate(random_assessments(mini, 12, seed=5)):
        write_yaml(folder / f"{i:02d}.yaml", c)
    write_yaml(folder / "base.yaml", mini_assessment())
    # HUM-02 (in the plans of the default target) now also waits for STR-01: the weaknesses do not change,
    # the roadmaps do
    def wait_for_strategy(d: dict) -> None:
        hum02 = next(a for a in d["actions"] if a["id"] == "HUM-02")
        hum02["requires"] = [*hum02["requires"], "STR-01"]
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", wait_for_strategy)
    data = json.loads(run_cli("rules", "diff", MINI, mini_copy, "--assessments", folder, "--format", "json").output)
    old = data["prerequisites"]["HUM-02"]
    assert "STR-01" in old[1] and "STR-01" not in old[0]
    moved = [c for c in data["changes"] if "HUM-02" in c["requires_changed"]]
    assert moved and all(c["weaknesses_added"] == c["weaknesses_removed"] == [] for c in moved)
    assert data["summary"]["changed"] >= len(moved) > 0 and data["summary"]["requires_changed"] >= len(moved)
    assert any(c["months_changed"] for c in moved)
    text = run_cli("rules", "diff", MINI, mini_copy, "--assessments", folder).output
    assert "~ prerequisites of HUM-02 in the catalogue" in text and "~ requires HUM-02:" in text
    assert "~ months HUM-02:" in text or "~ months " in text
    assert not text.splitlines()[-1].startswith("0 of")


def test_schema_output_folder_under_proc_is_a_message() -> None:
    assert "cannot create this folder" in run_cli("rules", "schema", "-o", "/proc/advisor-schemas", code=2).output


def test_lint_of_the_shipped_kb_prints_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, tmp_path / "other")
    assert "(other)" in run_cli("rules", "lint", "--kb", "other").output.splitlines()[0]
