"""The shipped rule test cases (rules/tests/*.yaml), collected as pytest cases, and their meta-checks."""

from __future__ import annotations

import pytest

from advisor import api
from advisor.kb import ruletest

KB = api.load_kb()
CASES = ruletest.load_cases(ruletest.case_files(None, KB), KB)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: ruletest.LoadedCase) -> None:
    outcome = ruletest.run_case(case, KB)
    assert outcome.passed, f"{case.file}:{case.line}: " + "; ".join(outcome.failures)


def test_every_rule_has_a_firing_and_a_non_firing_case() -> None:
    fires = {r for c in CASES for r in c.case.expect.fires}
    not_fires = {r for c in CASES for r in c.case.expect.not_fires}
    assert set(KB.rules) - fires == set(), "rules without a firing case"
    assert set(KB.rules) - not_fires == set(), "rules without a non-firing case"


def test_coverage_is_complete() -> None:
    report = ruletest.run_all(CASES, KB, coverage=True)
    assert report.failed == []
    assert report.rules_uncovered == [] and report.actions_uncovered == [] and report.coverage == 100.0
