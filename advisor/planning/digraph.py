"""The action graph on the planning path: a small directed graph with what the planner asks of it.

networkx takes longer to import than a cold command takes to plan a roadmap, so the hot path uses this;
``roadmap.graph`` still builds the networkx graph for callers that want its algorithms. Insertion order,
edge attributes and the lexicographic topological order are networkx's, so results do not change.
"""

from __future__ import annotations

import heapq
from typing import Any, Iterator


class Digraph:
    def __init__(self) -> None:
        self.succ: dict[str, dict[str, dict[str, Any]]] = {}
        self.pred: dict[str, dict[str, dict[str, Any]]] = {}

    def add_node(self, n: str) -> None:
        if n not in self.succ:
            self.succ[n] = {}
            self.pred[n] = {}

    def add_edge(self, u: str, v: str, **attrs: Any) -> None:
        """As networkx: a repeated edge keeps one entry, its attributes updated."""
        self.add_node(u)
        self.add_node(v)
        data = self.succ[u].setdefault(v, {})
        data.update(attrs)
        self.pred[v][u] = data

    def __contains__(self, n: object) -> bool:
        return n in self.succ

    def __iter__(self) -> Iterator[str]:
        return iter(self.succ)

    def successors(self, n: str) -> Iterator[str]:
        return iter(self.succ[n])

    def predecessors(self, n: str) -> Iterator[str]:
        return iter(self.pred[n])

    def topological_order(self) -> list[str] | None:
        """networkx's ``lexicographical_topological_sort`` (ties by id); None when the graph has a cycle."""
        position = {n: i for i, n in enumerate(self.succ)}
        indegree = {n: len(p) for n, p in self.pred.items() if p}
        ready = [(n, position[n]) for n, p in self.pred.items() if not p]
        heapq.heapify(ready)
        out = []
        while ready:
            n, _ = heapq.heappop(ready)
            for child in self.succ[n]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    heapq.heappush(ready, (child, position[child]))
                    del indegree[child]
            out.append(n)
        return None if indegree else out
