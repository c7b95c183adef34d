"""What it takes to reach a target: the criteria that must rise, and a least-effort set of actions whose
``raises`` get every dimension there (greedy: most score gained per person-month first, prerequisites
counted in the cost), with the projected scores after them."""

from __future__ import annotations

from dataclasses import dataclass
from math import inf
from typing import Iterable, Protocol

from ..diagnosis.scoring import level_of, rnd
from ..models.knowledge import KnowledgeBase
from ..models.results import CriterionRise, DimensionGap, Gap, Scores
from . import effort


class Graph(Protocol):
    def predecessors(self, node: str) -> Iterable[str]: ...


@dataclass(frozen=True)
class _Catalogue:
    """What the gap reads of a knowledge base, the same for every assessment: made once per knowledge base."""

    weights: dict[str, list[tuple[str, float]]]     # dimension -> its criteria and their weights
    cost: dict[str, float]                          # action -> person-months
    raisers: list[str]                              # the actions with a ``raises``, by id
    raises: dict[str, list[tuple[str, float]]]      # action -> the highest level it raises each criterion to, by criterion


_CACHE: dict[tuple[object, ...], tuple[object, object, object, _Catalogue]] = {}


def _catalogue(kb: KnowledgeBase) -> _Catalogue:
    # keyed as the action graph is, and checked to be of these very tables: a copy of a knowledge base with other
    # actions or criteria but the same hash (a test's) gets its own
    key = (kb.root, kb.content_hash)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is kb.actions and hit[1] is kb.criteria and hit[2] is kb.planning:
        return hit[3]
    raises: dict[str, list[tuple[str, float]]] = {}
    for a, act in kb.actions.items():
        top: dict[str, float] = {}
        for r in act.raises:
            if r.to_level > top.get(r.criterion, 0.0):
                top[r.criterion] = float(r.to_level)
        raises[a] = sorted(top.items())
    cat = _Catalogue(weights={d: [(c.id, c.weight) for c in kb.criteria_of(d)] for d in kb.dimensions},
                     cost={a: effort.fte(kb, a) * act.duration_months for a, act in kb.actions.items()},
                     raisers=sorted(a for a, act in kb.actions.items() if act.raises), raises=raises)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (kb.actions, kb.criteria, kb.planning, cat)
    return cat


def _dimension_score(weights: list[tuple[str, float]], values: dict[str, float]) -> float:
    """As scoring does: the weighted mean of the scored criteria (the plain mean if their weights are all 0)."""
    crit = [(c, w) for c, w in weights if c in values]
    total = sum(w for _, w in crit)
    if total == 0:
        return sum(values[c] for c, _ in crit) / len(crit)
    return sum(w * values[c] for c, w in crit) / total


def _closures(g: Graph, order: list[str], satisfied: set[str], among: list[str]) -> dict[str, set[str]]:
    """For each of ``among``: itself and its prerequisites, transitively, that are not satisfied, for all of
    them at once along the topological ``order`` (a satisfied action's own prerequisites are not needed)."""
    wanted = set(among)
    for a in reversed(order):       # every action some wanted one leads back to
        if a in wanted and a not in satisfied:
            wanted.update(g.predecessors(a))
    memo: dict[str, set[str]] = {}
    for a in order:
        if a in wanted:
            memo[a] = set() if a in satisfied else {a}.union(*(memo[p] for p in g.predecessors(a)))
    return {a: memo[a] for a in among}


def gap(kb: KnowledgeBase, scores: Scores, targets: dict[str, int], satisfied: set[str], g: Graph,
        order: list[str]) -> Gap:
    """``g``: the action graph (prerequisite -> action); ``order``: a topological order of it."""
    cat = _catalogue(kb)
    values = {c.id: c.score for c in scores.criteria if c.score is not None}
    start = dict(values)
    goal = {d: float(targets[d]) for d in kb.dimensions if d in targets}
    weights = cat.weights
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

    cost_of = cat.cost

    def cost(acts: set[str]) -> float:
        return sum(cost_of[a] for a in acts)

    def short(d: str, s: float) -> float:
        return max(0.0, goal[d] - s / total[d])

    # per dimension, the criteria an action set can raise with the score each can reach and its weight
    Lift = list[tuple[str, list[tuple[str, float, float]]]]

    def lifts(acts: Iterable[str]) -> Lift:
        """What ``acts`` can raise, each criterion once at the highest score they reach (by criterion id)."""
        top: dict[str, float] = {}
        for x in acts:
            for c, to in cat.raises[x]:
                if c in values and to > top.get(c, 0.0):
                    top[c] = to
        out: dict[str, list[tuple[str, float, float]]] = {}
        for c, to in sorted(top.items()):
            d, w = weight_of[c]
            out.setdefault(d, []).append((c, to, w))
        return list(out.items())

    def gain(lift: Lift, cur: dict[str, float]) -> float:
        """How much doing what ``lift`` lists cuts the shortfall (``cur``: each short dimension's)."""
        out = 0.0
        for d, raises in lift:
            if d in cur:
                delta = 0.0
                for c, to, w in raises:
                    if to > values[c]:
                        delta += w * (to - values[c])
                out += cur[d] - max(0.0, goal[d] - (sums[d] + delta) / total[d])
        return out

    chosen: set[str] = set()
    candidates = [a for a in cat.raisers if a not in satisfied]
    # what choosing an action brings in: itself and its unmet prerequisites (a chosen action's are chosen too);
    # what a chosen action raises is reached already, so it may stay among the lifts
    closure = _closures(g, order, satisfied, candidates)
    own = {a: lifts((a,)) for a in candidates}
    # an action with no unmet prerequisite lifts what it lifts itself: the same list, its gain computed once
    lift = {a: own[a] if len(closure[a]) == 1 else lifts(closure[a]) for a in candidates}
    # Greedy, with each candidate's ratio kept between rounds: it changes only when part of its closure gets
    # chosen (computed again) or a dimension it raises moves. Then its gain can only fall (scores only rise,
    # and a shortfall is convex in them) at the same cost, so the old ratio is an upper bound and is computed
    # again only while it could still beat the best one: the choices of computing all afresh.
    # which candidates a chosen action or a moved dimension concerns, so a round looks only at those
    holders: dict[str, list[str]] = {}
    raising: dict[str, list[str]] = {}
    for a in candidates:
        for member in closure[a]:
            holders.setdefault(member, []).append(a)
        for d, _ in lift[a]:
            raising.setdefault(d, []).append(a)
    known: dict[str, float] = {}
    price: dict[str, float] = {}
    stale: set[str] = set()

    def compute(a: str, cur: dict[str, float]) -> None:
        stale.discard(a)
        known.pop(a, None)
        # an action that lifts nothing the targets still need never will: it leaves for good
        alone = gain(own[a], cur)
        if alone > 1e-9:
            if a not in price:     # what it brings in costs the same until part of it gets chosen
                price[a] = max(cost(closure[a] - chosen), 1e-9)
            known[a] = (alone if lift[a] is own[a] else gain(lift[a], cur)) / price[a]

    while True:
        cur = {d: x for d in goal if total[d] and (x := short(d, sums[d])) > 0}
        if sum(cur.values()) <= 1e-9:
            break
        for a in candidates:
            if a not in known:
                compute(a, cur)
        top = max((known[a] for a in known if a not in stale), default=-inf)
        while stale:
            a = max(stale, key=known.__getitem__)
            if known[a] <= top - 1e-9:
                break
            compute(a, cur)
            if a in known:
                top = max(top, known[a])
        candidates = [a for a in candidates if a in known]
        pick: str | None = None
        for a in candidates:
            if a not in stale and (pick is None or known[a] > known[pick] + 1e-12):
                pick = a
        if pick is None:
            break
        add = closure[pick] - chosen
        chosen |= add
        new = {c: to for _, raises in lift[pick] for c, to, _ in raises if to > values[c]}
        moved: dict[str, float] = {}
        for c, v in new.items():
            d, w = weight_of[c]
            moved[d] = moved.get(d, 0.0) + w * (v - values[c])
        for d, x in moved.items():
            sums[d] += x
        values.update(new)
        for taken in add:
            for a in holders.get(taken, ()):
                price.pop(a, None)
                if a in known:
                    del known[a]
                    stale.discard(a)
        for d in moved:
            stale.update(a for a in raising.get(d, ()) if a in known)
        candidates = [a for a in candidates if a not in chosen]
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
