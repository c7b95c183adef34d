"""Scope: the plan holds what the target needs plus the safeguards (priority-1 findings about information security and
data protection, legal compliance, AI guardrails where AI is in use); every other recommended action waits as
"later", with the weaknesses it would remedy."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import Assessment
from advisor.planning import scope
from advisor.planning.roadmap import target_weaknesses

KB = api.load_kb()
EXAMPLE = yaml.safe_load(Path("examples/health-body.yaml").read_text(encoding="utf-8"))
STEPS = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]


def test_safeguard_rules_are_priority_1_and_of_the_three_kinds() -> None:
    guards = {r.id: r.safeguard for r in KB.rules.values() if r.safeguard}
    assert all(KB.rules[r].priority == 1 for r in guards) and set(guards.values()) == {"security", "legal", "ai"}
    # the AI guardrails apply where AI is in use: each such rule asks for AI use of at least 2
    for r in (r for r, kind in guards.items() if kind == "ai"):
        assert "technology.ai_use" in KB.rules[r].when.model_dump_json(), r
    # missing basics are urgent, but the target plans them, not the safeguards
    assert {"R-STR-01", "R-HUM-01", "R-ORG-01"}.isdisjoint(guards)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scores=st.lists(st.sampled_from(STEPS), min_size=len(KB.criteria), max_size=len(KB.criteria)),
       sector=st.sampled_from(["health", "social_protection", "economy", "other"]),
       level=st.sampled_from(["republican", "local"]), target=st.one_of(st.none(), st.integers(1, 5)))
def test_every_safeguard_remedy_is_planned_and_the_rest_is_later_with_why(scores, sector, level, target) -> None:
    data = {**EXAMPLE, "organisation": {**EXAMPLE["organisation"], "sector": sector, "government_level": level},
            "scores": {c: {"score": s, "evidence": "generated"} for c, s in zip(KB.criteria, scores)}}
    data.pop("outcomes", None)
    ev = api.evaluate(Assessment.model_validate(data), KB)
    rm = api.roadmap(ev, KB, targets={d: target for d in KB.dimensions} if target else None)
    planned = {i.id for i in rm.items}
    later = {x.id: x for x in rm.later}
    guards = scope.safeguards(KB, ev.findings)
    for w in guards:
        fired = [f.rule for f in (ev.findings.weakness(w).firings if ev.findings.weakness(w) else [])]
        assert any(KB.rules[r].priority == 1 and KB.rules[r].safeguard for r in fired)
    satisfied = set(rm.achieved) | set(ev.findings.achieved)
    for f in ev.findings.actions:
        if f.id in satisfied:
            continue
        if set(f.because) & guards:
            assert f.id in planned, f"{f.id} remedies the safeguard {set(f.because) & guards} but is not planned"
        elif f.id not in planned:
            # not dropped silently: later, with the weaknesses it would remedy, none of them a safeguard
            assert f.id in later and later[f.id].because and not set(later[f.id].because) & guards
    assert not set(later) & planned
    # and nothing else: a recommended action in the plan is a safeguard's remedy or what the target needs
    needed = set(rm.gap.actions) | {a for w in target_weaknesses(KB, ev.scores, rm.targets) for a in KB.remedies_for(w)}
    for i in rm.items:
        if i.status == "recommended":
            assert i.id in needed or set(i.because) & guards, i.id
    # the gap's actions (what the target needs) are planned too
    assert set(rm.gap.actions) - satisfied <= planned
