"""The resource-constrained scheduler: properties on generated task graphs and capacities, and the plans of the examples."""

from __future__ import annotations

import collections
import dataclasses
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.planning.schedule import EPS, Step, Task, peak_load, schedule, year_spend

from ..conftest import EXAMPLES, ROOT

ROLES = ["a", "b", "c"]


@st.composite
def tasks_and_capacity(draw):
    n = draw(st.integers(1, 30))
    tasks = []
    for j in range(n):
        reqs = draw(st.lists(st.integers(0, j - 1), max_size=3, unique=True)) if j else []
        tasks.append(Task(id=f"T{j:02d}", duration=draw(st.integers(1, 8)), role=draw(st.sampled_from(ROLES)),
                          demand=draw(st.sampled_from([0.25, 0.5, 1.0, 1.0])), requires=tuple(f"T{i:02d}" for i in reqs),
                          severity=draw(st.integers(0, 50)) / 10, quick_win=draw(st.booleans()),
                          support=draw(st.sampled_from([(), (("c", 0.1),), (("a", 0.25),)]))))
    capacity = {r: draw(st.sampled_from([0.25, 0.5, 0.75, 1.0, 2.0, 3.0])) for r in ROLES}
    per_stage = draw(st.one_of(st.none(), st.integers(1, 4)))
    return tasks, capacity, per_stage


def quarter(month: int) -> int:
    return month // 3 + 1


@settings(max_examples=300, deadline=None)
@given(tasks_and_capacity())
def test_precedence_and_capacity_hold(case) -> None:
    tasks, capacity, per_stage = case
    slots = schedule(tasks, capacity, quarter, per_stage)
    assert set(slots) == {t.id for t in tasks}
    by_id = {t.id: t for t in tasks}
    for t in tasks:
        s = slots[t.id]
        assert s.finish == s.start + t.duration and s.start >= s.earliest
        assert s.earliest == max((slots[p].finish for p in t.requires), default=0)
        for p in t.requires:
            assert slots[p].finish <= s.start
        # the reason it waits is true
        if s.waits == "prerequisite":
            assert s.start == s.earliest > 0 and all(slots[p].finish == s.start for p in s.waits_for)
        elif s.waits == "capacity":
            assert s.start > s.earliest and s.waits_for[0] in {t.role, *(r for r, _ in t.support)}
        elif s.waits is None:
            assert s.start == 0
    # no month has any role's load above its capacity
    load: dict[tuple[str, int], float] = collections.defaultdict(float)
    for a, s in slots.items():
        t = by_id[a]
        assert dict(s.loads)[t.role] >= s.demand - EPS
        for role, d in (t.role, t.demand), *t.support:
            for m in range(s.start, s.finish):
                load[role, m] += min(d, capacity[role]) if role != t.role else 0.0
        for m in range(s.start, s.finish):
            load[t.role, m] += s.demand
    assert all(v <= capacity[r] + EPS for (r, _), v in load.items())
    assert all(v <= capacity[r] + EPS for r, v in peak_load(slots).items())
    if per_stage is not None:
        starts = collections.Counter(quarter(s.start) for s in slots.values())
        assert max(starts.values()) <= per_stage


@settings(max_examples=300, deadline=None)
@given(tasks_and_capacity(), st.lists(st.sampled_from([0.0, 0.0, 1.0, 3.0, 9.0]), min_size=30, max_size=30),
       st.sampled_from([1.0, 2.5, 4.0, 10.0]), st.integers(0, 11))
def test_no_year_costs_more_than_the_budget_ceiling(case, costs, ceiling, first_month) -> None:
    tasks, capacity, per_stage = case
    tasks = [dataclasses.replace(t, cost=c) for t, c in zip(tasks, costs)]

    def year(m: int) -> int:
        return (first_month + m) // 12

    slots = schedule(tasks, capacity, quarter, per_stage, ceiling, year)
    for t in tasks:   # precedence and capacity still hold (the loads are checked above on the same scheme)
        assert all(slots[p].finish <= slots[t.id].start for p in t.requires)
        assert slots[t.id].waits != "budget" or slots[t.id].waits_for[0].isdigit()
    for r, v in peak_load(slots).items():
        assert v <= capacity[r] + EPS
    spend: dict[int, list[float]] = collections.defaultdict(list)
    for t in tasks:
        per_year = collections.Counter[int]()
        for m in range(slots[t.id].start, slots[t.id].finish):
            per_year[year(m)] += t.cost / t.duration
        for y, c in per_year.items():
            if c > 0:
                spend[y].append(c)
    for cs in spend.values():
        # within the ceiling, or one action that alone costs more than it, in a year of its own
        assert sum(cs) <= ceiling + 1e-6 or (len(cs) == 1 and cs[0] > ceiling)
    assert year_spend(tasks, slots, year) == {y: pytest.approx(sum(cs)) for y, cs in sorted(spend.items())}


@st.composite
def with_step(draw):
    """Generated tasks, capacities and one role whose capacity rises once some of the tasks finish."""
    tasks, capacity, per_stage = draw(tasks_and_capacity())
    role = draw(st.sampled_from(ROLES))
    after = tuple(draw(st.lists(st.sampled_from([t.id for t in tasks]), min_size=1, max_size=2, unique=True)))
    restores = draw(st.booleans())
    tasks = [dataclasses.replace(t, restores=restores and t.id in after) for t in tasks]
    return tasks, capacity, per_stage, role, Step(after, capacity[role] + draw(st.sampled_from([0.25, 0.5, 1.0])))


def monthly_load(slots) -> dict[tuple[str, int], float]:
    load: dict[tuple[str, int], float] = collections.defaultdict(float)
    for s in slots.values():
        for role, d in s.loads:
            for m in range(s.start, s.finish):
                load[role, m] += d
    return load


@settings(max_examples=300, deadline=None)
@given(with_step())
def test_a_capacity_that_rises_is_kept_month_by_month(case) -> None:
    tasks, capacity, per_stage, role, step = case
    slots = schedule(tasks, capacity, quarter, per_stage, steps={role: step})
    assert set(slots) == {t.id for t in tasks}
    rises = max(slots[a].finish for a in step.after)

    def cap(r: str, m: int) -> float:
        # the step function: the higher capacity never before the last of its tasks has finished
        return step.capacity if r == role and m >= rises else capacity[r]

    for t in tasks:
        s = slots[t.id]
        assert all(slots[p].finish <= s.start for p in t.requires)
        assert s.demand <= cap(t.role, s.start) + EPS
        if s.waits == "capacity":
            assert s.start > s.earliest and s.waits_for[0] in {t.role, *(r for r, _ in t.support)}
    load = monthly_load(slots)
    assert all(v <= cap(r, m) + EPS for (r, m), v in load.items())
    assert all(v <= capacity[role] + EPS for (r, m), v in load.items() if r == role and m < rises)
    # deterministic, whatever the order the tasks come in
    assert schedule(list(reversed(tasks)), capacity, quarter, per_stage, steps={role: step}) == slots


@settings(max_examples=100, deadline=None)
@given(with_step())
def test_without_a_rise_the_schedule_is_as_before(case) -> None:
    tasks, capacity, per_stage, role, step = case
    tasks = [dataclasses.replace(t, restores=False) for t in tasks]
    before = schedule(tasks, capacity, quarter, per_stage)
    # a step to no more than the capacity, or one whose tasks are not in the plan, changes nothing
    assert schedule(tasks, capacity, quarter, per_stage, steps={role: Step(step.after, capacity[role])}) == before
    assert schedule(tasks, capacity, quarter, per_stage, steps={role: Step(("absent",), step.capacity)}) == before


def test_actions_after_the_rise_use_the_higher_capacity() -> None:
    # the office (r) carries one action at a time until S, which staffs it, finishes at month 2; then two at once
    tasks = [Task("S", 2, "h", 0.25, (), restores=True),
             *(Task(f"T{i}", 3, "r", 0.5, (), severity=1.0) for i in range(4))]
    slots = schedule(tasks, {"r": 0.5, "h": 0.25}, steps={"r": Step(("S",), 1.0)})
    assert slots["S"].start == 0
    assert sorted(slots[f"T{i}"].start for i in range(4)) == [0, 2, 3, 5]   # a second one from month 2
    # before: one at a time all along
    flat = schedule([dataclasses.replace(t, restores=False) for t in tasks], {"r": 0.5, "h": 0.25})
    assert sorted(flat[f"T{i}"].start for i in range(4)) == [0, 3, 6, 9]


def test_an_action_bigger_than_the_lower_capacity_takes_more_once_it_rises() -> None:
    tasks = [Task("S", 2, "h", 0.25, (), restores=True), Task("A", 2, "r", 1.0, ("S",))]
    slots = schedule(tasks, {"r": 0.4, "h": 0.25}, steps={"r": Step(("S",), 1.0)})
    assert (slots["A"].start, slots["A"].demand) == (2, 1.0)


def test_the_action_that_restores_capacity_goes_first_after_those_underway() -> None:
    tasks = [Task("Q", 1, "h", 0.25, (), severity=5.0, quick_win=True), Task("S", 4, "h", 0.25, (), restores=True)]
    slots = schedule(tasks, {"h": 0.25}, steps={"r": Step(("S",), 1.0)})
    assert (slots["S"].start, slots["Q"].start) == (0, 4)


@settings(max_examples=100, deadline=None)
@given(tasks_and_capacity(), st.randoms(use_true_random=False))
def test_same_tasks_in_any_order_same_schedule(case, rnd) -> None:
    tasks, capacity, per_stage = case
    shuffled = list(tasks)
    rnd.shuffle(shuffled)
    assert schedule(tasks, capacity, quarter, per_stage) == schedule(shuffled, capacity, quarter, per_stage)


def test_a_busy_role_delays_the_less_urgent_action_and_says_why() -> None:
    tasks = [Task("A", 3, "cdo", 1.0, (), severity=2.0), Task("B", 2, "cdo", 1.0, (), severity=1.0),
             Task("C", 1, "it", 0.5, ("A",))]
    slots = schedule(tasks, {"cdo": 1.0, "it": 1.0})
    assert (slots["A"].start, slots["B"].start, slots["C"].start) == (0, 3, 3)
    assert slots["B"].waits == "capacity" and slots["B"].waits_for == ("cdo",)
    assert slots["C"].waits == "prerequisite" and slots["C"].waits_for == ("A",)


def test_quick_wins_go_first_where_order_allows() -> None:
    tasks = [Task("BIG", 6, "po", 1.0, (), severity=5.0), Task("QW", 1, "po", 1.0, (), severity=1.0, quick_win=True)]
    slots = schedule(tasks, {"po": 1.0})
    assert slots["QW"].start == 0 and slots["BIG"].start == 1


def test_an_action_bigger_than_its_role_runs_alone() -> None:
    slots = schedule([Task("L", 4, "x", 1.0, ()), Task("M", 2, "x", 0.5, ())], {"x": 0.5})
    # the longer chain of work goes first; it takes the whole role, so the other waits until it ends
    assert slots["L"].demand == 0.5 and (slots["L"].start, slots["M"].start) == (0, 4)


def test_the_budget_ceiling_moves_an_action_to_the_next_year_and_says_why() -> None:
    tasks = [Task("A", 6, "a", 0.25, (), severity=5, cost=3), Task("B", 6, "b", 0.25, (), severity=1, cost=3)]
    slots = schedule(tasks, {"a": 1, "b": 1}, budget=4, year=lambda m: m // 12)
    # year 0 has room for 1 more: B starts when only its first 2 months (0.5 each) fall in year 0
    assert slots["A"].start == 0 and slots["B"].start == 10
    assert slots["B"].waits == "budget" and slots["B"].waits_for == ("0",)


def test_stage_limit_moves_starts_to_the_next_quarter() -> None:
    tasks = [Task(f"T{i}", 1, f"r{i}", 1.0, (), severity=float(10 - i)) for i in range(4)]
    slots = schedule(tasks, {}, quarter, 2)
    assert [slots[f"T{i}"].start for i in range(4)] == [0, 0, 3, 3]
    assert slots["T2"].waits == "stage_limit"


def test_long_chains_do_not_hit_the_recursion_limit() -> None:
    tasks = [Task(f"T{i:04d}", 1, "r", 1.0, (f"T{i - 1:04d}",) if i else ()) for i in range(3000)]
    slots = schedule(tasks, {"r": 1.0})
    assert slots["T2999"].finish == 3000


# --- the examples, with the default capacity -----------------------------------------------------------


@pytest.fixture(scope="module")
def plans(kb):
    return {p.stem: (ev := api.assess(p, kb), api.roadmap(ev, kb)) for p in EXAMPLES}


def test_every_example_stays_within_capacity_every_month(plans, kb) -> None:
    for name, (_, rm) in plans.items():
        caps = {c.role: c for c in rm.capacity}

        def cap(role: str, month: int, caps=caps) -> float:
            # the capacity at that month: a staffed office's own time from the month the action staffing it finishes
            c = caps[role]
            if c.restored_fte is not None and c.restored_month is not None and month >= c.restored_month:
                return c.restored_fte
            return c.fte if c.fte is not None else c.concurrent
        load: dict[tuple[str, int], float] = collections.defaultdict(float)
        for i in rm.items:
            for m in range(i.start_month, i.finish_month):
                load[i.owner, m] += i.load
                for r in i.support:   # the project office coordinating it
                    load[r, m] += kb.planning.coordination.fte
        assert all(v <= cap(r, m) + EPS for (r, m), v in load.items()), name
        for c in rm.capacity:   # the restored capacity starts when the restoring actions finish, never before
            if c.restored_month is not None:
                assert c.restored_month == max((i.finish_month for i in rm.items if i.id in c.restored_by), default=0)
        # every core-plan action finishes within the horizon; stage order is month order
        assert all(i.finish_month <= rm.horizon_months for i in rm.items if i.in_horizon), name
        assert all(not i.in_horizon for i in rm.items if i.finish_month > rm.horizon_months), name
        assert [i.stage for i in rm.items] == sorted(i.stage for i in rm.items), name


def test_ministry_first_quarter_within_capacity(plans) -> None:
    _, rm = plans["republican-ministry"]
    cap = {c.role: c.fte for c in rm.capacity}
    first = [i for i in rm.items if i.stage == 1]
    for m in range(0, 3):
        per_role: collections.Counter[str] = collections.Counter()
        for i in first:
            if i.start_month <= m < i.finish_month:
                per_role[i.owner] += i.load
                for r in i.support:
                    per_role[r] += 0.1
        assert all(v <= cap[r] + EPS for r, v in per_role.items())
    assert rm.target_source == "profile" and set(rm.targets.values()) == {4}


def test_akimat_core_plan_is_short_and_has_no_ai_scenario(plans, kb) -> None:
    _, rm = plans["local-akimat"]
    core = [i for i in rm.items if i.in_horizon]
    assert len(core) <= 18 and set(rm.targets.values()) == {3}
    scenarios = {a for a in kb.actions if "scenario" in kb.actions[a].title.en.lower()}
    assert scenarios and not scenarios & {i.id for i in core}


def test_a_target_below_the_current_level_is_stated(plans, kb) -> None:
    ev, _ = plans["mature-agency"]
    rm = api.roadmap(ev, kb, targets=api.parse_targets(["2"], kb))
    assert rm.target_source == "option" and set(rm.targets_reached) == set(kb.dimensions)
    assert rm.gap.criteria == [] and rm.gap.actions == []
    assert "Already at or above the target" in api.render_text("roadmap", "en", kb, ev=ev, rm=rm)


def test_gap_reaches_the_target_with_projected_scores(plans, kb) -> None:
    ev, _ = plans["republican-ministry"]
    rm = api.roadmap(ev, kb, targets=api.parse_targets(["3"], kb))
    g = rm.gap
    assert g.reachable and all(d.projected_level >= 3 for d in g.dimensions)
    assert g.actions and set(g.actions) <= {i.id for i in rm.items} | set(ev.findings.achieved)
    raised = {r.criterion for a in g.actions for r in kb.actions[a].raises}
    assert {c.id for c in g.criteria} <= raised and all(c.by > 0 for c in g.criteria)


def test_plan_is_identical_across_processes() -> None:
    code = ("import json,sys; from advisor import api; kb=api.load_kb(); ev=api.assess(sys.argv[1], kb); "
            "print(json.dumps(api.to_jsonable(api.roadmap(ev, kb)), sort_keys=True))")
    path = str(ROOT / "examples" / "local-akimat.yaml")
    outs = {subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1 and json.loads(outs.pop())["items"]
