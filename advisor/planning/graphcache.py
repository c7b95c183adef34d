"""The action graph networkx computed for a knowledge base, kept between processes.

A roadmap needs the action graph (prerequisite or ordering constraint -> action) and its topological order
(ties by id). networkx builds both (:func:`advisor.planning.roadmap.graph`); for the same actions, edges
and code they are the same every time, so what networkx computed (the order, each action's predecessors
with the kind of the edge, its successors) is kept in the per-user cache folder and read back as a small
read-only :class:`ActionGraph`: a command whose knowledge base did not change plans without importing
networkx, and a roadmap is built from the same view whether the graph was read or computed.

The file is data, never code: JSON behind a SHA-256, read only through :mod:`advisor.private` (a file and
folder of this user that nobody else can write, never through a link). Its name is the digest of all the
graph is built from (the actions and edges in the order they are added, this code, networkx's own files),
so a changed knowledge base or a new networkx never meets an old graph; a file that fails any check
(checksum, format, edges other than those asked for, an order that is not topological) is ignored and
rebuilt.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from ..private import cache_dir, open_private, write_private

#: bump when the stored form changes
FORMAT = b"advisor-graph-cache-1"
MAGIC = FORMAT + b"\n"
KEEP = 32                # graph files kept (one per knowledge base and set of active conditional prerequisites)
MAX_BYTES = 64 << 20
KINDS = ("requires", "constraint")

#: (prerequisite or "before", action, kind)
Edge = tuple[str, str, str]


class ActionGraph:
    """What the planner asks of the action graph: the order, and each action's neighbours (read-only)."""

    __slots__ = ("order", "pred", "succ")

    def __init__(self, order: list[str], pred: dict[str, dict[str, str]], succ: dict[str, list[str]]) -> None:
        self.order = order    # topological, ties by id
        self.pred = pred      # action -> {predecessor: kind of the edge}, in networkx's order
        self.succ = succ      # action -> successors, in networkx's order

    def predecessors(self, node: str) -> Iterator[str]:
        return iter(self.pred[node])

    def successors(self, node: str) -> Iterator[str]:
        return iter(self.succ[node])

    def to_json(self) -> dict[str, Any]:
        return {"order": self.order, "pred": {a: list(ps.items()) for a, ps in self.pred.items()}, "succ": self.succ}

    @classmethod
    def from_json(cls, data: Any, nodes: list[str], edges: list[Edge]) -> ActionGraph | None:
        """The stored graph when it is exactly the graph of ``nodes`` and ``edges``; None otherwise."""
        if not isinstance(data, dict) or set(data) != {"order", "pred", "succ"}:
            return None
        order, pred, succ = data["order"], data["pred"], data["succ"]
        wanted = set(nodes)
        if (not isinstance(order, list) or not isinstance(pred, dict) or not isinstance(succ, dict)
                or len(order) != len(wanted) or set(order) != wanted or set(pred) != wanted or set(succ) != wanted):
            return None
        out_pred: dict[str, dict[str, str]] = {}
        for a, ps in pred.items():
            if not isinstance(ps, list) or not all(
                    isinstance(e, list) and len(e) == 2 and e[0] in wanted and e[1] in KINDS for e in ps):
                return None
            out_pred[a] = {p: k for p, k in ps}
        if not all(isinstance(ss, list) and all(s in wanted for s in ss) for ss in succ.values()):
            return None
        kinds = {(p, a): k for p, a, k in edges}   # as networkx keeps it: the last edge added between two
        arcs = {(p, a) for a, ps in out_pred.items() for p in ps}
        if (any(kinds.get((p, a)) != k for a, ps in out_pred.items() for p, k in ps.items()) or arcs != set(kinds)
                or arcs != {(a, s) for a, ss in succ.items() for s in ss} or sum(map(len, succ.values())) != len(arcs)):
            return None
        position = {a: i for i, a in enumerate(order)}
        if any(position[p] >= position[a] for p, a in arcs):
            return None
        return cls(order, out_pred, succ)


def _identity(name: str) -> str:
    """Size and time of a module's file, so that a changed module gives a new key."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None else None
    if origin is None:
        return f"{name}:?"
    st = os.stat(origin)
    return f"{name}:{st.st_size}:{st.st_mtime_ns}"


def key(nodes: list[str], edges: list[Edge]) -> str:
    """The digest of all the graph depends on: its nodes and edges in order, the code that builds it, networkx."""
    h = hashlib.sha256(FORMAT)
    for part in (_identity(__name__), _identity(f"{__package__}.roadmap"), _identity("networkx")):
        h.update(part.encode() + b"\0")
    h.update(json.dumps([nodes, edges], ensure_ascii=False, separators=(",", ":")).encode())
    return h.hexdigest()[:40]


def _path(digest: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"graph-{digest}.json"


def _read(path: Path) -> Any:
    fh = open_private(path)
    if fh is None:
        return None
    try:
        with fh:
            blob = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    head, _, rest = blob.partition(b"\n")
    checksum, _, payload = rest.partition(b"\n")
    if head + b"\n" != MAGIC or len(blob) > MAX_BYTES or hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def _write(path: Path, graph: ActionGraph) -> None:
    payload = json.dumps(graph.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    blob = MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    if write_private(path, lambda fh: fh.write(blob)):
        _prune(path.parent)


def _prune(folder: Path) -> None:
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    for old in sorted(folder.glob("graph-*.json"), key=age, reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)


def load(nodes: list[str], edges: list[Edge], build: Callable[[], ActionGraph]) -> ActionGraph:
    """The graph of ``nodes`` and ``edges`` from the cache, else ``build()`` (networkx), stored for next time."""
    path = _path(key(nodes, edges))
    if path is not None:
        found = ActionGraph.from_json(_read(path), nodes, edges)
        if found is not None:
            return found
    graph = build()
    if path is not None:
        _write(path, graph)
    return graph
