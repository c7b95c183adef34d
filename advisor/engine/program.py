"""The knowledge base's conditions as one flat program, and what an evaluation of it fired.

Both evaluators (durable_rules in :mod:`advisor.engine.adapter`, plain Python in :mod:`advisor.engine.reference`)
run the same :class:`Program` and return the same :class:`Firings`, so they can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..models.knowledge import KnowledgeBase
from ..models.results import Match, Scores
from .conditions import Alternative, Atom, Facts, alternatives


@dataclass(frozen=True)
class Clause:
    """One alternative of one condition: what the engine compiles to a single durable_rules rule."""

    kind: str          # "diagnostic" | "achieved" | "prerequisite"
    owner: str         # rule id or action id
    branch: int        # 1-based alternative number
    alternative: Alternative
    index: int = 0     # requires_if position, for prerequisite clauses

    @property
    def name(self) -> str:
        return f"{self.kind[0]}|{self.owner}|{self.index}|{self.branch}"


@dataclass(frozen=True)
class Program:
    clauses: tuple[Clause, ...]
    remedies: tuple[tuple[str, str], ...]   # (action, weakness): the second layer

    @classmethod
    def of(cls, kb: KnowledgeBase) -> "Program":
        clauses: list[Clause] = []
        for rule in sorted(kb.rules.values(), key=lambda r: r.id):
            clauses += [Clause("diagnostic", rule.id, i, alt) for i, alt in enumerate(alternatives(rule.when), 1)]
        for action in sorted(kb.actions.values(), key=lambda a: a.id):
            if action.achieved_when is not None:
                clauses += [Clause("achieved", action.id, i, alt)
                            for i, alt in enumerate(alternatives(action.achieved_when), 1)]
            for j, cp in enumerate(action.requires_if):
                clauses += [Clause("prerequisite", action.id, i, alt, j)
                            for i, alt in enumerate(alternatives(cp.when), 1)]
        remedies = tuple(sorted((a.id, w) for a in kb.actions.values() for w in a.remedies))
        return cls(tuple(clauses), remedies)


@dataclass
class Firings:
    """Raw results of one evaluation: which rule alternatives fired on which facts."""

    diagnostic: dict[str, dict[int, Trace]] = field(default_factory=dict)   # rule -> branch -> trace
    weaknesses: set[str] = field(default_factory=set)
    remedies: dict[str, set[str]] = field(default_factory=dict)             # action -> weaknesses
    achieved: dict[str, dict[int, Trace]] = field(default_factory=dict)     # action -> branch -> trace
    prerequisites: dict[str, set[int]] = field(default_factory=dict)              # action -> requires_if indexes


#: each test of a fired alternative with the value it saw; turned into Match models only for output
Trace = tuple[tuple[Atom, Any], ...]


def trace_of(alt: Alternative, facts: Facts) -> Trace:
    """The trace of one alternative that held."""
    return tuple((atom, facts[atom.fact][atom.field]) for atom in alt)


def matches(trace: Trace) -> list[Match]:
    return [match(atom, value) for atom, value in trace]


@lru_cache(maxsize=1 << 16)
def match(atom: Atom, value: float | int | str | None) -> Match:
    """The output form of one passed test. Cached: the same tests and values recur across assessments,
    and Match is immutable."""
    shown = value if value is None or isinstance(value, str) else float(value)
    threshold = list(atom.value) if isinstance(atom.value, tuple) else float(atom.value)
    # built from validated data on a hot path: skip re-validation
    return Match.model_construct(kind=atom.kind, fact=atom.key or atom.kind, field=atom.field, value=shown,
                                 op=atom.symbol, threshold=threshold, test=atom.describe(value))


def facts_of(scores: Scores, context: dict[str, str], reported: dict[str, bool] | None = None) -> Facts:
    """The facts an assessment gives the rules: one per scored criterion, per dimension, overall, context, and
    one per outcome indicator of the knowledge base (``reported``: indicator id -> whether a figure is given)."""
    facts: Facts = {}
    for c in scores.criteria:
        if c.score is not None and c.level is not None:
            facts[("criterion", c.id)] = {"score": c.score, "level": c.level}
    for d in scores.dimensions:
        facts[("dimension", d.id)] = {"score": d.score, "level": d.level}
    facts[("overall", "")] = {"score": scores.overall_score, "level": scores.overall_level}
    facts[("context", "")] = dict(context)
    for indicator, given in (reported or {}).items():
        facts[("outcome", indicator)] = {"reported": int(given)}
    return facts
