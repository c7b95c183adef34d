"""Where a body stands on the path e-government -> open government -> smart government (seed 002).

The stages and what places a body at each are data (``knowledge_base/path.yaml``), in the rules' condition
language, evaluated here by the plain-Python evaluator: a body is at the last stage whose condition holds
together with every earlier stage's (stages are not skipped). Stage conditions only test lower bounds (the
loader refuses others), so the placement never falls when a score rises.
"""

from __future__ import annotations

from ..engine.conditions import Alternative, Facts, alt_holds, alternatives, failed_atoms
from ..engine.program import match, matches, trace_of
from ..models.knowledge import KnowledgeBase
from ..models.results import PathPlacement


def place(kb: KnowledgeBase, facts: Facts) -> PathPlacement | None:
    """The body's stage with the tests that place it there and those the next stage still needs."""
    if kb.path is None:
        return None
    stages = kb.path.stages
    reached, reasons = 0, []
    for k, stage in enumerate(stages, 1):
        held = next((alt for alt in alternatives(stage.when) if alt_holds(alt, facts)), None)
        if held is None:
            break
        reached, reasons = k, matches(trace_of(held, facts))
    nxt = stages[reached] if reached < len(stages) else None
    missing, met, total = [], 0, 0
    if nxt is not None:
        closest = _closest(alternatives(nxt.when), facts)
        failed = failed_atoms(closest, facts)
        missing = [match(atom, value) for atom, value in failed]
        met, total = len(closest) - len(failed), len(closest)
    return PathPlacement(stage=stages[reached - 1].id if reached else None, index=reached,
                         stages=[s.id for s in stages], reasons=reasons, next=nxt.id if nxt else None,
                         missing=missing, next_met=met, next_total=total)


def _closest(alts: list[Alternative], facts: Facts) -> Alternative:
    """The alternative that needs the fewest tests still to pass (the first of equals: the file's order)."""
    return min(alts, key=lambda alt: len(failed_atoms(alt, facts)))
