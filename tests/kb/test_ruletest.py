"""`advisor rules test`: cases pass and fail visibly; coverage and --fail-under."""

from __future__ import annotations

from pathlib import Path

from ..conftest import MINI, run_cli, write_yaml

CASES = {"cases": [
    {"name": "low strategy", "given": {"scores": {"strategy.a": 2}}, "expect": {"fires": ["R-STR-01"], "actions": ["STR-01"]}},
    {"name": "culture at level 1", "given": {"default_score": 1, "targets": {"culture": 3}},
     "expect": {"fires": ["R-HUM-01"], "not_fires": ["R-HUM-02"], "before": [["HUM-01", "HUM-02"]]}},
]}


def test_passing_cases_and_coverage(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "cases.yaml", CASES)
    out = run_cli("rules", "test", path, "--kb", MINI, "--coverage").output
    assert "2 passed, 0 failed" in out
    # culture at level 2 and technology above culture never occur in these cases
    assert "rules no case fired: R-HUM-02, R-X-01" in out
    assert "coverage:" in out
    low = run_cli("rules", "test", path, "--kb", MINI, "--fail-under", "100", code=1).output
    assert "is below --fail-under 100" in low


def test_a_failing_case_shows_the_failed_expectation_and_why(tmp_path: Path) -> None:
    bad = {"cases": [{"name": "wrong", "given": {"scores": {"strategy.a": 4}},
                      "expect": {"fires": ["R-STR-01"], "no_actions": ["HUM-01"]}}]}
    out = run_cli("rules", "test", write_yaml(tmp_path / "bad.yaml", bad), "--kb", MINI, code=1).output
    assert "FAILED bad::wrong" in out and "bad.yaml:2)" in out
    assert "expected rule R-STR-01 to fire; it did not: strategy.a score 4 <= 2" in out
    assert "0 passed, 1 failed" in out


def test_a_case_naming_an_unknown_rule_is_bad_input(tmp_path: Path) -> None:
    bad = {"cases": [{"name": "typo", "given": {}, "expect": {"fires": ["R-STR-1"]}}]}
    out = run_cli("rules", "test", write_yaml(tmp_path / "bad.yaml", bad), "--kb", MINI, code=2).output
    assert "unknown id 'R-STR-1'" in out and "did you mean 'R-STR-01'?" in out


def test_a_case_with_a_dimension_all_not_applicable_is_refused_not_a_crash(tmp_path: Path) -> None:
    case = {"cases": [{"name": "culture n/a", "given": {"scores": {"culture.a": None, "culture.b": None}},
                       "expect": {"fires": ["R-STR-01"]}}]}
    out = run_cli("rules", "test", write_yaml(tmp_path / "na.yaml", case), "--kb", MINI, code=2).output
    assert "na.yaml:" in out and "cases[0].given.scores" in out
    assert "every criterion of dimension 'culture' is marked not applicable" in out and "culture.a, culture.b" in out


def test_a_case_reporting_an_unknown_outcome_indicator_is_bad_input(tmp_path: Path) -> None:
    from ..conftest import ROOT
    case = {"cases": [{"name": "typo", "given": {"outcomes": ["citizen_satisfation"]}, "expect": {"not_fires": ["R-STR-17"]}}]}
    out = run_cli("rules", "test", write_yaml(tmp_path / "bad.yaml", case), "--kb", ROOT, code=2).output
    assert "unknown outcome indicator 'citizen_satisfation'" in out and "citizen_satisfaction" in out
