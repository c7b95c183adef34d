"""Bad input gets one clear message naming file, line and field, and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import api
from advisor.errors import AdvisorError
from advisor.kb.loading import load_assessment, load_progress

from ..conftest import MINI, edit_yaml, mini_assessment, run_cli, write_yaml


def problems_of(func, *args) -> list[str]:
    with pytest.raises(AdvisorError) as info:
        func(*args)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("value, expected", [
    (0, "must be at least 1, got 0"),
    (6, "must be at most 5, got 6"),
    ("three", "expected a score from 1 to 5, 'n/a', or a mapping"),
    (True, "expected a score from 1 to 5"),
])
def test_bad_score_is_located(tmp_path: Path, mini, value, expected) -> None:
    path = write_yaml(tmp_path / "a.yaml", mini_assessment(strategy__a=value))
    [msg] = problems_of(load_assessment, path, mini)
    # line 10 is 'strategy.a:' (organisation takes 6 lines, then date, assessor, scores)
    assert msg.startswith(f"{path}:10:")
    assert "scores.strategy.a" in msg and expected in msg


def test_unknown_criterion_has_did_you_mean(tmp_path: Path, mini) -> None:
    data = mini_assessment()
    data["scores"]["strategy.aa"] = 3
    path = write_yaml(tmp_path / "a.yaml", data)
    [msg] = problems_of(load_assessment, path, mini)
    assert "unknown criterion 'strategy.aa'" in msg and "did you mean 'strategy.a'?" in msg


def test_duplicate_criterion(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    text = write_yaml(path, mini_assessment()).read_text(encoding="utf-8")
    path.write_text(text + "  strategy.a: 4\n", encoding="utf-8")
    [msg] = problems_of(load_assessment, path, mini)
    assert "duplicate key 'strategy.a' (first given on line 10)" in msg
    assert msg.startswith(f"{path}:18:3: ")


def test_dimension_without_applicable_criterion(tmp_path: Path, mini) -> None:
    path = write_yaml(tmp_path / "a.yaml", mini_assessment(culture__a="n/a", culture__b="n/a"))
    [msg] = problems_of(load_assessment, path, mini)
    assert "dimension 'culture' has no scored criterion" in msg


def test_missing_and_unreadable_files(tmp_path: Path, mini) -> None:
    [msg] = problems_of(load_assessment, tmp_path / "nope.yaml", mini)
    assert msg.endswith("nope.yaml: file not found (hint: check the path)")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00junk")
    assert "not UTF-8 text" in problems_of(load_assessment, bad, mini)[0]


def test_invalid_yaml_names_the_line(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("organisation:\n  name: x\n scores: [\n", encoding="utf-8")
    [msg] = problems_of(load_assessment, path, mini)
    assert "invalid YAML" in msg and msg.startswith(f"{path}:3:")


def test_unknown_field_and_missing_field(tmp_path: Path, mini) -> None:
    data = mini_assessment()
    data["organisation"]["colour"] = "red"
    del data["assessor"]
    path = write_yaml(tmp_path / "a.yaml", data)
    msgs = problems_of(load_assessment, path, mini)
    assert any("organisation.colour: unknown field" in m for m in msgs)
    assert any("assessor: required field is missing" in m for m in msgs)


def test_unknown_sector_has_did_you_mean(tmp_path: Path, mini) -> None:
    data = mini_assessment()
    data["organisation"]["sector"] = "helth"
    [msg] = problems_of(load_assessment, write_yaml(tmp_path / "a.yaml", data), mini)
    assert "unknown sector 'helth'" in msg and "did you mean 'health'?" in msg


def test_missing_criteria_are_allowed_and_counted(tmp_path: Path, mini) -> None:
    data = mini_assessment()
    del data["scores"]["strategy.b"]
    data["scores"]["technology.a"] = None      # a blank line of the template
    ev = api.evaluate(load_assessment(write_yaml(tmp_path / "a.yaml", data), mini), mini)
    status = {c.id: c.status for c in ev.scores.criteria}
    assert status["strategy.b"] == "missing" and status["technology.a"] == "missing"
    assert ev.scores.dimension("technology").score == 5
    assert ev.scores.completeness == 0.75


def test_json_assessment(tmp_path: Path, mini) -> None:
    import json
    path = tmp_path / "a.json"
    path.write_text(json.dumps(mini_assessment(), ensure_ascii=False), encoding="utf-8")
    assert load_assessment(path, mini).organisation.name == "Тест органы"


def test_cli_exit_code_2_and_no_traceback(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "a.yaml", mini_assessment(strategy__a=7))
    result = run_cli("assess", path, "--kb", MINI, code=2)
    assert "error:" in result.output and "Traceback" not in result.output


# --- knowledge-base files -------------------------------------------------------------------

def kb_problems(root: Path) -> list[str]:
    return problems_of(api.load_kb, root)


def test_rule_with_unknown_criterion(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(criterion="strategy.aa"))
    [msg] = kb_problems(mini_copy)
    assert "rules/all.yaml:" in msg and "unknown criterion 'strategy.aa'" in msg and "did you mean 'strategy.a'?" in msg


def test_rule_with_unknown_weakness(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0].update(then=["W-STR-LOW-B"]))
    [msg] = kb_problems(mini_copy)
    assert "rules[0].then[0]: unknown weakness 'W-STR-LOW-B'" in msg


def test_threshold_outside_scale(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(score={"at_most": 7}))
    [msg] = kb_problems(mini_copy)
    assert "rules[0].when.score.at_most" in msg and "must be at most 5, got 7" in msg


def test_string_for_number_is_refused(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(score={"at_most": "3"}))
    [msg] = kb_problems(mini_copy)
    assert "expected a number, got '3'" in msg and "without quotes" in msg


def test_duplicate_ids_are_refused_with_both_places(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][1].update(id="STR-01"))
    msgs = kb_problems(mini_copy)
    assert any("duplicate action id 'STR-01'" in m and "first defined in" in m for m in msgs)


def test_unknown_prerequisite_action(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][2].update(requires=["STR-09"]))
    [msg] = kb_problems(mini_copy)
    assert "actions[2].requires[0]: unknown action 'STR-09'" in msg


def test_contradictory_condition_is_refused(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml",
              lambda d: d["rules"][0]["when"].update(score={"at_most": 2, "at_least": 4}))
    [msg] = kb_problems(mini_copy)
    assert "can never be true" in msg


def test_all_problems_reported_at_once(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0].update(priority=9))
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][0].update(effort="XL"))
    msgs = kb_problems(mini_copy)
    assert any("rules[0].priority" in m for m in msgs) and any("actions[0].effort" in m for m in msgs)


def test_cycle_is_refused_with_its_path(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][0].update(requires=["TEC-01"]))
    [msg] = kb_problems(mini_copy)
    assert "prerequisites form a cycle" in msg
    assert "STR-01 (STR-01) -> STR-02 (STR-02) -> TEC-01 (TEC-01) -> STR-01" in msg


def test_not_a_kb_folder(tmp_path: Path) -> None:
    result = run_cli("model", "--kb", tmp_path, code=2)
    assert "not a knowledge base folder" in result.output


def test_progress_with_unknown_action(tmp_path: Path, mini) -> None:
    path = write_yaml(tmp_path / "p.yaml", {"done": [{"action": "STR-1", "date": "2026-01-01"}]})
    [msg] = problems_of(load_progress, path, mini)
    assert "unknown action 'STR-1'" in msg and "did you mean 'STR-01'?" in msg


def test_schema_references_duplicates_and_cycles_in_one_run(mini_copy: Path) -> None:
    """Four mistakes of four kinds: one run reports all four, and nothing else (no false 'unknown'
    for the criteria of the file that failed its schema)."""
    edit_yaml(mini_copy / "knowledge_base/criteria/culture.yaml", lambda d: d["criteria"][0].update(weight=-1))
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0].update(then=["W-STR-NOPE"]))

    def actions(d: dict) -> None:
        d["actions"][0].update(requires=["TEC-01"])
        d["actions"][4].update(id="HUM-01")
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", actions)
    msgs = kb_problems(mini_copy)
    assert len(msgs) == 4, msgs
    assert any("culture.yaml" in m and "criteria[0].weight: must be at least 0" in m for m in msgs)
    assert any("unknown weakness 'W-STR-NOPE'" in m for m in msgs)
    assert any("duplicate action id 'HUM-01'" in m for m in msgs)
    assert any("prerequisites form a cycle" in m for m in msgs)
    out = run_cli("rules", "validate", "--kb", mini_copy, code=1).output
    assert "4 problem(s)" in out


@pytest.mark.parametrize(("lang", "words"), [("en", "unknown action 'STR-09'"), ("ru", "неизвестное действие 'STR-09'"),
                                             ("kk", "белгісіз іс-шара 'STR-09'")])
def test_an_unknown_action_restoring_capacity_is_refused_with_its_place(mini_copy: Path, lang: str, words: str) -> None:
    edit_yaml(mini_copy / "knowledge_base/planning.yaml", lambda d: d["capacity"].update(restored_by=["STR-01", "STR-09"]))
    [msg] = kb_problems(mini_copy)
    assert "planning.yaml:25:" in msg and "capacity.restored_by[1]: unknown action 'STR-09'" in msg
    assert "(hint: did you mean 'STR-02'?)" in msg
    out = run_cli("rules", "validate", "--kb", mini_copy, "--lang", lang, code=1).output
    assert words in out and "planning.yaml:25:" in out and "restored_by[1]" in out and "'STR-02'" in out
