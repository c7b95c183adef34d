"""Turn what fired into Findings: weaknesses with their traces and severity, actions with their reasons."""

from __future__ import annotations

from .knowledge import KnowledgeBase
from .models.results import ActionFinding, Findings, Firing, Match, Scores, WeaknessFinding
from .program import Firings
from .scoring import rnd


def _gap(m: Match, scores: Scores, kb: KnowledgeBase) -> float:
    """How urgent one matched fact is: the weight of its dimension x its distance below 5."""
    if m.kind == "criterion":
        crit = next(c for c in scores.criteria if c.id == m.fact)
        return scores.dimension(crit.dimension).weight * (5 - (crit.score or 5))
    if m.kind == "dimension":
        d = scores.dimension(m.fact)
        return d.weight * (5 - d.score)
    if m.kind == "overall":
        return (5 - scores.overall_score) / len(kb.dimensions)
    return 0.0


def build(kb: KnowledgeBase, scores: Scores, fired: Firings) -> Findings:
    severity: dict[str, float] = {}
    traces: dict[str, list[Firing]] = {}
    for rule_id in sorted(fired.diagnostic):
        rule = kb.rules[rule_id]
        for branch, matched in sorted(fired.diagnostic[rule_id].items()):
            gaps = [_gap(m, scores, kb) for m in matched]
            gap = max(gaps) if any(gaps) else (5 - scores.overall_score) / len(kb.dimensions)
            urgency = gap * (6 - rule.priority) / 5
            for w in rule.then:
                traces.setdefault(w, []).append(Firing(rule=rule_id, branch=branch, matched=matched))
                severity[w] = max(severity.get(w, 0.0), urgency)
    achieved = set(fired.achieved)
    weaknesses = [
        WeaknessFinding(id=w, dimension=kb.weaknesses[w].dimension, severity=rnd(severity[w], 3), firings=traces[w],
                        addressed=bool(kb.remedies_for(w)) and set(kb.remedies_for(w)) <= achieved)
        for w in sorted(traces, key=lambda w: (-severity[w], w))]
    actions = []
    for a in sorted(fired.remedies):
        because = sorted(fired.remedies[a], key=lambda w: (-severity[w], w))
        achieved = fired.achieved.get(a)
        actions.append(ActionFinding(
            id=a, dimension=kb.actions[a].dimension, because=because, severity=rnd(severity[because[0]], 3),
            achieved=achieved is not None, achieved_trace=achieved[min(achieved)] if achieved else []))
    actions.sort(key=lambda f: (-f.severity, f.id))
    return Findings(
        weaknesses=weaknesses, actions=actions, achieved=sorted(fired.achieved),
        active_conditional_prerequisites={
            a: sorted({p for i in fired.prerequisites[a] for p in kb.actions[a].requires_if[i].requires})
            for a in sorted(fired.prerequisites)})
