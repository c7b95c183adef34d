"""Resource-constrained scheduling: the serial schedule-generation scheme with explainable priority rules.

Each action needs its owner role's staff time (``demand``, in FTE) for every month it runs, and possibly
other roles' (``support``, e.g. the project office coordinating it); a role never carries more than its
capacity in that month (a step function: it may rise once some tasks finish, ``Step``). Actions are taken one
at a time, the most urgent eligible one first (every prerequisite already placed), and each is put at the
earliest month where its prerequisites have finished and its role has room for its whole duration (and, with a
budget ceiling, every calendar year it runs in has room for its cost, spread evenly over its months). Same
input, same schedule: no randomness, ties broken by id. Pure Python on plain data, so it is fast enough to run
on every roadmap (benchmarks/).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Callable, Literal

EPS = 1e-9
Wait = Literal["prerequisite", "capacity", "stage_limit", "budget"]


@dataclass(frozen=True)
class Task:
    id: str
    duration: int
    role: str
    demand: float                 # FTE of ``role`` while it runs (1 per action for a role counted in actions)
    requires: tuple[str, ...]     # prerequisites among the tasks
    severity: float = 0.0
    quick_win: bool = False
    underway: bool = False        # already in progress: goes first
    support: tuple[tuple[str, float], ...] = ()   # other roles' FTE while it runs (e.g. the project office's)
    cost: float = 0.0             # what it costs in all, spent evenly over its months
    restores: bool = False        # its finish raises a role's capacity (a Step waits for it): goes early


@dataclass(frozen=True)
class Step:
    """A role's capacity rises to ``capacity`` from the month the last of the tasks ``after`` finishes (e.g. the
    project office's own time once the action that staffs it is done). Never lower than the role's capacity."""

    after: tuple[str, ...]
    capacity: float


@dataclass(frozen=True)
class Slot:
    start: int
    finish: int
    earliest: int                 # the earliest start its prerequisites allow
    waits: Wait | None            # why it starts when it does, if not at month 0
    waits_for: tuple[str, ...]    # the prerequisites that finish last, the role it waits for, or the year
    demand: float                 # the FTE it takes of its owner role (at most the role's capacity)
    loads: tuple[tuple[str, float], ...] = ()   # every role it loads, its owner's included, and by how much


def priorities(tasks: dict[str, Task]) -> dict[str, tuple[float | int | str, ...]]:
    """The priority rule, smaller first: in progress, restoring a role's capacity (every later action gains
    from it), quick win, severity, longest chain of work that follows (critical-path length), number of actions
    it unblocks (transitively), id."""
    successors: dict[str, list[str]] = {t: [] for t in tasks}
    for t in tasks.values():
        for p in t.requires:
            successors[p].append(t.id)
    tail: dict[str, int] = {}
    below: dict[str, set[str]] = {}

    def visit(a: str) -> None:
        # iterative post-order: long chains must not hit the recursion limit
        stack = [(a, False)]
        while stack:
            node, expanded = stack.pop()
            if node in tail:
                continue
            if expanded:
                succ = successors[node]
                tail[node] = tasks[node].duration + max((tail[s] for s in succ), default=0)
                below[node] = set(succ).union(*(below[s] for s in succ)) if succ else set()
            else:
                stack.append((node, True))
                stack.extend((s, False) for s in successors[node] if s not in tail)

    for a in sorted(tasks):
        visit(a)
    return {a: (0 if t.underway else 1, 0 if t.restores else 1, 0 if t.quick_win else 1, -round(t.severity, 3), -tail[a], -len(below[a]), a)
            for a, t in tasks.items()}


def schedule(tasks: list[Task], capacity: dict[str, float], period: Callable[[int], int] | None = None,
             max_per_period: int | None = None, budget: float | None = None,
             year: Callable[[int], int] | None = None, steps: dict[str, Step] | None = None) -> dict[str, Slot]:
    """Start and finish month of every task (month 0 = the plan's start).

    ``capacity``: per role, what it can carry in one month (in the unit of the tasks' demand; a role not
    named is unlimited). ``period`` maps a month to its stage (e.g. its quarter); with ``max_per_period``
    at most that many tasks start in one stage. ``budget``: the most the tasks may cost in one ``year``
    (a month -> its calendar year); a task that alone costs more than that in a year runs in years
    nobody else spends in. ``steps``: per role, a higher capacity from the finish of some tasks on; a task placed
    once they are all placed may use it from that month (one placed before was fitted to the lower capacity, which
    still holds). Prerequisites and the steps' tasks must be among ``tasks``, and acyclic."""
    year = year or (lambda m: m // 12)
    steps = {r: st for r, st in (steps or {}).items() if r in capacity and st.capacity > capacity[r]}
    caps = {r: Capacity(c) for r, c in capacity.items()}
    pending = {r: set(st.after) for r, st in steps.items()}
    by_id = {t.id: t for t in tasks}
    prio = priorities(by_id)
    waiting = {t.id: len(t.requires) for t in tasks}
    successors: dict[str, list[str]] = {t.id: [] for t in tasks}
    for t in tasks:
        for p in t.requires:
            successors[p].append(t.id)
    # the eligible tasks as a heap by priority (each priority ends with the id: no two are equal)
    eligible = [(prio[a], a) for a, n in waiting.items() if n == 0]
    heapq.heapify(eligible)
    load: dict[str, list[float]] = {}
    starts: dict[int, int] = {}
    spent: dict[int, float] = {}
    out: dict[str, Slot] = {}
    while eligible:
        a = heapq.heappop(eligible)[1]
        t = by_id[a]
        earliest = max((out[p].finish for p in t.requires), default=0)
        wants: dict[str, float] = {}
        for role, d in ((t.role, t.demand), *t.support):
            wants[role] = wants.get(role, 0.0) + d
        by_role, blocker = _fit(load, wants, caps, earliest, t.duration)
        start, by_budget = by_role, None
        while True:
            if period is not None and max_per_period is not None and starts.get(period(start), 0) >= max_per_period:
                start, _ = _fit(load, wants, caps, start + 1, t.duration)
                continue
            short = _over_budget(spent, spend(t, start, year), budget) if budget is not None and t.cost else None
            if short is None:
                break
            by_budget = short
            start, _ = _fit(load, wants, caps, start + 1, t.duration)
        # at most the role's capacity where it starts (its lowest over the task: capacity never falls)
        needs = {role: d if role not in caps else min(d, caps[role].at(start)) for role, d in wants.items()}
        if budget is not None:
            for y, c in spend(t, start, year).items():
                spent[y] = spent.get(y, 0.0) + c
        for role, d in needs.items():
            months = load.setdefault(role, [])
            if len(months) < start + t.duration:
                months.extend([0.0] * (start + t.duration - len(months)))
            for m in range(start, start + t.duration):
                months[m] += d
        if period is not None:
            starts[period(start)] = starts.get(period(start), 0) + 1
        waits: Wait | None
        waits_for: tuple[str, ...]
        if start > by_role and by_budget is not None:
            waits, waits_for = "budget", (str(by_budget),)
        elif start > by_role:
            waits, waits_for = "stage_limit", ()
        elif start > earliest:
            waits, waits_for = "capacity", (blocker or t.role,)
        elif earliest > 0:
            waits, waits_for = "prerequisite", tuple(sorted(p for p in t.requires if out[p].finish == earliest))
        else:
            waits, waits_for = None, ()
        out[a] = Slot(start, start + t.duration, earliest, waits, waits_for, round(needs[t.role], 6),
                      tuple((r, round(d, 6)) for r, d in sorted(needs.items())))
        for role, left in pending.items():
            if a in left:
                left.discard(a)
                if not left:
                    caps[role] = Capacity(caps[role].base, max(out[x].finish for x in steps[role].after),
                                          steps[role].capacity)
        for s in successors[a]:
            waiting[s] -= 1
            if waiting[s] == 0:
                heapq.heappush(eligible, (prio[s], s))
    if len(out) != len(tasks):
        raise ValueError("prerequisites form a cycle or name a task that is not scheduled")
    return out


def spend(t: Task, start: int, year: Callable[[int], int]) -> dict[int, float]:
    """What ``t`` costs in each calendar year it runs in, started at ``start``."""
    out: dict[int, float] = {}
    if t.cost > 0:
        per_month = t.cost / t.duration
        for m in range(start, start + t.duration):
            y = year(m)
            out[y] = out.get(y, 0.0) + per_month
    return out


def _over_budget(spent: dict[int, float], spend: dict[int, float], budget: float) -> int | None:
    """The first year the ceiling has no room for ``spend`` (a year nobody spends in always has room)."""
    return next((y for y, c in sorted(spend.items()) if spent.get(y, 0.0) > 0 and spent[y] + c > budget + EPS), None)


def year_spend(tasks: list[Task], slots: dict[str, Slot], year: Callable[[int], int]) -> dict[int, float]:
    """What the schedule costs in each calendar year."""
    out: dict[int, float] = {}
    for t in tasks:
        for y, c in spend(t, slots[t.id].start, year).items():
            out[y] = out.get(y, 0.0) + c
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Capacity:
    """A role's capacity by month: ``base``, and ``raised`` from month ``from_month`` on, if a step is known."""

    base: float
    from_month: int | None = None
    raised: float = 0.0

    def at(self, month: int) -> float:
        return self.raised if self.from_month is not None and month >= self.from_month else self.base


def _fit(load: dict[str, list[float]], wants: dict[str, float], caps: dict[str, Capacity], start: int,
         duration: int) -> tuple[int, str | None]:
    """The first month from ``start`` where every role it needs has room, and the role that pushed it last."""
    blocker = None
    while True:
        moved = False
        for role, d in sorted(wants.items()):
            later = _first_fit(load.get(role, []), start, duration, d, caps.get(role))
            if later != start:
                start, blocker, moved = later, role, True
        if not moved:
            return start, blocker


def _first_fit(months: list[float], start: int, duration: int, demand: float, cap: Capacity | None) -> int:
    """The first month from ``start`` where the role has room for ``demand`` (at most its capacity where it
    starts) during ``duration`` months."""
    if cap is None:
        return start
    if cap.from_month is None:
        limit, need = cap.base + EPS, min(demand, cap.base)
        while True:
            # from the window's end back: the last month without room is where to try after
            for m in range(min(start + duration, len(months)) - 1, start - 1, -1):
                if months[m] + need > limit:
                    start = m + 1
                    break
            else:
                return start
    while True:
        # as above with each month's capacity; skipping past a month without room stays right: every start up to
        # that month still runs in it and takes at least as much (capacity never falls)
        need = min(demand, cap.at(start))
        for m in range(min(start + duration, len(months)) - 1, start - 1, -1):
            if months[m] + need > cap.at(m) + EPS:
                start = m + 1
                break
        else:
            return start


def peak_load(slots: dict[str, Slot]) -> dict[str, float]:
    """The highest load each role carries in any month."""
    per: dict[str, dict[int, float]] = {}
    for s in slots.values():
        for role, d in s.loads:
            months = per.setdefault(role, {})
            for m in range(s.start, s.finish):
                months[m] = months.get(m, 0.0) + d
    return {r: round(max(m.values()), 6) for r, m in sorted(per.items())}
