"""Roadmap: properties on generated action graphs, and the sources' ordering on the shipped knowledge base."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.errors import AdvisorError
from advisor.models.assessment import Assessment, DoneItem, InProgressItem, Progress
from advisor.models.common import Text
from advisor.models.kb import OrderingConstraint, OrderingFile
from advisor.models.results import ActionFinding, Findings, Firing, WeaknessFinding
from advisor.planning.roadmap import build, next_steps

from ..conftest import mini_assessment, write_yaml

GUARD = WeaknessFinding(id="W-STR-LOW-A", dimension="strategy", severity=1.0,
                        firings=[Firing(rule="R-STR-01", branch=1, matched=[])])


def generated_kb(mini, n: int, edges: list[tuple[int, int]], durations: list[int], ordering=None):
    """The mini knowledge base with its actions replaced by a generated DAG (edge i -> j only for i < j)."""
    proto = next(iter(mini.actions.values()))
    actions = {}
    for j in range(n):
        reqs = sorted({f"GEN-{i:02d}" for i, k in edges if k == j})
        actions[f"GEN-{j:02d}"] = proto.model_copy(update={
            "id": f"GEN-{j:02d}", "requires": reqs, "requires_if": [], "remedies": [],
            "duration_months": durations[j], "achieved_when": None, "raises": []})
    # a distinct content hash: derived data (the graph) is cached per knowledge-base content
    return dataclasses.replace(mini, actions=actions, ordering=ordering or OrderingFile(),
                               content_hash=f"gen-{n}-{edges}-{durations}-{ordering}")


@st.composite
def scenario(draw):
    n = draw(st.integers(1, 25))
    pairs = [(i, j) for j in range(n) for i in range(j)]
    edges = draw(st.lists(st.sampled_from(pairs), max_size=40, unique=True)) if pairs else []
    durations = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    ids = [f"GEN-{j:02d}" for j in range(n)]
    recommended = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    achieved = draw(st.lists(st.sampled_from(ids), unique=True))
    done = draw(st.lists(st.sampled_from(ids), unique=True))
    severity = {a: draw(st.integers(0, 1000)) / 100 for a in ids}
    cap = draw(st.one_of(st.none(), st.integers(1, 4)))
    return n, edges, durations, recommended, achieved, done, severity, cap


def run(mini, sc, shuffle_seed: int | None = None, ordering=None):
    n, edges, durations, recommended, achieved, done, severity, cap = sc
    kb = generated_kb(mini, n, edges, durations, ordering)
    # every finding remedies a safeguard (a weakness of a priority-1 rule), so the plan holds it whatever the target
    found = [ActionFinding(id=a, dimension="strategy", because=[GUARD.id], severity=severity[a], achieved=a in achieved)
             for a in recommended]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(found)
    findings = Findings(weaknesses=[GUARD], actions=found, achieved=sorted(achieved))
    progress = Progress(done=[DoneItem(action=a, date="2026-01-01") for a in done])
    scores = api.evaluate(Assessment.model_validate(mini_assessment()), mini).scores
    return kb, build(kb, scores, findings, progress, max_per_stage=cap)


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_roadmap_invariants(mini, sc) -> None:
    n, edges, durations, recommended, achieved, done, severity, cap = sc
    kb, rm = run(mini, sc)
    stage = {i.id: i.stage for i in rm.items}
    items = {i.id: i for i in rm.items}
    satisfied = set(achieved) | set(done)
    # no done or achieved action appears; every recommended one that is neither is planned or left for later
    assert not satisfied & set(stage)
    later = {x.id for x in rm.later}
    assert {a for a in recommended if a not in satisfied} <= set(stage) | later and not later & set(stage)
    for item in rm.items:
        for p in kb.actions[item.id].requires:
            # every prerequisite is in the same or an earlier stage (quarter), or already done/achieved
            assert p in satisfied or stage[p] <= item.stage
            if p in stage:
                assert items[p].finish_month <= item.start_month
        assert item.finish_month == item.start_month + item.duration_months
    if cap is not None:
        assert all(sum(1 for s in stage.values() if s == k) <= cap for k in set(stage.values()))
    # a stage is the quarter an action starts in: stage order is month order
    for a in rm.items:
        for b in rm.items:
            if a.start_month < b.start_month:
                assert a.stage <= b.stage
    # the critical path is a chain of prerequisites that ends the roadmap
    if rm.items:
        path = rm.critical_path
        assert items[path[-1]].finish_month == rm.total_months
        for a, b in zip(path, path[1:]):
            assert a in items[b].requires and items[a].finish_month == items[b].start_month
        assert rm.total_months == max(i.finish_month for i in rm.items)


@settings(max_examples=100, deadline=None)
@given(scenario(), st.integers(0, 1000))
def test_same_input_same_output(mini, sc, seed) -> None:
    assert run(mini, sc)[1] == run(mini, sc, shuffle_seed=seed)[1]


def test_added_prerequisites_say_who_pulled_them(mini) -> None:
    # GEN-00 -> GEN-01 -> GEN-02; only GEN-02 recommended
    sc = (3, [(0, 1), (1, 2)], [1, 2, 3], ["GEN-02"], [], [], {"GEN-00": 0, "GEN-01": 0, "GEN-02": 5.0}, None)
    _, rm = run(mini, sc)
    assert [(i.id, i.stage, i.status, i.pulled_by) for i in rm.items] == [
        ("GEN-00", 1, "prerequisite", ["GEN-02"]), ("GEN-01", 1, "prerequisite", ["GEN-02"]),
        ("GEN-02", 2, "recommended", [])]
    assert rm.total_months == 6 and rm.critical_path == ["GEN-00", "GEN-01", "GEN-02"]


def test_a_satisfied_prerequisite_ends_the_chain(mini) -> None:
    # an achieved action no longer needs its own prerequisites
    sc = (3, [(0, 1), (1, 2)], [1, 2, 3], ["GEN-02"], ["GEN-01"], [], {"GEN-00": 0, "GEN-01": 0, "GEN-02": 5.0}, None)
    _, rm = run(mini, sc)
    assert [i.id for i in rm.items] == ["GEN-02"] and rm.items[0].satisfied == ["GEN-01"]


def test_an_ordering_constraint_holds_through_an_achieved_action(mini) -> None:
    # GEN-00 before GEN-01 before GEN-02 as constraints (no prerequisites), GEN-01 achieved: GEN-02 still waits
    text = Text(kk="а", ru="б", en="c")
    ordering = OrderingFile(constraints=[
        OrderingConstraint(id="a", before=["GEN-00"], after=["GEN-01"], reason=text, source="test"),
        OrderingConstraint(id="b", before=["GEN-01"], after=["GEN-02"], reason=text, source="test")])
    sc = (3, [], [1, 2, 3], ["GEN-00", "GEN-02"], ["GEN-01"], [], {"GEN-00": 0, "GEN-01": 0, "GEN-02": 5.0}, None)
    _, rm = run(mini, sc, ordering=ordering)
    assert [(i.id, i.requires, i.start_month) for i in rm.items] == [("GEN-00", [], 0), ("GEN-02", ["GEN-00"], 1)]


def test_capacity_moves_less_urgent_actions_later(mini) -> None:
    sc = (3, [], [1, 1, 1], ["GEN-00", "GEN-01", "GEN-02"], [], [], {"GEN-00": 1.0, "GEN-01": 3.0, "GEN-02": 2.0}, 1)
    _, rm = run(mini, sc)
    assert [(i.id, i.stage) for i in rm.items] == [("GEN-01", 1), ("GEN-02", 2), ("GEN-00", 3)]


def test_next_steps_and_in_progress(mini) -> None:
    sc = (3, [(0, 2), (1, 2)], [1, 1, 1], ["GEN-02"], [], [], {"GEN-00": 1.0, "GEN-01": 2.0, "GEN-02": 3.0}, None)
    kb, _ = run(mini, sc)
    scores = api.evaluate(Assessment.model_validate(mini_assessment()), mini).scores
    findings = Findings(weaknesses=[GUARD], actions=[ActionFinding(id="GEN-02", dimension="strategy", because=[GUARD.id], severity=3.0,
                                                              achieved=False)], achieved=[])
    rm = build(kb, scores, findings, Progress(in_progress=[InProgressItem(action="GEN-01")]))
    nx = next_steps(kb, rm)
    assert [a.id for a in nx.ready] == ["GEN-00"] and nx.ready[0].unblocks == ["GEN-02"]
    assert nx.in_progress == ["GEN-01"]
    assert [(b.id, b.blocked_by) for b in nx.blocked] == [("GEN-02", ["GEN-00", "GEN-01"])]


@pytest.mark.parametrize("spec", [["0"], ["6"], ["technology=9"], ["tech=4"], ["x"]])
def test_bad_targets_are_refused(mini, spec) -> None:
    with pytest.raises(AdvisorError):
        api.parse_targets(spec, mini)


def test_targets_pull_level_weaknesses(mini) -> None:
    ev = api.evaluate(Assessment.model_validate(mini_assessment()), mini)   # culture is level 1
    plain = api.roadmap(ev, mini, targets=api.parse_targets(["2"], mini))
    assert "HUM-02" not in {i.id for i in plain.items} and plain.target_source == "option"
    aimed = api.roadmap(ev, mini, targets=api.parse_targets(["culture=3"], mini))
    item = next(i for i in aimed.items if i.id == "HUM-02")
    assert item.status == "target" and item.because == ["W-HUM-L2-1"]
    assert item.start_month >= next(i.finish_month for i in aimed.items if i.id == "HUM-01")


def test_progress_of_another_body_is_refused(tmp_path, mini) -> None:
    a = Assessment.model_validate(mini_assessment())
    path = write_yaml(tmp_path / "p.yaml", {"organisation": "other", "done": []})
    with pytest.raises(AdvisorError, match="progress is for organisation 'other'"):
        api.load_progress(path, mini, a)


def test_a_merged_action_id_in_a_progress_file_counts_as_the_new_action_in_progress(tmp_path, kb) -> None:
    """Offices keep progress files across knowledge-base versions: STR-07 and STR-09 were merged into STR-06,
    so a record of either is read as STR-06 under way (only part of its scope is done), never refused or lost."""
    assert kb.successor("STR-07") == kb.successor("STR-09") == "STR-06" and kb.successor("ORG-06") == "STR-10"
    a = api.assess("examples/health-body.yaml", kb).assessment
    path = write_yaml(tmp_path / "p.yaml", {"organisation": a.organisation.id,
                                            "done": [{"action": "STR-07", "date": "2026-01-15"}],
                                            "in_progress": [{"action": "STR-09"}]})
    progress = api.load_progress(path, kb, a)
    rm = api.roadmap(api.evaluate(a, kb), kb, progress)
    item = next(i for i in rm.items if i.id == "STR-06")
    assert item.status == "in_progress" and "STR-06" not in rm.done
    assert not {"STR-07", "STR-09"} & ({i.id for i in rm.items} | set(rm.done))
    # the new action recorded done wins over an old record of a part of it
    both = Progress(done=[DoneItem(action="STR-06", date="2026-02-01")], in_progress=[InProgressItem(action="STR-07")])
    rm = api.roadmap(api.evaluate(a, kb), kb, both)
    assert "STR-06" in rm.done and "STR-06" not in {i.id for i in rm.items}


def test_a_retired_id_must_name_no_current_action(mini_copy) -> None:
    from ..conftest import edit_yaml
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml",
              lambda d: d["actions"][1].update(replaces=[d["actions"][0]["id"]]))
    with pytest.raises(AdvisorError, match="is still an action of the catalogue"):
        api.load_kb(mini_copy)
