"""Turn what fired into Findings: one weakness per gap with all its reasons and a severity, actions with their reasons.

A weakness is a claim about the criteria (or dimensions) it is ``about``: it is kept only while one of them
scores below its threshold, and weaknesses whose main low fact is the same gap collapse into one finding
that keeps every reason (the others are listed under ``merged``).
"""

from __future__ import annotations

from ..engine.program import Firings, matches
from ..models.kb import About, Weakness
from ..models.knowledge import KnowledgeBase
from ..models.results import ActionFinding, Findings, Firing, Scores, WeaknessFinding
from .scoring import rnd

#: rule priority -> the band a reader sees (1 is the most urgent priority)
BANDS = {1: "high", 2: "medium", 3: "medium", 4: "low", 5: "low"}


def fact_values(scores: Scores) -> dict[tuple[str, str], float]:
    """(kind, id) -> score of every scored dimension and criterion: what :func:`low_about` reads."""
    values = {("dimension", d.id): d.score for d in scores.dimensions}
    values.update({("criterion", c.id): c.score for c in scores.criteria if c.score is not None})
    return values


def low_about(weakness: Weakness, values: dict[tuple[str, str], float]) -> list[About]:
    """The facts a weakness is about that score below its threshold (not scored counts as not low);
    ``values``: :func:`fact_values` of the scores."""
    return [a for a in weakness.about if a.fact in values and values[a.fact] < a.below]


def _gaps(scores: Scores, kb: KnowledgeBase) -> dict[tuple[str, str], float]:
    """How urgent each fact is: the weight of its dimension x its distance below 5."""
    dims = {d.id: d for d in scores.dimensions}
    gaps = {("dimension", d.id): d.weight * (5 - d.score) for d in scores.dimensions}
    gaps.update({("criterion", c.id): dims[c.dimension].weight * (5 - c.score)
                 for c in scores.criteria if c.score is not None})
    gaps[("overall", "overall")] = (5 - scores.overall_score) / len(kb.dimensions)
    return gaps


def _representative(kb: KnowledgeBase, members: list[str], gap: tuple[str, str], severity: dict[str, float]) -> str:
    """The weakness that names the gap itself (the criterion's own weakness), else the most severe."""
    own = [w for w in members if gap[0] == "criterion" and kb.weaknesses[w].criterion == gap[1]]
    return min(own or members, key=lambda w: (-severity[w], w))


def _about_gap(firings: list[Firing], gap: tuple[str, str]) -> list[Firing]:
    """The reasons of a merged weakness that speak of the gap (a rule may have fired on another of its facts)."""
    return [f for f in firings if any((m.kind, m.fact) == gap for m in f.matched)] or firings


def build(kb: KnowledgeBase, scores: Scores, fired: Firings) -> Findings:
    severity: dict[str, float] = {}
    priority: dict[str, int] = {}
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
                priority[w] = min(priority.get(w, 5), rule.priority)

    # the contract of a weakness, also for a knowledge base that was never linted: no claim about facts that score well
    values = fact_values(scores)
    low = {w: low_about(kb.weaknesses[w], values) for w in firings}
    groups: dict[tuple[str, str], list[str]] = {}
    for w in sorted(firings):
        if low[w]:
            groups.setdefault(low[w][0].fact, []).append(w)
    into: dict[str, str] = {}
    gap_of_head: dict[str, tuple[str, str]] = {}
    members_of: dict[str, list[str]] = {}
    for fact, members in groups.items():
        head = _representative(kb, members, fact, severity)
        gap_of_head[head] = fact
        members_of[head] = members     # sorted: the groups were filled in id order
        for w in members:
            into[w] = head

    achieved = set(fired.achieved)
    weaknesses = []
    for head in sorted(members_of):
        members = members_of[head]
        remedies = {a for w in members for a in kb.remedies_for(w)}
        weaknesses.append(WeaknessFinding(
            id=head, dimension=kb.weaknesses[head].dimension, severity=rnd(max(severity[w] for w in members), 3),
            band=BANDS[min(priority[w] for w in members)],
            firings=firings[head] + [f for m in members if m != head for f in _about_gap(firings[m], gap_of_head[head])],
            merged=[w for w in members if w != head],
            addressed=bool(remedies) and remedies <= achieved))
    weaknesses.sort(key=lambda f: (-f.severity, f.id))
    severity_of = {f.id: f.severity for f in weaknesses}

    actions = []
    for a in sorted(fired.remedies):
        because = sorted({into[w] for w in fired.remedies[a] if w in into}, key=lambda w: (-severity[w], w))
        if not because:
            continue
        traces = fired.achieved.get(a)
        actions.append(ActionFinding(
            id=a, dimension=kb.actions[a].dimension, because=because,
            severity=rnd(max(severity[w] for w in fired.remedies[a] if w in into), 3),
            achieved=traces is not None, achieved_trace=matches(traces[min(traces)]) if traces else []))
    actions.sort(key=lambda f: (-f.severity, f.id))
    shown: dict[str, list[str]] = {}
    for f in weaknesses:
        if not f.addressed:
            shown.setdefault(f.dimension, []).append(f.id)
    return Findings(
        weaknesses=weaknesses, actions=actions, achieved=sorted(fired.achieved),
        by_dimension=dict(sorted(shown.items(), key=lambda kv: (kv[0] == "cross", -severity_of[kv[1][0]], kv[0]))),
        active_conditional_prerequisites={
            a: sorted({p for i in fired.prerequisites[a] for p in kb.actions[a].requires_if[i].requires})
            for a in sorted(fired.prerequisites)})
