"""Impact analysis: exactly the assessments whose findings change are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor import api
from advisor.errors import AdvisorError
from advisor.models.assessment import Assessment

from ..conditions_helpers import random_assessments
from ..conftest import MINI, edit_yaml, run_cli, write_yaml


def test_diff_reports_exactly_the_changed_assessments(mini_copy: Path, tmp_path: Path, mini) -> None:
    folder = tmp_path / "assessments"
    folder.mkdir()
    cases = random_assessments(mini, 40, seed=11)
    for i, c in enumerate(cases):
        write_yaml(folder / f"{i:02d}.yaml", c)
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(score={"at_most": 3}))
    # and the weakness's own threshold with it, or a score of 3 would still not be "low"
    edit_yaml(mini_copy / "knowledge_base/weaknesses/all.yaml",
              lambda d: d["weaknesses"][0].update(about=[{"criterion": "strategy.a", "below": 4}]))
    new = api.load_kb(mini_copy)
    # expected, computed independently with the reference evaluator
    expected = set()
    for i, c in enumerate(cases):
        a = Assessment.model_validate(c)
        old_w = {w.id for w in api.evaluate(a, mini, use_reference=True).findings.weaknesses}
        new_w = {w.id for w in api.evaluate(a, new, use_reference=True).findings.weaknesses}
        if old_w != new_w:
            expected.add(f"{i:02d}.yaml")
    assert 0 < len(expected) < len(cases)
    out = run_cli("rules", "diff", MINI, mini_copy, "--assessments", folder, "--format", "json").output
    data = json.loads(out)
    changed = {Path(c["file"]).name for c in data["changes"] if c["weaknesses_added"] or c["weaknesses_removed"]}
    assert changed == expected
    assert all(c["weaknesses_added"] == ["W-STR-LOW-A"] for c in data["changes"] if Path(c["file"]).name in expected)
    assert data["summary"]["weaknesses_added"] == len(expected) and data["summary"]["assessments"] == len(cases)
    text = run_cli("rules", "diff", MINI, mini_copy, "--assessments", folder).output   # exit 0 with differences
    assert f"{data['summary']['changed']} of {len(cases)} assessment(s) changed" in text


def test_diff_bad_input_exit_2(tmp_path: Path) -> None:
    run_cli("rules", "diff", MINI, MINI, "--assessments", tmp_path / "none", code=2)


def test_pairs_of_assessments_give_what_files_give(mini_copy: Path, tmp_path: Path, mini) -> None:
    """`rules diff` on files and the web's (key, Assessment) pairs are one function: the same changes."""
    folder = tmp_path / "assessments"
    folder.mkdir()
    cases = random_assessments(mini, 25, seed=5)
    for i, c in enumerate(cases):
        write_yaml(folder / f"{i:02d}.yaml", c)
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(score={"at_most": 3}))
    new = api.load_kb(mini_copy)
    by_files = api.rules_diff(mini, new, folder)
    seen: list[int] = []
    by_pairs = api.rules_impact(mini, new, [(str(folder / f"{i:02d}.yaml"), Assessment.model_validate(c))
                                            for i, c in enumerate(cases)], progress=seen.append)
    assert by_pairs == by_files and any(c.changed for c in by_pairs.changes)
    assert seen == list(range(1, len(cases) + 1))


def test_a_pair_the_new_knowledge_base_refuses_is_reported_with_its_key(mini_copy: Path, mini) -> None:
    a = Assessment.model_validate(random_assessments(mini, 1, seed=1)[0])
    bad = a.model_copy(update={"scores": {**a.scores, "no.such": a.scores[next(iter(a.scores))]}})
    with pytest.raises(AdvisorError) as err:
        api.rules_impact(mini, api.load_kb(mini_copy), [("round 7", bad)])
    assert err.value.problems[0].file == "round 7" and "no.such" in str(err.value)
