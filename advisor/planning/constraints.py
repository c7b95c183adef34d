"""The orderings of ``knowledge_base/ordering.yaml`` as precedence edges over the whole action catalogue,
and what must precede an action once some actions are done or achieved.

A constraint "A before C" is an edge A -> C of the action graph whatever lies between them. Precedence is
transitive through any action, achieved or not, with one exception: a done or achieved action no longer
needs its own prerequisites (its outcome is there), so the ``requires`` edges into it are cut; the
constraint edges into it are kept, so "strategy before process inventory before automation" still puts the
strategy before automation when the inventory is already in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..errors import N_, Problem
from ..models.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from .graphcache import ActionGraph

#: (before, after, constraint id)
Edge = tuple[str, str, str]


def members(kb: KnowledgeBase, names: list[str]) -> list[str]:
    """Group names and action ids -> action ids, in the order given, each once."""
    out: list[str] = []
    for name in names:
        for a in kb.ordering.groups.get(name, [name]):
            if a not in out:
                out.append(a)
    return out


_CACHE: dict[tuple[object, str], list[Edge]] = {}


def edges(kb: KnowledgeBase) -> list[Edge]:
    """Every precedence edge the constraints give, sorted; an action is never ordered before itself."""
    key = (kb.root, kb.content_hash)
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = sorted({(b, a, c.id) for c in kb.ordering.constraints
                              for b in members(kb, c.before) for a in members(kb, c.after)
                              if a != b and a in kb.actions and b in kb.actions})
    return _CACHE[key]


def precedence(g: ActionGraph, satisfied: set[str]) -> Callable[[str], set[str]]:
    """``must_precede(a)``: every action that comes before ``a`` through any chain, in the action graph ``g``
    (edges of kind "requires" or "constraint") once the ``satisfied`` actions are done or achieved."""
    pred = g.pred
    memo: dict[str, set[str]] = {}

    def direct(a: str) -> list[str]:
        cut = a in satisfied
        return [p for p, kind in pred[a].items() if not (cut and kind == "requires")]

    def must_precede(a: str) -> set[str]:
        if a not in pred:
            return set()
        # depth first without recursion: a long chain of prerequisites must not hit the recursion limit
        stack = [a]
        while stack:
            x = stack[-1]
            if x in memo:
                stack.pop()
                continue
            todo = [p for p in direct(x) if p not in memo]
            if todo:
                stack.extend(todo)
                continue
            out: set[str] = set()
            for p in direct(x):
                out.add(p)
                out |= memo[p]
            memo[x] = out
            stack.pop()
        return memo[a]

    return must_precede


def reason_of(kb: KnowledgeBase, before: str, after: str) -> list[str]:
    """The ids of the constraints that put ``before`` directly before ``after``."""
    return [c for b, a, c in edges(kb) if (b, a) == (before, after)]


def check(kb: KnowledgeBase) -> list[Problem]:
    """Unknown group names or action ids in the constraints (the loader reports them with their lines)."""
    problems: list[Problem] = []
    origin = kb.origins.get("ordering:")
    for name, ids in kb.ordering.groups.items():
        for j, a in enumerate(ids):
            if a not in kb.actions and origin is not None:
                problems.append(origin.source.problem(
                    ("groups", name, j), N_("unknown action {action!r} in group {group!r}", action=a, group=name),
                    hint=N_("use an action id of knowledge_base/actions/")))
    for i, c in enumerate(kb.ordering.constraints):
        for side in ("before", "after"):
            for j, name in enumerate(getattr(c, side)):
                if name not in kb.ordering.groups and name not in kb.actions and origin is not None:
                    problems.append(origin.source.problem(
                        ("constraints", i, side, j),
                        N_("{constraint}: {name!r} is neither a group nor an action id", constraint=c.id, name=name),
                        hint=N_("one of the groups {groups}, or an action id", groups=", ".join(sorted(kb.ordering.groups)))))
    return problems
