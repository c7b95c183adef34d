"""Outcome indicators as rule evidence: a figure given or not is a fact, and a finding that results are not
measured never stands beside a reported figure."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from advisor import api
from advisor.engine.conditions import alternatives
from advisor.errors import AdvisorError
from advisor.models.assessment import Assessment
from advisor.models.conditions import Condition

from ..conftest import ROOT, edit_yaml

FINDING = "W-STR-OUTCOMES-NOT-MEASURED"


def ministry(benefits: float, reported: tuple[str, ...]) -> Assessment:
    data = yaml.safe_load((ROOT / "examples" / "republican-ministry.yaml").read_text(encoding="utf-8"))
    data["scores"]["strategy.benefits"] = benefits
    data["outcomes"] = {i: {"value": 50.0, "unit": "percent", "period": "2025", "source": "annual report"}
                        for i in reported} or None
    return Assessment.model_validate(data)


def found(ev) -> set[str]:
    return {x for w in ev.findings.weaknesses for x in [w.id, *w.merged]}


def test_no_outcome_figure_and_unmeasured_benefits_is_a_finding_with_a_plain_reason(kb) -> None:
    ev = api.evaluate(ministry(3, ()), kb)
    assert FINDING in found(ev) and "STR-08" in {a.id for a in ev.findings.actions}
    rm = api.roadmap(ev, kb)
    md = api.render_report(ev, rm, kb, "ru", "md")
    assert "не приведены значения показателей: «Удовлетворённость граждан услугами»" in md
    assert "reported" not in md and "outcome " not in md   # no raw fact syntax


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_any_reported_figure_means_the_finding_is_not_made(kb, n: int) -> None:
    for reported in combinations(sorted(kb.indicators()), n):
        for benefits in (1, 2.5, 3.5):
            assert FINDING not in found(api.evaluate(ministry(benefits, reported), kb)), (reported, benefits)


def test_the_examples_that_report_outcomes_never_get_the_finding(kb) -> None:
    for name in ("health-body", "mature-agency"):
        ev = api.assess(ROOT / "examples" / f"{name}.yaml", kb)
        assert ev.assessment.outcomes and FINDING not in found(ev)


def test_engine_and_reference_agree_on_outcome_facts(kb) -> None:
    for n in range(5):
        for reported in combinations(sorted(kb.indicators()), n):
            a = ministry(2.5, reported)
            assert api.evaluate(a, kb).findings == api.evaluate(a, kb, use_reference=True).findings


def test_outcome_tests_in_normal_form() -> None:
    cond = TypeAdapter(Condition)
    both = cond.validate_python({"all": [{"outcome": "x", "reported": True}, {"not": {"outcome": "x", "reported": True}}]})
    assert alternatives(both) == []                      # reported and not reported at once
    none = cond.validate_python({"not": {"outcome": "x", "reported": True}})
    assert [a.describe() for alt in alternatives(none) for a in alt] == ["x reported != 1"]


def test_an_unknown_indicator_in_a_rule_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    import shutil
    dest = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge_base", dest / "knowledge_base")
    shutil.copytree(ROOT / "rules", dest / "rules")
    edit_yaml(dest / "rules" / "strategy.yaml", lambda d: next(r for r in d["rules"] if r["id"] == "R-STR-17")
              ["when"]["all"].__setitem__(1, {"outcome": "projects_on_tiem", "reported": False}))
    with pytest.raises(AdvisorError) as err:
        api.load_kb(dest)
    assert "unknown outcome indicator 'projects_on_tiem'" in str(err.value) and "projects_on_time" in str(err.value)
