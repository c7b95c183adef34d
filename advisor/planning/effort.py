"""What one action takes: its owner role's staff time and its cost class (knowledge_base/planning.yaml), an
action's own figures where the file gives them, else its effort class's."""

from __future__ import annotations

from ..models.knowledge import KnowledgeBase


def fte(kb: KnowledgeBase, action: str) -> float:
    """The owner role's FTE while the action runs."""
    own = kb.planning.actions.get(action)
    if own is not None and own.fte is not None:
        return own.fte
    return kb.planning.effort[kb.actions[action].effort].fte


def cost_class(kb: KnowledgeBase, action: str) -> str | None:
    """The action's cost class, or ``None`` when the knowledge base has no cost classes."""
    if kb.planning.cost is None:
        return None
    own = kb.planning.actions.get(action)
    if own is not None and own.cost is not None:
        return own.cost
    return kb.planning.cost.by_effort[kb.actions[action].effort]


def person_months(kb: KnowledgeBase, action: str, coordinated: bool) -> float:
    """Staff time of an action: its owner's FTE, plus the coordinating role's when it takes part, times its months."""
    coord = kb.planning.coordination
    total = fte(kb, action) + (coord.fte if coord is not None and coordinated else 0.0)
    return round(total * kb.actions[action].duration_months, 2)
