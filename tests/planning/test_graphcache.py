"""The cache of what networkx computed for the action graph: the same graph read back as computed, never
read when damaged, stale, foreign or writable by others, and a warm plan that does not import networkx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from advisor.models.knowledge import KnowledgeBase
from advisor.planning import graphcache, roadmap

from ..conftest import ROOT


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    return tmp_path / "cache" / "advisor"


class Counted:
    """networkx's computation of the graph, counting how often it runs (cache misses)."""

    def __init__(self, kb: KnowledgeBase, conditional: dict[str, list[str]] | None = None) -> None:
        self.nodes, self.edges = roadmap._parts(kb, conditional or {})
        self.runs = 0

    def __call__(self) -> graphcache.ActionGraph:
        self.runs += 1
        return roadmap._computed(self.nodes, self.edges)

    def load(self) -> graphcache.ActionGraph:
        return graphcache.load(self.nodes, self.edges, self)


def same(a: graphcache.ActionGraph, b: graphcache.ActionGraph) -> None:
    """Equal down to the order of every list and mapping (the planner's output may follow it)."""
    assert a.order == b.order
    assert [(k, list(v.items())) for k, v in a.pred.items()] == [(k, list(v.items())) for k, v in b.pred.items()]
    assert list(a.succ.items()) == list(b.succ.items())


def the_file(home: Path) -> Path:
    (f,) = home.glob("graph-*.json")
    return f


def test_the_graph_read_back_is_the_graph_networkx_computed(home: Path, kb: KnowledgeBase) -> None:
    import networkx as nx
    conditional = {a: [p for cp in act.requires_if for p in cp.requires] for a, act in kb.actions.items() if act.requires_if}
    built = Counted(kb, conditional)
    first = built.load()
    again = built.load()
    assert built.runs == 1
    same(again, first)
    g = roadmap.graph(kb, conditional)
    assert again.order == list(nx.lexicographical_topological_sort(g))
    for a in g:
        assert list(again.predecessors(a)) == list(g.predecessors(a))
        assert list(again.successors(a)) == list(g.successors(a))
        assert again.pred[a] == {p: e["kind"] for p, e in g.pred[a].items()}
    assert any(k == "constraint" for ps in again.pred.values() for k in ps.values())


def test_another_set_of_conditional_prerequisites_is_another_graph(home: Path, kb: KnowledgeBase) -> None:
    with_all = Counted(kb, {a: [p for cp in act.requires_if for p in cp.requires] for a, act in kb.actions.items()})
    without = Counted(kb, {})
    assert with_all.edges != without.edges
    with_all.load()
    without.load()
    assert (with_all.runs, without.runs) == (1, 1)
    assert len(list(home.glob("graph-*.json"))) == 2


def _forged(blob: bytes, change: Any) -> bytes:
    """The file with its data changed and a checksum that matches again (damage a checksum cannot catch)."""
    payload = blob.split(b"\n", 2)[2]
    data = json.loads(payload)
    change(data)
    new = json.dumps(data).encode()
    return graphcache.MAGIC + graphcache.hashlib.sha256(new).hexdigest().encode() + b"\n" + new


def _reverse_order(data: dict[str, Any]) -> None:
    data["order"].reverse()


def _drop_edge(data: dict[str, Any]) -> None:
    a = next(a for a, ps in data["pred"].items() if ps)
    data["pred"][a].pop()


def _wrong_kind(data: dict[str, Any]) -> None:
    ps = next(ps for ps in data["pred"].values() if ps)
    ps[0][1] = "constraint" if ps[0][1] == "requires" else "requires"


def _unknown_node(data: dict[str, Any]) -> None:
    data["succ"]["NOT-AN-ACTION"] = []


DAMAGE = {
    "truncated": lambda blob: blob[: len(blob) // 2],
    "flipped": lambda blob: blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:],
    "garbage": lambda blob: os.urandom(2000),
    "empty": lambda blob: b"",
    "other format": lambda blob: blob.replace(graphcache.FORMAT, b"advisor-graph-cache-0", 1),
    "not topological": lambda blob: _forged(blob, _reverse_order),
    "an edge missing": lambda blob: _forged(blob, _drop_edge),
    "a wrong kind": lambda blob: _forged(blob, _wrong_kind),
    "an unknown node": lambda blob: _forged(blob, _unknown_node),
    "not an object": lambda blob: _forged(blob, lambda data: data.clear()),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_or_forged_graph_is_ignored_and_rebuilt(home: Path, kb: KnowledgeBase, damage: str) -> None:
    built = Counted(kb)
    good = built.load()
    f = the_file(home)
    f.write_bytes(DAMAGE[damage](f.read_bytes()))
    same(built.load(), good)
    assert built.runs == 2                       # computed afresh
    same(built.load(), good)
    assert built.runs == 2                       # and the rebuilt file is used next time


def test_a_graph_of_another_knowledge_base_is_never_used(home: Path, kb: KnowledgeBase, mini: KnowledgeBase) -> None:
    """A stale file in place of this graph's (the name is the digest of the graph's input, so only a
    copy can put it there): its nodes and edges are not those asked for."""
    other = Counted(mini)
    other.load()
    stale = the_file(home).read_bytes()
    built = Counted(kb)
    good = built.load()
    for f in home.glob("graph-*.json"):
        f.write_bytes(stale)
    same(built.load(), good)
    assert built.runs == 2


@pytest.mark.parametrize("loose", ["file", "folder", "foreign file"])
def test_a_graph_others_can_write_is_never_read(home: Path, kb: KnowledgeBase, loose: str) -> None:
    built = Counted(kb)
    good = built.load()
    f = the_file(home)
    if loose == "file":
        f.chmod(0o660)
    elif loose == "folder":
        home.chmod(0o770)
    else:
        if os.geteuid() != 0:
            pytest.skip("giving a file to another user needs root")
        os.chown(f, 12345, 12345)
    same(built.load(), good)
    assert built.runs == 2
    if loose != "folder":                        # the file is replaced by one of this user's, mode 0600
        st = the_file(home).stat()
        assert (st.st_uid, st.st_mode & 0o777) == (os.geteuid(), 0o600)
        built.load()
        assert built.runs == 2


def test_a_link_in_place_of_the_graph_is_not_followed(home: Path, kb: KnowledgeBase, tmp_path: Path) -> None:
    built = Counted(kb)
    built.load()
    f = the_file(home)
    elsewhere = tmp_path / "elsewhere.json"
    f.rename(elsewhere)
    f.symlink_to(elsewhere)
    built.load()
    assert built.runs == 2


def test_without_a_cache_the_graph_is_computed_each_time(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    built = Counted(kb)
    same(built.load(), built.load())
    assert built.runs == 2


def test_old_graphs_are_pruned(home: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graphcache, "KEEP", 3)
    for i in range(5):
        built = Counted(kb)
        built.edges = built.edges[i:]            # five different graphs
        built.load()
    assert len(list(home.glob("graph-*.json"))) == 3


_WARM_PLAN = textwrap.dedent("""
    import sys
    from advisor import api
    kb = api.load_kb()
    ev, rm = api.plan_for({example!r}, kb)
    assert rm.items
    print("networkx" in sys.modules)
""")


@pytest.mark.parametrize("example", ["republican-ministry.yaml", "health-body.yaml"])
def test_a_plan_from_the_cache_does_not_import_networkx(tmp_path: Path, example: str) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("ADVISOR_NO_CACHE", None)
    code = _WARM_PLAN.format(example=str(ROOT / "examples" / example))

    def imported() -> str:
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                              cwd=tmp_path).stdout.strip()
    assert imported() == "True"                  # the first run computes the graph with networkx
    assert imported() == "False"                 # the next one reads it back
    for f in (tmp_path / "cache" / "advisor").glob("graph-*.json"):
        f.unlink()
    assert imported() == "True"                  # the knowledge base still cached, but not the graph


_LOAD = "import sys; from advisor import api; api.load_kb(sys.argv[1]); print('networkx' in sys.modules)"


def test_a_knowledge_base_edited_elsewhere_than_its_prerequisites_loads_without_networkx(tmp_path: Path,
                                                                                        mini_copy: Path) -> None:
    """The cycle check after an edit trusts the graph the cache holds; a changed prerequisite is checked afresh."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("ADVISOR_NO_CACHE", None)

    def imported() -> str:
        return subprocess.run([sys.executable, "-c", _LOAD, str(mini_copy)], env=env, capture_output=True, text=True,
                              check=True, cwd=tmp_path).stdout.strip()

    rules = sorted((mini_copy / "rules").glob("*.yaml"))[0]
    assert imported() == "True"                  # the first load checks the graph with networkx
    rules.write_text(rules.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert imported() == "False"                 # the same actions: the stored graph is the proof
    actions = mini_copy / "knowledge_base" / "actions" / "all.yaml"
    text = actions.read_text(encoding="utf-8")
    assert text.count("  requires: []\n") >= 2
    actions.write_text(text.replace("  requires: []\n", "  requires: []\n  # edited\n", 1), encoding="utf-8")
    assert imported() == "False"                 # an edit of an action that changes no prerequisite: the same graph
    actions.write_text(text.replace("  requires: []\n", "  requires: [HUM-01]\n", 1), encoding="utf-8")
    assert imported() == "True"                  # a new prerequisite: a new graph, checked with networkx
