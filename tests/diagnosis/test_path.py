"""The development path (seed 002): each example's stage with its reasons, no skipped stage, never back on a rise."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.diagnosis import path, pipeline, scoring
from advisor.engine.program import facts_of
from advisor.errors import AdvisorError
from advisor.models.assessment import Assessment, Entry, Organisation

from ..conftest import ROOT, edit_yaml, mini_assessment, run_cli, write_yaml


def make(kb, scores: dict[str, float | None], **org: str) -> Assessment:
    o = {"name": "x", "id": "x", "government_level": "republican", "sector": "default", "office_type": "centralised"}
    o.update(org)
    return Assessment(organisation=Organisation(**o), date=dt.date(2026, 1, 1), assessor="t",
                      scores={k: Entry(not_applicable=True) if v is None else Entry(score=v) for k, v in scores.items()})


def placement(kb, a: Assessment):
    return path.place(kb, facts_of(scoring.score(a, kb), pipeline.context_of(a)))


#: (example, stage, the tests that place it there, what the next stage still needs)
EXPECTED = {
    "local-akimat": ("e_government", {"organisation.automation", "organisation.platform_integration"},
                     {"organisation.service_design": 2, "strategy.monitoring": 2}),
    "health-body": ("e_government", {"organisation.automation", "organisation.platform_integration"},
                    {"organisation.service_design": 2}),
    "republican-ministry": ("e_government", {"organisation.automation", "organisation.platform_integration"},
                            {"organisation.service_design": 2, "strategy.monitoring": 2}),
    "mature-agency": ("open_government", {"organisation.platform_integration", "organisation.service_design",
                                          "strategy.monitoring"}, {"technology.ai_use": 3}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_example_is_placed_with_its_reasons(kb, name: str) -> None:
    stage, reasons, missing = EXPECTED[name]
    p = api.assess(ROOT / "examples" / f"{name}.yaml", kb).findings.path
    assert p is not None and p.stage == stage and p.stages == ["e_government", "open_government", "smart_government"]
    assert {m.fact for m in p.reasons} == reasons
    for m in p.reasons:   # every reason is a test that holds, on the value the body has
        assert m.value is not None and m.value >= m.threshold and m.op == ">="
    assert {m.fact: m.value for m in p.missing} == missing
    assert p.next_total - p.next_met == len(p.missing)


def test_no_stage_is_skipped(kb) -> None:
    """Smart-government capabilities without open government's leave a body at e-government."""
    scores = {c: 2.0 for c in kb.criteria}
    scores.update({c: 5.0 for c in ("organisation.platform_integration", "organisation.data_governance", "technology.big_data",
                                    "technology.ai_use", "technology.ai_governance")})
    scores["organisation.service_design"] = 4.0   # smart's threshold, and open's too; monitoring 2 keeps it out
    p = placement(kb, make(kb, scores))
    assert p.stage == "e_government" and p.next == "open_government"
    assert [m.fact for m in p.missing] == ["strategy.monitoring"]


def test_before_the_first_stage_and_at_the_last(kb) -> None:
    low = placement(kb, make(kb, {c: 1.0 for c in kb.criteria}))
    assert (low.stage, low.index, low.next, low.reasons) == (None, 0, "e_government", [])
    top = placement(kb, make(kb, {c: 5.0 for c in kb.criteria}))
    assert (top.stage, top.index, top.next, top.missing) == ("smart_government", 3, None, [])


def test_a_criterion_not_scored_is_named_as_missing(kb) -> None:
    scores: dict[str, float | None] = {c: 3.0 for c in kb.criteria}
    scores["organisation.service_design"] = None
    p = placement(kb, make(kb, scores))
    assert p.stage == "e_government"
    assert [(m.fact, m.value) for m in p.missing] == [("organisation.service_design", None)]


def test_a_knowledge_base_without_a_path_places_nobody(mini) -> None:
    a = api.validate_assessment(mini_assessment(), mini)
    assert api.evaluate(a, mini).findings.path is None


SCORES = st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_higher_score_never_moves_a_body_back(kb, data) -> None:
    ids = sorted(kb.criteria)
    scores = {c: data.draw(SCORES, label=c) for c in ids}
    raised = data.draw(st.sampled_from(ids), label="raised")
    by = data.draw(st.sampled_from([0.5, 1.0, 2.0, 4.0]), label="by")
    sector = data.draw(st.sampled_from(kb.sectors()), label="sector")
    before = placement(kb, make(kb, scores, sector=sector))
    after = placement(kb, make(kb, {**scores, raised: min(5.0, scores[raised] + by)}, sector=sector))
    assert after.index >= before.index
    # the placement is a prefix of the path: every stage up to it holds, the next does not
    assert after.stage is None or after.stages.index(after.stage) == after.index - 1
    assert (after.next is None) == (after.index == len(after.stages))


def test_the_loader_refuses_a_condition_that_could_move_a_body_back(tmp_path, mini_copy) -> None:
    (mini_copy / "knowledge_base" / "path.yaml").write_text((ROOT / "knowledge_base" / "path.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    edit_yaml(mini_copy / "knowledge_base" / "path.yaml", lambda d: d.update(stages=[{
        **d["stages"][0], "source": {"cite": ["test"]},
        "when": {"criterion": "strategy.a", "level": {"at_most": 3}}}]))
    with pytest.raises(AdvisorError) as err:
        api.load_kb(mini_copy)
    [problem] = err.value.problems
    assert problem.file.endswith("path.yaml") and problem.line is not None and problem.field == "stages[0].when"
    assert "at least" in problem.message and "at_least" in (problem.hint or "")
    file = write_yaml(tmp_path / "a.yaml", mini_assessment())
    out = run_cli("assess", file, "--kb", mini_copy, "--lang", "ru", code=2).output
    assert "path.yaml" in out and "условие этапа может проверять только" in out


def test_json_output_carries_the_placement(kb) -> None:
    import json
    data = json.loads(run_cli("assess", ROOT / "examples" / "mature-agency.yaml", "--format", "json").output)
    p = data["findings"]["path"]
    assert p["stage"] == "open_government" and p["next"] == "smart_government" and p["next_met"] == 5
