"""The gap's greedy keeps each candidate's figures between rounds; it must choose exactly what the plain greedy
(every candidate's figures computed afresh each round, written out below as the specification) chooses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import Assessment
from advisor.models.knowledge import KnowledgeBase
from advisor.models.results import Scores
from advisor.planning import effort, roadmap
from advisor.planning import gap as gap_mod

KB = api.load_kb()
HALVES = [x / 2 for x in range(2, 11)]


def unmet(g, a: str, satisfied: set[str], chosen: set[str]) -> set[str]:
    """The reference: ``a`` and its prerequisites, transitively, that are neither satisfied nor already chosen."""
    out, stack = set(), [a]
    while stack:
        x = stack.pop()
        if x in out or x in satisfied or x in chosen:
            continue
        out.add(x)
        stack.extend(g.predecessors(x))
    return out


def plain_greedy(kb: KnowledgeBase, scores: Scores, targets: dict[str, int], satisfied: set[str], g) -> set[str]:
    """Most shortfall cut per person-month first, prerequisites counted in the cost; ties to the first id."""
    values = {c.id: c.score for c in scores.criteria if c.score is not None}
    weight_of, total = {}, {}
    for d in kb.dimensions:
        scored = [(c.id, c.weight) for c in kb.criteria_of(d) if c.id in values]
        plain = sum(w for _, w in scored) == 0
        for c, w in scored:
            weight_of[c] = (d, 1.0 if plain else w)
        total[d] = sum(weight_of[c][1] for c, _ in scored)

    def shortfall(extra: dict[str, float]) -> float:
        trial = {**values, **extra}
        return sum(max(0.0, targets[d] - sum(weight_of[c][1] * trial[c] for c in trial if weight_of[c][0] == d)
                       / total[d]) for d in kb.dimensions if d in targets and total[d])

    def rises(acts: set[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        for a in acts:
            for r in kb.actions[a].raises:
                if r.criterion in values and r.to_level > max(values[r.criterion], out.get(r.criterion, 0.0)):
                    out[r.criterion] = float(r.to_level)
        return out

    def cost(acts: set[str]) -> float:
        return sum(effort.fte(kb, a) * kb.actions[a].duration_months for a in acts)

    chosen: set[str] = set()
    candidates = sorted(a for a, act in kb.actions.items() if act.raises and a not in satisfied)
    closure = {a: unmet(g, a, satisfied, set()) for a in candidates}
    while (need := shortfall({})) > 1e-9:
        best = None
        for a in candidates:
            if a in chosen or need - shortfall(rises({a})) <= 1e-9:
                continue
            add = closure[a] - chosen
            ratio = (need - shortfall(rises(add))) / max(cost(add), 1e-9)
            if best is None or ratio > best[0] + 1e-12:
                best = (ratio, add)
        if best is None:
            break
        values.update(rises(best[1]))
        chosen |= best[1]
    return chosen


@st.composite
def cases(draw):
    scores = {c: draw(st.sampled_from(HALVES + ["n/a"])) for c in KB.criteria}
    if all(v == "n/a" for v in scores.values()):
        scores[next(iter(KB.criteria))] = 1.0
    targets = {d: draw(st.integers(1, 5)) for d in KB.dimensions if draw(st.booleans())}
    satisfied = set(draw(st.lists(st.sampled_from(sorted(KB.actions)), max_size=30, unique=True)))
    return scores, targets, satisfied


@settings(max_examples=120, deadline=None)
@given(cases())
def test_the_gap_chooses_what_the_plain_greedy_chooses(case) -> None:
    raw, targets, satisfied = case
    assessment = Assessment.model_validate({
        "organisation": {"name": "Body", "id": "body", "government_level": "local", "sector": "default",
                         "office_type": "centralised"},
        "date": "2026-01-01", "assessor": "A",
        "scores": {c: ({"not_applicable": True} if v == "n/a" else v) for c, v in raw.items()}})
    scores = api.evaluate(assessment, KB).scores
    g, order = roadmap._graph_and_order(KB, {})
    got = gap_mod.gap(KB, scores, targets, satisfied, g, order)
    expected = plain_greedy(KB, scores, targets, satisfied, g)
    assert set(got.actions) == expected
    assert got.actions == [a for a in order if a in expected]
