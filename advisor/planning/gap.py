"""What it takes to reach a target: the criteria that must rise, and a least-effort set of actions whose
``raises`` get every dimension there (greedy: most score gained per person-month first, prerequisites
counted in the cost), with the projected scores after them."""

from __future__ import annotations

from typing import Iterable, Protocol

from ..diagnosis.scoring import level_of, rnd
from ..models.knowledge import KnowledgeBase
from ..models.results import CriterionRise, DimensionGap, Gap, Scores


class Graph(Protocol):
    def predecessors(self, node: str) -> Iterable[str]: ...


def _dimension_score(kb: KnowledgeBase, dim: str, values: dict[str, float]) -> float:
    crit = [c for c in kb.criteria_of(dim) if c.id in values]
    total = sum(c.weight for c in crit)
    if total == 0:
        return sum(values[c.id] for c in crit) / len(crit)
    return sum(c.weight * values[c.id] for c in crit) / total


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

    def shortfall(v: dict[str, float]) -> float:
        return sum(max(0.0, goal[d] - _dimension_score(kb, d, v)) for d in goal)

    def raised(v: dict[str, float], acts: set[str]) -> dict[str, float]:
        out = dict(v)
        for a in sorted(acts):
            for r in kb.actions[a].raises:
                if r.criterion in out:
                    out[r.criterion] = max(out[r.criterion], float(r.to_level))
        return out

    def cost(acts: set[str]) -> float:
        return sum(kb.planning.effort[kb.actions[a].effort].fte * kb.actions[a].duration_months for a in acts)

    chosen: set[str] = set()
    candidates = sorted(a for a, act in kb.actions.items() if act.raises and a not in satisfied)
    need = shortfall(values)
    while need > 1e-9:
        best: tuple[float, str, set[str]] | None = None
        for a in candidates:
            if a in chosen:
                continue
            add = _unmet(g, a, satisfied, chosen)
            gained = need - shortfall(raised(values, add))
            if gained <= 1e-9:
                continue
            ratio = gained / max(cost(add), 1e-9)
            if best is None or ratio > best[0] + 1e-12:
                best = (ratio, a, add)
        if best is None:
            break
        chosen |= best[2]
        values = raised(values, best[2])
        need = shortfall(values)
    dims = []
    for d in kb.dimensions:
        now, after = scores.dimension(d).score, rnd(_dimension_score(kb, d, values))
        dims.append(DimensionGap(id=d, score=now, level=scores.dimension(d).level, target=targets.get(d, 0),
                                 projected=after, projected_level=level_of(after),
                                 reached=d not in goal or level_of(after) >= goal[d]))
    rises = [CriterionRise(id=c, score=start[c], to=values[c], by=rnd(values[c] - start[c]))
             for c in kb.criteria if c in values and values[c] > start[c]]
    return Gap(targets=targets, reachable=all(d.reached for d in dims), dimensions=dims, criteria=rises,
               actions=[a for a in order if a in chosen], person_months=round(cost(chosen), 2))
