"""Each lint finding: a small broken knowledge base triggers it, the clean one does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from advisor.kb.lint import lint

from ..conftest import MINI, edit_yaml, run_cli

T = {"kk": "мәтін", "ru": "текст", "en": "text"}


def codes(root: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in lint(root):
        out.setdefault(f.code, []).append(f.message)
    return out


def add_rule(rule: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    base = {"title": T, "priority": 3, "rationale": T, "source": "test"}
    return lambda d: d["rules"].append({**base, **rule})


def add_weakness(wid: str, **extra: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["weaknesses"].append({"id": wid, "dimension": "culture", "title": T, "description": T,
                                             "evidence": T, "about": [{"dimension": "culture", "below": 5}], **extra})


CLEAN = codes(MINI)

CASES: dict[str, list[tuple[str, Callable[[dict[str, Any]], None]]]] = {
    "W101": [("knowledge_base/weaknesses/all.yaml", add_weakness("W-HUM-ORPHAN"))],
    "W102": [("knowledge_base/actions/all.yaml", lambda d: d["actions"][4].update(remedies=[]))],
    "W104": [("rules/all.yaml", add_rule({"id": "R-HUM-09", "then": ["W-HUM-L1-1"], "when": {"any": [
        {"dimension": "culture", "level": {"equals": 1}},
        {"all": [{"criterion": "culture.a", "score": {"at_most": 2}}, {"criterion": "culture.a", "score": {"at_least": 4}}]}]}}))],
    "W105": [("rules/all.yaml", add_rule({"id": "R-STR-09", "then": ["W-STR-LOW-A"],
                                          "when": {"criterion": "strategy.a", "score": {"at_most": 1.5}}}))],
    "E106": [("rules/all.yaml", add_rule({"id": "R-HUM-09", "then": ["W-HUM-L2-1"],
                                          "when": {"criterion": "culture.a", "score": {"at_most": 2}}}))],
    "W107": [("knowledge_base/actions/all.yaml", lambda d: d["actions"][0].update(remedies=[]))],
    "W108": [("knowledge_base/weaknesses/all.yaml", lambda d: d["weaknesses"][0]["title"].update(kk="strategy a low")),
             ("knowledge_base/weaknesses/all.yaml", lambda d: d["weaknesses"][0]["title"].update(kk="Стратегия əлсіз"))],
    # a level rule that tests only the level, for a weakness about one criterion: it fires with culture.a at 2
    "W110": [("knowledge_base/weaknesses/all.yaml",
              lambda d: d["weaknesses"][3].update(about=[{"criterion": "culture.a", "below": 2}]))],
    "W111": [("knowledge_base/actions/all.yaml",
              lambda d: d["actions"][0].update(achieved_when={"dimension": "strategy", "level": {"at_least": 3}}))],
    "E000": [("rules/all.yaml", lambda d: d["rules"][0].update(then=["W-NOPE-1"])),
             ("knowledge_base/weaknesses/all.yaml", lambda d: d["weaknesses"][0].pop("about"))],
}


@pytest.mark.parametrize("code, file, change", [(c, f, ch) for c, items in CASES.items() for f, ch in items],
                         ids=lambda x: x if isinstance(x, str) and x[0] in "EWI" and len(x) == 4 else "")
def test_finding_is_triggered(mini_copy: Path, code: str, file: str, change) -> None:
    assert code not in CLEAN or code == "W103"
    before = len(CLEAN.get(code, []))
    edit_yaml(mini_copy / file, change)
    found = codes(mini_copy)
    assert len(found.get(code, [])) > before, f"{code} not reported: {found}"


def test_empty_level_is_reported_and_filled_level_is_not(mini_copy: Path) -> None:
    assert any("culture at level 3" in m for m in CLEAN["W103"])
    edit_yaml(mini_copy / "knowledge_base/weaknesses/all.yaml", add_weakness("W-HUM-L3-1", level=3))
    assert not any("culture at level 3" in m for m in codes(mini_copy)["W103"])


def test_shadowing_needs_implication(mini_copy: Path) -> None:
    # at_most 2.5 is wider than R-STR-01's at_most 2: R-STR-01 is now the shadowed one, not the new rule
    edit_yaml(mini_copy / "rules/all.yaml", add_rule({"id": "R-STR-09", "then": ["W-STR-LOW-A"],
                                                      "when": {"criterion": "strategy.a", "score": {"at_most": 2.5}}}))
    shadowed = codes(mini_copy)["W105"]
    assert shadowed == ["rule R-STR-01 is shadowed by R-STR-09: whenever R-STR-01 fires, R-STR-09 fires and asserts its weaknesses"]


def test_a_level_rule_that_tests_the_criterion_is_not_flagged(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "knowledge_base/weaknesses/all.yaml",
              lambda d: d["weaknesses"][3].update(about=[{"criterion": "culture.a", "below": 2}]))
    assert "W110" in codes(mini_copy)
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][3].update(when={"all": [
        {"dimension": "culture", "level": {"equals": 1}}, {"criterion": "culture.a", "score": {"below": 2}}]}))
    assert "W110" not in codes(mini_copy)


def test_engine_size_is_reported() -> None:
    assert CLEAN["I109"] == ["5 rules compile to 13 engine rules in 1 ruleset(s) (durable_rules allows 4096 per ruleset; "
                             "advisor splits at 1000)"]


def test_lint_cli_exit_codes_and_json(mini_copy: Path) -> None:
    run_cli("rules", "lint", "--kb", mini_copy)                      # warnings only: exit 0
    run_cli("rules", "lint", "--kb", mini_copy, "--strict", code=1)
    edit_yaml(mini_copy / "rules/all.yaml", add_rule({"id": "R-HUM-09", "then": ["W-HUM-L2-1"],
                                                      "when": {"criterion": "culture.a", "score": {"at_most": 2}}}))
    out = run_cli("rules", "lint", "--kb", mini_copy, "--format", "json", code=1).output
    import json
    data = json.loads(out)
    e106 = [f for f in data["findings"] if f["code"] == "E106"]
    assert e106 and e106[0]["file"].endswith("rules/all.yaml") and e106[0]["line"] > 1
    assert data["kb"].startswith("knowledge base 2026.11.0+")


def test_validate_reports_every_problem_with_exit_1(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(criterion="strategy.aa"))
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][0].update(owner="cdoo"))
    out = run_cli("rules", "validate", "--kb", mini_copy, code=1).output
    assert "did you mean 'strategy.a'?" in out and "did you mean 'cdo'?" in out and "2 problem(s)" in out
    assert "valid" in run_cli("rules", "validate", "--kb", MINI).output


def test_too_many_engine_rules_is_an_error(monkeypatch) -> None:
    import advisor.engine.adapter as engine
    monkeypatch.setattr(engine, "MAX_RULES", 10)
    found = codes(MINI)
    assert found["E000"] == ["13 engine rules; at most 10 are supported"]
