"""The ordering the sources demand holds in the shipped knowledge base and in real roadmaps."""

from __future__ import annotations

import networkx as nx
import pytest

from advisor import api
from advisor.engine.conditions import alt_holds, alternatives
from advisor.models.assessment import Assessment
from advisor.planning.roadmap import graph

from ..conditions_helpers import random_assessments

CHAINS = [
    # strategy and governance before automation
    ("STR-03", "ORG-03"), ("ORG-03", "ORG-04"), ("ORG-04", "ORG-07"), ("STR-02", "ORG-01"),
    # information security and data governance before big data and AI
    ("TEC-02", "TEC-08"), ("ORG-09", "TEC-08"), ("TEC-03", "TEC-08"), ("TEC-08", "TEC-12"), ("ORG-09", "TEC-12"),
    # staff digital training before AI
    ("HUM-03", "HUM-05"), ("HUM-05", "TEC-11"),
    # AI governance before any AI use; monitoring and evaluation before smart monitoring
    ("TEC-10", "TEC-11"), ("STR-10", "TEC-13"), ("STR-05", "STR-10"),
    # in every sector: security before any AI; fallback, AI monitoring and change management before each scenario
    ("TEC-02", "TEC-11"), ("TEC-02", "TEC-12"), ("TEC-02", "TEC-13"), ("TEC-41", "TEC-11"), ("TEC-42", "TEC-12"),
    ("TEC-42", "TEC-13"), ("HUM-10", "TEC-11"), ("HUM-10", "ORG-07"),
]


@pytest.mark.parametrize("simple, complex_", [("TEC-11", "TEC-12"), ("TEC-12", "TEC-13")])
def test_ai_phases_from_simple_to_complex_only_without_data_or_experience(kb, simple: str, complex_: str) -> None:
    # seed 004: phased introduction, but one scenario is no technical prerequisite of another
    assert simple not in nx.ancestors(graph(kb, {}), complex_)
    ctx = {("criterion", "technology.big_data"): {"score": 2, "level": 2},
           ("criterion", "technology.ai_use"): {"score": 1, "level": 1}}
    assert any(simple in cp.requires and any(alt_holds(alt, ctx) for alt in alternatives(cp.when))
               for cp in kb.actions[complex_].requires_if)


@pytest.mark.parametrize("before, after", CHAINS)
def test_prerequisite_chains(kb, before: str, after: str) -> None:
    assert before in nx.ancestors(graph(kb, {}), after)


@pytest.mark.parametrize("sector", ["health", "social_protection"])
def test_stricter_data_protection_before_ai_in_sensitive_sectors(kb, sector: str) -> None:
    ctx = {("context", ""): {"sector": sector, "government_level": "republican", "office_type": "centralised"}}
    for ai in ("TEC-11", "TEC-12", "TEC-13"):
        extra = {p for cp in kb.actions[ai].requires_if
                 if any(alt_holds(alt, ctx) for alt in alternatives(cp.when)) for p in cp.requires}
        assert {"TEC-09", "TEC-02"} <= extra, ai


def roadmaps(kb, n: int):
    for data in random_assessments(kb, n, seed=77):
        ev = api.evaluate(Assessment.model_validate(data), kb)
        yield ev, api.roadmap(ev, kb)


def test_every_prerequisite_is_earlier_or_satisfied_in_real_roadmaps(kb) -> None:
    checked = 0
    for ev, rm in roadmaps(kb, 300):
        g = graph(kb, ev.findings.active_conditional_prerequisites)
        end = {i.id: i.finish_month for i in rm.items}
        satisfied = set(ev.findings.achieved)
        for item in rm.items:
            for p in g.predecessors(item.id):
                assert p in satisfied or end[p] <= item.start_month, (item.id, p)
                checked += 1
    assert checked > 1000


def test_ai_comes_with_the_training_before_it(kb) -> None:
    seen = 0
    for ev, rm in roadmaps(kb, 300):
        stage = {i.id: i.stage for i in rm.items}
        end = {i.id: i.finish_month for i in rm.items}
        begin = {i.id: i.start_month for i in rm.items}
        if "TEC-11" not in stage:
            continue
        seen += 1
        done = set(ev.findings.achieved)
        assert "HUM-05" in done or end["HUM-05"] <= begin["TEC-11"]
        if "HUM-05" not in done:   # an office that already has AI literacy training needs no literacy programme first
            assert "HUM-03" in done or end["HUM-03"] <= begin["HUM-05"]
    assert seen > 5


def test_health_body_gets_privacy_before_ai(kb) -> None:
    from pathlib import Path
    ev = api.assess(Path(__file__).parents[2] / "examples" / "health-body.yaml", kb)
    rm = api.roadmap(ev, kb)
    stage = {i.id: i.stage for i in rm.items}
    end = {i.id: i.finish_month for i in rm.items}
    begin = {i.id: i.start_month for i in rm.items}
    ai = [a for a in ("TEC-11", "TEC-12", "TEC-13") if a in stage]
    assert ai, "the health example wants AI"
    for a in ai:
        for guard in ("TEC-09", "TEC-02"):
            assert guard in ev.findings.achieved or end[guard] <= begin[a]
