"""The only module that builds the networkx action graph: closure, stages, timeline, critical path, next steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx

from ..errors import N_, AdvisorError, Problem
from ..models.assessment import Progress
from ..models.knowledge import KnowledgeBase
from ..models.results import BlockedAction, Findings, NextAction, NextSteps, Roadmap, RoadmapItem, Scores

Status = Literal["recommended", "prerequisite", "target", "in_progress"]


def graph(kb: KnowledgeBase, conditional: dict[str, list[str]] | None = None) -> nx.DiGraph:
    """Actions as a DAG (prerequisite -> action). ``conditional`` adds the requires_if edges that apply;
    ``None`` adds every possible one (what the cycle check needs)."""
    g = nx.DiGraph()
    for a in sorted(kb.actions):
        g.add_node(a)
    for a in sorted(kb.actions):
        action = kb.actions[a]
        extra = [p for cp in action.requires_if for p in cp.requires] if conditional is None else conditional.get(a, [])
        for p in [*action.requires, *extra]:
            if p in kb.actions:
                g.add_edge(p, a)
    return g


_CACHE: dict[tuple[object, ...], tuple[nx.DiGraph, list[str]]] = {}


def _graph_and_order(kb: KnowledgeBase, conditional: dict[str, list[str]]) -> tuple[nx.DiGraph, list[str]]:
    """The action graph for these active conditional prerequisites, and a topological order of it
    (ties by id), built once per knowledge base and set of active conditions: roadmaps are built often."""
    key = (kb.root, kb.content_hash, tuple(sorted((a, tuple(ps)) for a, ps in conditional.items())))
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        g = graph(kb, conditional)
        _CACHE[key] = (g, list(nx.lexicographical_topological_sort(g)))
    return _CACHE[key]


def check_acyclic(kb: KnowledgeBase) -> None:
    """Refuse a catalogue whose prerequisites loop, printing the loop as a path of ids and titles."""
    g = graph(kb)
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return
    path = [u for u, _ in cycle] + [cycle[0][0]]
    shown = " -> ".join(f"{a} ({kb.actions[a].title.en})" for a in path)
    origin = kb.origins[f"action:{path[0]}"]
    line, col = origin.source.where(origin.loc + ("requires",))
    raise AdvisorError([Problem(origin.source.path, N_("prerequisites form a cycle: {cycle}", cycle=shown), line=line,
                                column=col, field=f"{path[0]}.requires", hint=N_("remove one of these prerequisites"))])


@dataclass(frozen=True)
class Targets:
    """Target level per dimension; a dimension not named aims at its next level (the default)."""

    levels: dict[str, int]


def target_weaknesses(kb: KnowledgeBase, scores: Scores, targets: dict[str, int]) -> dict[str, float]:
    """Level weaknesses between each dimension's current level and its target, with a severity."""
    out: dict[str, float] = {}
    for d in scores.dimensions:
        goal = targets.get(d.id)
        if goal is None or goal <= d.level:
            continue
        for w in kb.weaknesses.values():
            if w.dimension == d.id and w.level is not None and d.level <= w.level < goal:
                # farther levels are less urgent than the next one
                out[w.id] = round(d.weight * (5 - d.score) * 0.6 / (1 + w.level - d.level), 3)
    return out


def build(kb: KnowledgeBase, scores: Scores, findings: Findings, progress: Progress | None = None,
          targets: dict[str, int] | None = None, max_per_stage: int | None = None) -> Roadmap:
    targets = dict(targets or {})
    done = {i.action for i in progress.done} if progress else set()
    in_progress = {i.action for i in progress.in_progress} if progress else set()
    achieved = set(findings.achieved)
    satisfied = done | achieved
    g, order = _graph_and_order(kb, findings.active_conditional_prerequisites)

    because: dict[str, set[str]] = {}
    severity: dict[str, float] = {}
    status: dict[str, Status] = {}
    for f in findings.actions:
        if f.id not in satisfied:
            because[f.id], severity[f.id], status[f.id] = set(f.because), f.severity, "recommended"
    aimed = target_weaknesses(kb, scores, targets)
    for w, sev in aimed.items():
        for a in kb.remedies_for(w):
            if a in satisfied:
                continue
            because.setdefault(a, set()).add(w)
            severity[a] = max(severity.get(a, 0.0), sev)
            status.setdefault(a, "target")

    # every missing prerequisite, transitively; a satisfied one ends the search along its branch
    pulled_by: dict[str, set[str]] = {}
    chosen = set(status)
    stack = sorted(chosen)
    while stack:
        a = stack.pop()
        for p in sorted(g.predecessors(a)):
            if p in satisfied:
                continue
            roots = {a} if a in status else pulled_by.get(a, set())
            pulled_by.setdefault(p, set()).update(roots)
            if p not in chosen:
                chosen.add(p)
                stack.append(p)
    for p in chosen - set(status):
        status[p] = "prerequisite"
    for a in chosen & in_progress:
        status[a] = "in_progress"
    topo = [a for a in order if a in chosen]
    requires = {a: sorted(p for p in g.predecessors(a) if p in chosen) for a in topo}
    # a prerequisite is as urgent as the most urgent action waiting for it
    for a in reversed(topo):
        severity[a] = max([severity.get(a, 0.0)] + [severity[s] for s in g.successors(a) if s in chosen])

    stage = _stages(topo, requires, severity, max_per_stage)
    start, finish = _timeline(kb, topo, requires)
    critical = _critical_path(kb, requires, finish)
    items = [
        RoadmapItem.model_construct(
            id=a, dimension=kb.actions[a].dimension, stage=stage[a], start_month=start[a], finish_month=finish[a],
            duration_months=kb.actions[a].duration_months, effort=kb.actions[a].effort, owner=kb.actions[a].owner,
            status=status[a], because=sorted(because.get(a, set())), pulled_by=sorted(pulled_by.get(a, set())),
            requires=requires[a], satisfied=sorted(p for p in g.predecessors(a) if p in satisfied),
            severity=round(severity[a], 3), critical=a in critical)
        for a in sorted(chosen, key=lambda a: (stage[a], -severity[a], a))]
    would_be = {f.id for f in findings.actions} | {a for w in aimed for a in kb.remedies_for(w)}
    return Roadmap(
        kb_version=kb.version, targets=targets, max_per_stage=max_per_stage, items=items,
        stages=max(stage.values(), default=0), total_months=max(finish.values(), default=0), critical_path=critical,
        done=sorted(done), achieved=sorted(would_be & achieved - done))


def _stages(topo: list[str], requires: dict[str, list[str]], severity: dict[str, float],
            capacity: int | None) -> dict[str, int]:
    """One stage after the latest prerequisite; with a capacity, the most urgent ready actions go first."""
    if capacity is None:
        stage: dict[str, int] = {}
        for a in topo:
            stage[a] = 1 + max((stage[p] for p in requires[a]), default=0)
        return stage
    stage = {}
    remaining = set(topo)
    current = 0
    while remaining:
        current += 1
        ready = sorted((a for a in remaining if all(stage.get(p, current) < current for p in requires[a])),
                       key=lambda a: (-severity[a], a))
        for a in ready[:capacity]:
            stage[a] = current
            remaining.discard(a)
    return stage


def _timeline(kb: KnowledgeBase, topo: list[str], requires: dict[str, list[str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Earliest start and finish month of each action from durations and prerequisites (month 0 = now)."""
    start: dict[str, int] = {}
    finish: dict[str, int] = {}
    for a in topo:
        start[a] = max((finish[p] for p in requires[a]), default=0)
        finish[a] = start[a] + kb.actions[a].duration_months
    return start, finish


def _critical_path(kb: KnowledgeBase, requires: dict[str, list[str]], finish: dict[str, int]) -> list[str]:
    """The chain of actions that sets the roadmap's total length (ties broken by id)."""
    if not finish:
        return []
    end = min(a for a in finish if finish[a] == max(finish.values()))
    path = [end]
    while True:
        a = path[-1]
        preds = [p for p in requires[a] if finish[p] == finish[a] - kb.actions[a].duration_months]
        if not preds:
            break
        path.append(min(preds))
    return list(reversed(path))


def next_steps(kb: KnowledgeBase, roadmap: Roadmap) -> NextSteps:
    """What can start now (every prerequisite done or achieved) and what waits for what."""
    in_map = {i.id: i for i in roadmap.items}
    ready: list[NextAction] = []
    blocked: list[BlockedAction] = []
    underway = sorted(a for a, i in in_map.items() if i.status == "in_progress")
    for item in roadmap.items:
        if item.status == "in_progress":
            continue
        if item.requires:
            blocked.append(BlockedAction(id=item.id, blocked_by=item.requires))
        else:
            unblocks = sorted(i.id for i in roadmap.items if item.id in i.requires)
            ready.append(NextAction(id=item.id, severity=item.severity, unblocks=unblocks))
    ready.sort(key=lambda n: (-n.severity, n.id))
    return NextSteps(kb_version=roadmap.kb_version, ready=ready, in_progress=underway, blocked=blocked)
