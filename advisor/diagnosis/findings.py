"""Turn what fired into Findings: weaknesses with their traces and severity, actions with their reasons."""

from __future__ import annotations

from ..engine.program import Firings, matches
from ..models.knowledge import KnowledgeBase
from ..models.results import ActionFinding, Findings, Firing, Scores, WeaknessFinding
from .scoring import rnd


def _gaps(scores: Scores, kb: KnowledgeBase) -> dict[tuple[str, str], float]:
    """How urgent each fact is: the weight of its dimension x its distance below 5."""
    dims = {d.id: d for d in scores.dimensions}
    gaps = {("dimension", d.id): d.weight * (5 - d.score) for d in scores.dimensions}
    gaps.update({("criterion", c.id): dims[c.dimension].weight * (5 - c.score)
                 for c in scores.criteria if c.score is not None})
    gaps[("overall", "overall")] = (5 - scores.overall_score) / len(kb.dimensions)
    return gaps


def build(kb: KnowledgeBase, scores: Scores, fired: Firings) -> Findings:
    severity: dict[str, float] = {}
    firings: dict[str, list[Firing]] = {}
    gap_of = _gaps(scores, kb)
    for rule_id in sorted(fired.diagnostic):
        rule = kb.rules[rule_id]
        for branch, trace in sorted(fired.diagnostic[rule_id].items()):
            matched = matches(trace)
            gaps = [gap_of.get((m.kind, m.fact), 0.0) for m in matched]
            gap = max(gaps) if any(gaps) else (5 - scores.overall_score) / len(kb.dimensions)
            urgency = gap * (6 - rule.priority) / 5
            for w in rule.then:
                firings.setdefault(w, []).append(Firing(rule=rule_id, branch=branch, matched=matched))
                severity[w] = max(severity.get(w, 0.0), urgency)
    achieved = set(fired.achieved)
    weaknesses = [
        WeaknessFinding(id=w, dimension=kb.weaknesses[w].dimension, severity=rnd(severity[w], 3), firings=firings[w],
                        addressed=bool(kb.remedies_for(w)) and set(kb.remedies_for(w)) <= achieved)
        for w in sorted(firings, key=lambda w: (-severity[w], w))]
    actions = []
    for a in sorted(fired.remedies):
        because = sorted(fired.remedies[a], key=lambda w: (-severity[w], w))
        traces = fired.achieved.get(a)
        actions.append(ActionFinding(
            id=a, dimension=kb.actions[a].dimension, because=because, severity=rnd(severity[because[0]], 3),
            achieved=traces is not None, achieved_trace=matches(traces[min(traces)]) if traces else []))
    actions.sort(key=lambda f: (-f.severity, f.id))
    return Findings(
        weaknesses=weaknesses, actions=actions, achieved=sorted(fired.achieved),
        active_conditional_prerequisites={
            a: sorted({p for i in fired.prerequisites[a] for p in kb.actions[a].requires_if[i].requires})
            for a in sorted(fired.prerequisites)})
