"""The only module that builds the networkx action graph (imported when a graph is built, not when it is
read back from :mod:`.graphcache`): closure, stages, timeline, critical path, next steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..diagnosis.findings import fact_values, low_about
from ..errors import N_, AdvisorError, Problem
from ..models.assessment import Progress
from ..models.knowledge import KnowledgeBase
from ..models.results import (
    BlockedAction,
    BudgetPlan,
    Findings,
    LaterAction,
    NextAction,
    NextSteps,
    Roadmap,
    RoadmapItem,
    RoleCapacity,
    Scores,
    YearCost,
)
from . import constraints, effort, gap, graphcache, schedule, scope
from .graphcache import ActionGraph, Edge
from .settings import Settings

if TYPE_CHECKING:
    import networkx as nx

Status = Literal["recommended", "prerequisite", "target", "in_progress"]


def _parts(kb: KnowledgeBase, conditional: dict[str, list[str]] | None) -> tuple[list[str], list[Edge]]:
    """The graph's nodes and edges in the order they are added."""
    nodes = sorted(kb.actions)
    edges: list[Edge] = []
    for a in nodes:
        action = kb.actions[a]
        extra = [p for cp in action.requires_if for p in cp.requires] if conditional is None else conditional.get(a, [])
        edges += [(p, a, "requires") for p in [*action.requires, *extra] if p in kb.actions]
    edges += [(before, after, "constraint") for before, after, _ in constraints.edges(kb)]
    return nodes, edges


def _digraph(nodes: list[str], edges: list[Edge]) -> nx.DiGraph:
    import networkx as nx  # only when the graph is built: a plan from the cache never imports it
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    for p, a, kind in edges:
        g.add_edge(p, a, kind=kind)
    return g


def graph(kb: KnowledgeBase, conditional: dict[str, list[str]] | None = None) -> nx.DiGraph:
    """Actions as a DAG (prerequisite or ordering constraint -> action). ``conditional`` adds the requires_if
    edges that apply; ``None`` adds every possible one (what the cycle check needs)."""
    return _digraph(*_parts(kb, conditional))


class _Loop(Exception):
    """The graph has no topological order: its prerequisites loop."""


def _computed(nodes: list[str], edges: list[Edge]) -> ActionGraph:
    """What networkx computes for the planner: the graph, and its topological order with ties by id."""
    import networkx as nx
    g = _digraph(nodes, edges)
    try:
        order = list(nx.lexicographical_topological_sort(g))
    except nx.NetworkXUnfeasible as exc:
        raise _Loop() from exc
    return ActionGraph(order,
                       {a: {p: e["kind"] for p, e in g.pred[a].items()} for a in g},
                       {a: list(g.succ[a]) for a in g})


_CACHE: dict[tuple[object, ...], ActionGraph] = {}


def _graph_and_order(kb: KnowledgeBase, conditional: dict[str, list[str]]) -> tuple[ActionGraph, list[str]]:
    """The action graph for these active conditional prerequisites, and a topological order of it
    (ties by id), built once per knowledge base and set of active conditions (roadmaps are built often) and
    kept between processes (:mod:`.graphcache`)."""
    key = (kb.root, kb.content_hash, tuple(sorted((a, tuple(ps)) for a, ps in conditional.items())))
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        nodes, edges = _parts(kb, conditional)
        _CACHE[key] = graphcache.load(nodes, edges, lambda: _computed(nodes, edges))
    g = _CACHE[key]
    return g, g.order


def check_acyclic(kb: KnowledgeBase) -> None:
    """Refuse a catalogue whose prerequisites loop, printing the loop as a path of ids and titles."""
    nodes, edges = _parts(kb, None)
    try:
        # a graph the cache holds was stored with a topological order, so it has no loop: after an edit that
        # left the actions as they were, networkx is not even imported
        graphcache.load(nodes, edges, lambda: _computed(nodes, edges))
        return
    except _Loop:
        pass
    import networkx as nx
    cycle = nx.find_cycle(_digraph(nodes, edges))
    path = [u for u, _ in cycle] + [cycle[0][0]]
    shown = " -> ".join(f"{a} ({kb.actions[a].title.en})" for a in path)
    by = sorted({c for u, v in zip(path, path[1:]) for c in constraints.reason_of(kb, u, v)})
    origin = kb.origins[f"action:{path[0]}"]
    line, col = origin.source.where(origin.loc + ("requires",))
    message = (N_("prerequisites and ordering constraints {constraints} form a cycle: {cycle}", constraints=", ".join(by),
                  cycle=shown) if by else N_("prerequisites form a cycle: {cycle}", cycle=shown))
    raise AdvisorError([Problem(origin.source.path, message, line=line, column=col, field=f"{path[0]}.requires",
                                hint=N_("remove one of these prerequisites"))])


@dataclass(frozen=True)
class Targets:
    """Target level per dimension; a dimension not named aims at its next level (the default)."""

    levels: dict[str, int]


def target_weaknesses(kb: KnowledgeBase, scores: Scores, targets: dict[str, int]) -> dict[str, float]:
    """Level weaknesses between each dimension's current level and its target, with a severity; only those
    about criteria still below their threshold (a target never asks for what the office already has)."""
    out: dict[str, float] = {}
    values = fact_values(scores)
    for d in scores.dimensions:
        goal = targets.get(d.id)
        if goal is None or goal <= d.level:
            continue
        for w in kb.level_weaknesses(d.id):
            if w.level is not None and d.level <= w.level < goal and low_about(w, values):
                # farther levels are less urgent than the next one
                out[w.id] = round(d.weight * (5 - d.score) * 0.6 / (1 + w.level - d.level), 3)
    return out


def _progress_ids(kb: KnowledgeBase, progress: Progress | None) -> tuple[set[str], set[str]]:
    """Done and in-progress action ids. An id merged into a later action (its ``replaces``) stands for that action
    in progress, even when recorded done: only part of the merged action's scope is done."""
    if progress is None:
        return set(), set()
    done = {i.action for i in progress.done if i.action in kb.actions}
    in_progress = {i.action for i in progress.in_progress if i.action in kb.actions}
    recorded = [i.action for i in progress.done] + [i.action for i in progress.in_progress]
    merged = {kb.successor(a) for a in recorded if a not in kb.actions}
    return done, (in_progress | {a for a in merged if a is not None}) - done


def build(kb: KnowledgeBase, scores: Scores, findings: Findings, progress: Progress | None = None,
          targets: dict[str, int] | None = None, max_per_stage: int | None = None, *,
          settings: Settings | None = None) -> Roadmap:
    """The plan: what the targets need (plus safeguards and prerequisites), scheduled within capacity.
    ``settings`` (target, capacity, start, horizon: see :mod:`advisor.planning.plan`) default to the
    knowledge base's when a caller has no assessment at hand."""
    settings = settings or Settings.defaults(kb, scores, targets)
    targets = dict(settings.targets)
    done, in_progress = _progress_ids(kb, progress)
    achieved = set(findings.achieved)
    satisfied = done | achieved
    g, order = _graph_and_order(kb, findings.active_conditional_prerequisites)

    because: dict[str, set[str]] = {}
    severity: dict[str, float] = {}
    status: dict[str, Status] = {}
    # the plan holds what the targets need, safeguards and what is underway; other findings wait for later
    needs = gap.gap(kb, scores, targets, satisfied, g, order)
    aimed = target_weaknesses(kb, scores, targets)
    # the gap's least-effort set, and the remedies of what is typical of the levels to cross
    needed = set(needs.actions) | in_progress | {a for w in aimed for a in kb.remedies_for(w)}
    guards = scope.safeguards(kb, findings)
    # a recommended action that restores capacity staffing scaled down is planned whatever the target: the whole
    # schedule runs on that capacity (knowledge_base/planning.yaml, capacity.restored_by)
    restoring = {a for c in settings.capacity if c.restored_fte is not None for a in c.restored_by}
    later: dict[str, set[str]] = {}
    for f in findings.actions:
        if f.id in satisfied:
            continue
        if f.id in needed or f.id in restoring or any(w in guards for w in f.because):
            because[f.id], severity[f.id], status[f.id] = set(f.because), f.severity, "recommended"
        else:
            later[f.id] = set(f.because)
    for w, sev in aimed.items():
        for a in kb.remedies_for(w):
            if a in satisfied or a not in needed:
                continue
            because.setdefault(a, set()).add(w)
            severity[a] = max(severity.get(a, 0.0), sev)
            status.setdefault(a, "target")
    for a in needs.actions:
        status.setdefault(a, "target")
        severity.setdefault(a, 0.0)

    # every action that must come first and is not done or achieved (constraints.precedence says which)
    ancestors = constraints.precedence(g, satisfied)
    wanted = set(status)
    chosen = wanted.union(*(ancestors(a) - satisfied for a in wanted))
    topo = [a for a in order if a in chosen]
    before = {a: ancestors(a) & chosen for a in topo}
    # the nearest of them: what the item waits for directly (the others come before those)
    requires = {a: sorted(before[a].difference(*(before[q] for q in before[a]))) for a in topo}
    # who pulled each one in: the wanted actions it leads to through actions that are only prerequisites
    pulled_by: dict[str, set[str]] = {}
    for a in reversed(topo):
        for p in requires[a]:
            pulled_by.setdefault(p, set()).update({a} if a in wanted else pulled_by.get(a, set()))
    for p in chosen - wanted:
        status[p] = "prerequisite"
    for a in chosen & in_progress:
        status[a] = "in_progress"
    # a prerequisite is as urgent as the most urgent action waiting for it
    for a in reversed(topo):
        severity[a] = max([severity.get(a, 0.0)] + [severity[s] for s in g.successors(a) if s in chosen])

    tasks, slots, cap = _schedule(kb, settings, topo, requires, severity, status, max_per_stage, done)
    cost = {t.id: t.cost for t in tasks}
    finish = {a: s.finish for a, s in slots.items()}
    stage = {a: settings.quarter_index(s.start) for a, s in slots.items()}
    critical = _critical_path(requires, finish, {a: s.start for a, s in slots.items()})
    items = []
    for a in sorted(chosen, key=lambda a: (slots[a].start, stage[a], -severity[a], a)):
        act, sl = kb.actions[a], slots[a]
        items.append(RoadmapItem(
            id=a, dimension=act.dimension, stage=stage[a], start_month=sl.start, finish_month=sl.finish,
            duration_months=act.duration_months, effort=act.effort, owner=act.owner,
            status=status[a], because=sorted(because.get(a, set())), pulled_by=sorted(pulled_by.get(a, set())),
            requires=requires[a], satisfied=sorted(p for p in g.predecessors(a) if p in satisfied),
            severity=round(severity[a], 3), critical=a in critical, earliest_month=sl.earliest, waits=sl.waits,
            waits_for=list(sl.waits_for), load=sl.demand, fte=effort.fte(kb, a),
            cost_class=effort.cost_class(kb, a), cost=round(cost[a], 6),
            person_months=effort.person_months(kb, a, bool(support := [r for r, _ in sl.loads if r != act.owner])),
            support=support,
            quick_win=_quick_win(kb, a, status[a]), in_horizon=sl.finish <= settings.horizon, start_quarter=settings.quarter(sl.start),
            finish_quarter=settings.quarter(sl.finish - 1)))
    would_be = {f.id for f in findings.actions} | {a for w in aimed for a in kb.remedies_for(w)}
    peak = schedule.peak_load(slots)
    return Roadmap(
        kb_version=kb.version, targets=targets, target_source=settings.target_source,
        targets_reached=sorted(d.id for d in scores.dimensions if d.id in targets and targets[d.id] <= d.level),
        start=settings.start, horizon_months=settings.horizon,
        capacity=[c.model_copy(update={"peak": peak.get(c.role, 0.0)}) for c in cap],
        max_per_stage=max_per_stage, items=items,
        stages=max(stage.values(), default=0), total_months=max(finish.values(), default=0), critical_path=critical,
        done=sorted(done), achieved=sorted(would_be & achieved - done),
        later=[LaterAction(id=a, because=sorted(ws)) for a, ws in sorted(later.items()) if a not in chosen], gap=needs,
        budget=_budget(settings, tasks, slots))


def _budget(settings: Settings, tasks: list[schedule.Task], slots: dict[str, schedule.Slot]) -> BudgetPlan | None:
    b = settings.budget
    if b is None:
        return None
    years = schedule.year_spend(tasks, slots, settings.year)
    ceiling = b.per_year
    over = sorted(t.id for t in tasks if ceiling is not None
                  and any(c > ceiling + schedule.EPS for c in schedule.spend(t, slots[t.id].start, settings.year).values()))
    return BudgetPlan(per_year=ceiling, unit=b.unit, classes=b.classes, relative=b.relative,
                      years=[YearCost(year=y, cost=round(c, 3)) for y, c in years.items()], over=over)


def _quick_win(kb: KnowledgeBase, action: str, status: str) -> bool:
    """Short and small (knowledge_base/planning.yaml), and remedying a finding or needed by the target."""
    a, rule = kb.actions[action], kb.planning.quick_win
    return a.effort in rule.effort and a.duration_months <= rule.max_duration_months and status in ("recommended", "target")


def _schedule(kb: KnowledgeBase, settings: Settings, topo: list[str], requires: dict[str, list[str]],
              severity: dict[str, float], status: dict[str, Status],
              max_per_stage: int | None,
              done: set[str]) -> tuple[list[schedule.Task], dict[str, schedule.Slot], list[RoleCapacity]]:
    """Start months within each owner role's capacity (a role counted in actions takes 1 per action) and
    within the budget ceiling of every year, if there is one. A capacity that staffing scaled down is restored
    from the month its restoring actions finish (done ones from month 0; with one neither done nor planned,
    never)."""
    limit = {c.role: float(c.concurrent) if c.concurrent is not None else float(c.fte or 0) for c in settings.capacity}
    steps: dict[str, schedule.Step] = {}
    restored: dict[str, int] = {}    # role -> the month its restored capacity holds from
    for c in settings.capacity:
        if c.restored_fte is None:
            continue
        if set(c.restored_by) <= done:
            limit[c.role], restored[c.role] = c.restored_fte, 0
        elif set(c.restored_by) <= done | set(topo):
            steps[c.role] = schedule.Step(tuple(a for a in c.restored_by if a not in done), c.restored_fte)
    counted = {c.role for c in settings.capacity if c.concurrent is not None}
    coord = kb.planning.coordination
    tasks = []
    for a in topo:
        act = kb.actions[a]
        demand = 1.0 if act.owner in counted else effort.fte(kb, a)
        cls = effort.cost_class(kb, a)
        tasks.append(schedule.Task(
            id=a, duration=act.duration_months, role=act.owner, demand=demand, requires=tuple(requires[a]),
            severity=severity[a], underway=status[a] == "in_progress",
            support=((coord.role, coord.fte),)
            if coord is not None and act.owner != coord.role and coord.role not in counted else (),
            quick_win=_quick_win(kb, a, status[a]), restores=any(a in st.after for st in steps.values()),
            cost=settings.budget.classes[cls] if settings.budget is not None and cls is not None else 0.0))
    budget = settings.budget.per_year if settings.budget is not None else None
    slots = schedule.schedule(tasks, limit, settings.quarter_index, max_per_stage, budget, settings.year, steps)
    restored.update({r: max(slots[a].finish for a in st.after) for r, st in steps.items()})
    cap = []
    for c in settings.capacity:
        if c.role in restored:
            cap.append(c.model_copy(update={"restored_month": restored[c.role],
                                            "restored_from": settings.month(restored[c.role])}))
        elif c.restored_fte is not None:
            # nothing in this plan staffs the office: its scaled time holds throughout
            cap.append(c.model_copy(update={"restored_fte": None, "restored_by": []}))
        else:
            cap.append(c)
    return tasks, slots, cap


def _critical_path(requires: dict[str, list[str]], finish: dict[str, int], start: dict[str, int]) -> list[str]:
    """The chain that ends the roadmap (ties broken by id): back from the last action to finish through
    the prerequisites it waited for; it stops at an action that waited for capacity, not a prerequisite."""
    if not finish:
        return []
    end = min(a for a in finish if finish[a] == max(finish.values()))
    path = [end]
    while True:
        a = path[-1]
        preds = [p for p in requires[a] if finish[p] == start[a]]
        if not preds:
            break
        path.append(min(preds))
    return list(reversed(path))


def next_steps(kb: KnowledgeBase, roadmap: Roadmap) -> NextSteps:
    """What starts now (month 0 of the schedule: prerequisites met and room in the owner's capacity),
    and what waits, for what: prerequisites, capacity, or the limit of starts per stage."""
    in_map = {i.id: i for i in roadmap.items}
    ready: list[NextAction] = []
    blocked: list[BlockedAction] = []
    underway = sorted(a for a, i in in_map.items() if i.status == "in_progress")
    for item in roadmap.items:
        if item.status == "in_progress":
            continue
        if item.start_month > 0:
            blocked.append(BlockedAction(id=item.id, blocked_by=item.requires, start_month=item.start_month,
                                         waits=item.waits, waits_for=item.waits_for))
        else:
            unblocks = sorted(i.id for i in roadmap.items if item.id in i.requires)
            ready.append(NextAction(id=item.id, severity=item.severity, unblocks=unblocks, quick_win=item.quick_win))
    ready.sort(key=lambda n: (not n.quick_win, -n.severity, n.id))
    blocked.sort(key=lambda b: (b.start_month, b.id))
    return NextSteps(kb_version=roadmap.kb_version, ready=ready, in_progress=underway, blocked=blocked)
