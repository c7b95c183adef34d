"""What it takes to reach a target: the criteria that must rise, and a least-effort set of actions whose
``raises`` get every dimension there (greedy: most score gained per person-month first, prerequisites
counted in the cost), with the projected scores after them."""

from __future__ import annotations

from typing import Iterable, Protocol

from ..diagnosis.scoring import level_of, rnd
from ..models.knowledge import KnowledgeBase
from ..models.results import CriterionRise, DimensionGap, Gap, Scores
from . import effort


class Graph(Protocol):
    def predecessors(self, node: str) -> Iterable[str]: ...


def _dimension_score(weights: list[tuple[str, float]], values: dict[str, float]) -> float:
    """As scoring does: the weighted mean of the scored criteria (the plain mean if their weights are all 0)."""
    crit = [(c, w) for c, w in weights if c in values]
    total = sum(w for _, w in crit)
    if total == 0:
        return sum(values[c] for c, _ in crit) / len(crit)
    return sum(w * values[c] for c, w in crit) / total


def _unmet(g: Graph, a: str, satisfied: set[str], chosen: set[str]) -> set[str]:
    """``a`` and its prerequisites, transitively, that are neither satisfied nor already chosen."""
    out, stack = set(), [a]
    while stack:
        x = stack.pop()
        if x in out or x in satisfied or x in chosen:
            continue
        out.add(x)
        stack.extend(g.predecessors(x))
    return out


def gap(kb: KnowledgeBase, scores: Scores, targets: dict[str, int], satisfied: set[str], g: Graph,
        order: list[str]) -> Gap:
    """``g``: the action graph (prerequisite -> action); ``order``: a topological order of it."""
    values = {c.id: c.score for c in scores.criteria if c.score is not None}
    start = dict(values)
    goal = {d: float(targets[d]) for d in kb.dimensions if d in targets}
    weights = {d: [(c.id, c.weight) for c in kb.criteria_of(d)] for d in kb.dimensions}
    # per dimension: weighted sum and total weight of its scored criteria (all weights 1 when they are all 0,
    # as scoring falls back to the plain mean), so a raise changes a score by weight x rise / total
    weight_of: dict[str, tuple[str, float]] = {}
    total: dict[str, float] = {}
    for d, ws in weights.items():
        scored = [(c, w) for c, w in ws if c in values]
        plain = sum(w for _, w in scored) == 0
        for c, w in scored:
            weight_of[c] = (d, 1.0 if plain else w)
        total[d] = sum(weight_of[c][1] for c, _ in scored)
    sums = {d: sum(weight_of[c][1] * values[c] for c, _ in ws if c in values) for d, ws in weights.items()}

    def shortfall(delta: dict[str, float]) -> float:
        return sum(max(0.0, goal[d] - (sums[d] + delta.get(d, 0.0)) / total[d]) for d in goal if total[d])

    def rises(acts: set[str]) -> dict[str, float]:
        """criterion -> its score once ``acts`` are done (only those that rise)."""
        out: dict[str, float] = {}
        for a in acts:
            for r in kb.actions[a].raises:
                if r.criterion in values and r.to_level > max(values[r.criterion], out.get(r.criterion, 0.0)):
                    out[r.criterion] = float(r.to_level)
        return out

    def delta_of(new: dict[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for c, v in new.items():
            d, w = weight_of[c]
            out[d] = out.get(d, 0.0) + w * (v - values[c])
        return out

    def cost(acts: set[str]) -> float:
        return sum(effort.fte(kb, a) * kb.actions[a].duration_months for a in acts)

    chosen: set[str] = set()
    candidates = sorted(a for a, act in kb.actions.items() if act.raises and a not in satisfied)
    # what choosing an action brings in: itself and its unmet prerequisites (a chosen action's are chosen too)
    closure = {a: _unmet(g, a, satisfied, set()) for a in candidates}
    need = shortfall({})
    while need > 1e-9:
        best: tuple[float, str, set[str], dict[str, float]] | None = None
        for a in candidates:
            if a in chosen:
                continue
            own = rises({a})
            if not own or shortfall(delta_of(own)) >= need - 1e-9:
                continue    # the action itself lifts nothing that the targets still need
            add = closure[a] - chosen
            new = rises(add)
            gained = need - shortfall(delta_of(new))
            ratio = gained / max(cost(add), 1e-9)
            if best is None or ratio > best[0] + 1e-12:
                best = (ratio, a, add, new)
        if best is None:
            break
        chosen |= best[2]
        for d, x in delta_of(best[3]).items():
            sums[d] += x
        values.update(best[3])
        need = shortfall({})
    dims = []
    for d in kb.dimensions:
        now, after = scores.dimension(d).score, rnd(_dimension_score(weights[d], values))
        dims.append(DimensionGap(id=d, score=now, level=scores.dimension(d).level, target=targets.get(d, 0),
                                 projected=after, projected_level=level_of(after),
                                 reached=d not in goal or level_of(after) >= goal[d]))
    risen = [CriterionRise(id=c, score=start[c], to=values[c], by=rnd(values[c] - start[c]))
             for c in kb.criteria if c in values and values[c] > start[c]]
    return Gap(targets=targets, reachable=all(d.reached for d in dims), dimensions=dims, criteria=risen,
               actions=[a for a in order if a in chosen], person_months=round(cost(chosen), 2))
