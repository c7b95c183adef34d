"""The reference evaluator: the knowledge base's program run in plain Python.

It must give exactly what the durable_rules engine gives (a differential test checks this); it also
answers "why not?" questions and serves the linter, where running the engine would be indirect.
"""

from __future__ import annotations

from .conditions import Facts, alt_holds
from .program import Firings, Program, trace_of


def evaluate(program: Program, facts: Facts, then: dict[str, list[str]]) -> Firings:
    """Evaluate every clause; ``then`` maps a rule id to the weaknesses it asserts."""
    out = Firings()
    for clause in program.clauses:
        if not alt_holds(clause.alternative, facts):
            continue
        if clause.kind == "diagnostic":
            out.diagnostic.setdefault(clause.owner, {})[clause.branch] = trace_of(clause.alternative, facts)
            out.weaknesses.update(then[clause.owner])
        elif clause.kind == "achieved":
            out.achieved.setdefault(clause.owner, {})[clause.branch] = trace_of(clause.alternative, facts)
        else:
            out.prerequisites.setdefault(clause.owner, set()).add(clause.index)
    for action, weakness in program.remedies:
        if weakness in out.weaknesses:
            out.remedies.setdefault(action, set()).add(weakness)
    return out
