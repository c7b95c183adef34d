"""The CLI: every command has help, works on the mini knowledge base, and maps errors to exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.cli.main import main

from ..conftest import MINI, mini_assessment, run_cli, write_yaml

COMMANDS = sorted([(c,) for c in main.commands if c != "rules"] + [("rules", c) for c in main.commands["rules"].commands])


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_docs(command: tuple[str, ...]) -> None:
    out = run_cli(*command, "--help").output
    group = main.commands[command[0]]
    cmd = group.commands[command[1]] if len(command) > 1 else group  # type: ignore[attr-defined]
    assert "Usage:" in out and len(cmd.help or "") > 10
    assert f"advisor {' '.join(command)}" in (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")


def test_version() -> None:
    assert run_cli("--version").output.startswith("advisor, version ")


@pytest.fixture
def assessment(tmp_path: Path) -> Path:
    return write_yaml(tmp_path / "a.yaml", mini_assessment())


def test_assess_text_in_three_languages(assessment: Path) -> None:
    en = run_cli("assess", assessment, "--kb", MINI).output
    ru = run_cli("assess", assessment, "--kb", MINI, "--lang", "ru").output
    kk = run_cli("assess", assessment, "--kb", MINI, "--lang", "kk").output
    # W-HUM-L1-1 is about the culture dimension like W-X-GAP: one finding for that gap
    assert "Overall: 3.12 → 2 — Basic level" in en and "Weaknesses found (2)" in en
    assert "Общий результат: 3,12 → 2 — Базовый уровень" in ru and "Выявленные слабые места (2)" in ru
    assert "Жалпы нәтиже: 3,12 → 2 — Негізгі деңгей" in kk
    assert "Knowledge base: 2026.11.0+" in en


def test_assess_json_is_complete(assessment: Path) -> None:
    data = json.loads(run_cli("assess", assessment, "--kb", MINI, "--format", "json").output)
    assert set(data) == {"schema_version", "kb_version", "assessment", "scores", "findings"}
    assert data["scores"]["overall_level"] == 2
    assert [(w["id"], w["merged"]) for w in data["findings"]["weaknesses"]] == [
        ("W-STR-LOW-A", []), ("W-X-GAP", ["W-HUM-L1-1"])]
    assert data["findings"]["by_dimension"] == {"strategy": ["W-STR-LOW-A"], "cross": ["W-X-GAP"]}


def test_output_is_byte_identical_across_runs(assessment: Path) -> None:
    runs = {run_cli("roadmap", assessment, "--kb", MINI, "--format", fmt).output for fmt in ("json",) for _ in range(3)}
    assert len(runs) == 1


def test_roadmap_and_next(assessment: Path, tmp_path: Path) -> None:
    out = run_cli("roadmap", assessment, "--kb", MINI, "--target", "culture=3").output
    assert "Stage 1 · 2026 Q1" in out and "HUM-02" in out and "(as asked)" in out
    progress = write_yaml(tmp_path / "p.yaml", {"done": [{"action": "HUM-01", "date": "2026-02-01"}]})
    nxt = run_cli("next", assessment, "--kb", MINI, "--progress", progress, "--format", "json").output
    # HUM-01 done: the target (the profile's level 4) needs HUM-02, which can start now
    assert [a["id"] for a in json.loads(nxt)["next"]["ready"]] == ["STR-01", "HUM-02"]
    low = run_cli("next", assessment, "--kb", MINI, "--progress", progress, "--target", "2", "--format", "json").output
    assert [a["id"] for a in json.loads(low)["next"]["ready"]] == ["STR-01"]


def test_roadmap_output_file_is_written_atomically(assessment: Path, tmp_path: Path) -> None:
    out = tmp_path / "rm.json"
    run_cli("roadmap", assessment, "--kb", MINI, "--format", "json", "-o", out)
    assert json.loads(out.read_text(encoding="utf-8"))["roadmap"]["stages"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_to_missing_folder_is_a_clear_error(assessment: Path, tmp_path: Path) -> None:
    result = run_cli("roadmap", assessment, "--kb", MINI, "-o", tmp_path / "nope" / "rm.txt", code=2)
    assert "does not exist" in result.output and not (tmp_path / "nope").exists()


def test_bad_target_exit_2(assessment: Path) -> None:
    assert "expected a level from 1 to 5" in run_cli("roadmap", assessment, "--kb", MINI, "--target", "7", code=2).output


def test_explain_why_and_why_not(assessment: Path) -> None:
    why = run_cli("explain", assessment, "STR-01", "--kb", MINI).output
    assert "Recommended" in why and "R-STR-01" in why and "strategy a: score 2 — at most 2" in why
    why_not = run_cli("explain", assessment, "TEC-01", "--kb", MINI, "--lang", "ru").output
    assert "Нет в дорожной карте" in why_not and "не сработало" in why_not
    assert "did you mean 'STR-01'?" in run_cli("explain", assessment, "STR-1", "--kb", MINI, code=2).output


def test_template_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "blank.yaml"
    run_cli("template", "--kb", MINI, "--lang", "ru", "-o", out)
    text = out.read_text(encoding="utf-8")
    assert "#   1 — level 1 (ru)" in text and "strategy.a:" in text
    data = yaml.safe_load(text)
    assert set(data["scores"]) == {"strategy.a", "strategy.b", "organisation.a", "organisation.b",
                                   "technology.a", "technology.b", "culture.a", "culture.b"}
    # filled in, it is a valid assessment
    data["organisation"].update(name="X", id="x")
    data["assessor"] = "Y"
    for cid in data["scores"]:
        data["scores"][cid]["score"] = 3
    run_cli("assess", write_yaml(tmp_path / "filled.yaml", data), "--kb", MINI)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_template_staffing_block_uncommented_is_the_assessment_s_staffing(tmp_path: Path, lang: str) -> None:
    text = run_cli("template", "--kb", MINI, "--lang", lang).output
    block = text[text.index("# staffing:"):].splitlines()
    assert len(block) == 4, "the comment above it says 'the four lines below'"
    filled = "\n".join(line[2:] for line in block).replace("posts:   ", "posts: 6 ").replace("filled:  ", "filled: 2 ")
    data = yaml.safe_load(text + "\n" + filled)
    data["organisation"].update(name="X", id="x")
    data["assessor"] = "Y"
    for cid in data["scores"]:
        data["scores"][cid]["score"] = 3
    out = json.loads(run_cli("assess", write_yaml(tmp_path / "filled.yaml", data), "--kb", MINI, "--format", "json").output)
    assert out["assessment"]["staffing"] == {"posts": 6, "filled": 2, "additional_duties": False}


def test_model_lists_the_scale(tmp_path: Path) -> None:
    out = run_cli("model", "--kb", MINI, "--lang", "kk").output
    assert "Бастапқы деңгей" in out and "Цифрлық мәдениет" in out


def test_max_per_stage_spreads_the_roadmap(assessment: Path) -> None:
    data = json.loads(run_cli("roadmap", assessment, "--kb", MINI, "--target", "culture=3", "--max-per-stage", "1",
                              "--format", "json").output)
    stages = [i["stage"] for i in data["roadmap"]["items"]]
    assert sorted(stages) == [1, 2, 3] and data["roadmap"]["max_per_stage"] == 1
    assert "at least 1" in run_cli("roadmap", assessment, "--kb", MINI, "--max-per-stage", "0", code=2).output


def test_progress_and_cycle_errors_exit_2(assessment: Path, tmp_path: Path, mini_copy: Path) -> None:
    progress = write_yaml(tmp_path / "p.yaml", {"done": [{"action": "HUM-09", "date": "2026-02-01"}]})
    out = run_cli("roadmap", assessment, "--kb", MINI, "--progress", progress, code=2).output
    assert "p.yaml:2:" in out and "unknown action 'HUM-09'" in out
    from ..conftest import edit_yaml
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][0].update(requires=["TEC-01"]))
    assert "prerequisites form a cycle" in run_cli("roadmap", assessment, "--kb", mini_copy, code=2).output


@pytest.mark.parametrize("args", [("model",), ("next", "A"), ("explain", "A", "STR-01"), ("assess", "A"), ("roadmap", "A")])
def test_every_output_names_the_kb_version(args: tuple[str, ...], assessment: Path) -> None:
    argv = [str(assessment) if a == "A" else a for a in args]
    assert "2026.11.0+" in run_cli(*argv, "--kb", MINI).output


def test_json_output_matches_its_schema(assessment: Path) -> None:
    from advisor.models.results import RoadmapOutput
    data = json.loads(run_cli("roadmap", assessment, "--kb", MINI, "--format", "json").output)
    parsed = RoadmapOutput.model_validate(data)
    assert parsed.roadmap is not None and parsed.schema_version == 2
    RoadmapOutput.model_validate(json.loads(run_cli("assess", assessment, "--kb", MINI, "--format", "json").output))
