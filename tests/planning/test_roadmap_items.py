"""What the planner builds without validating it again (a hot path) is exactly what validating it would give,
and the tables it keeps per knowledge base are those of the knowledge base at hand."""

from __future__ import annotations

import dataclasses
import random

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import Assessment
from advisor.models.results import RoadmapItem
from advisor.planning import gap as gap_mod

from ..conditions_helpers import random_assessment

KB = api.load_kb()
ROLES = sorted(KB.roles)
CLASSES = sorted(KB.planning.cost.classes) if KB.planning.cost else []


@st.composite
def plans(draw):
    data = random_assessment(KB, random.Random(draw(st.integers(0, 10**6))))
    number = st.one_of(st.integers(1, 5), st.floats(0.1, 5, allow_nan=False).map(lambda x: round(x, 2)))
    capacity = {}
    if draw(st.booleans()):
        roles = draw(st.lists(st.sampled_from(ROLES), unique=True, max_size=3))
        split = draw(st.integers(0, len(roles)))
        capacity = {"fte": {r: draw(number) for r in roles[:split]},
                    "concurrent": {r: draw(st.integers(1, 3)) for r in roles[split:]}}
    if CLASSES and draw(st.booleans()):
        # whole numbers too: validation turns them into floats, the planner must hand on floats as well
        capacity["budget"] = {"per_year": draw(number),
                              "classes": {c: draw(st.integers(0, 4)) for c in CLASSES if draw(st.booleans())}}
    if capacity:
        data["capacity"] = capacity
    targets = {d: draw(st.integers(1, 5)) for d in KB.dimensions if draw(st.booleans())} or None
    return data, targets, draw(st.one_of(st.none(), st.integers(1, 4))), draw(st.one_of(st.none(), st.integers(1, 36)))


@settings(max_examples=60, deadline=None)
@given(plans())
def test_a_roadmap_item_is_what_validating_it_gives(case) -> None:
    data, targets, max_per_stage, horizon = case
    ev = api.evaluate(Assessment.model_validate(data), KB)
    rm = api.roadmap(ev, KB, targets=targets, max_per_stage=max_per_stage, horizon=horizon)
    assert rm.items
    for item in rm.items:
        again = RoadmapItem.model_validate(dict(item))
        for name in RoadmapItem.model_fields:
            mine, valid = getattr(item, name), getattr(again, name)
            assert type(mine) is type(valid) and mine == valid, (item.id, name, mine, valid)
        assert item.model_fields_set == again.model_fields_set
        assert item.model_dump_json() == again.model_dump_json()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(KB.actions)), unique=True, max_size=40))
def test_the_closures_are_the_unmet_prerequisites_of_each(satisfied) -> None:
    g, order = _graph(KB)
    among = sorted(KB.actions)
    closures = gap_mod._closures(g, order, set(satisfied), among)
    assert closures == {a: gap_mod._unmet(g, a, set(satisfied), set()) for a in among}


def _graph(kb):
    g = nx.DiGraph()
    g.add_nodes_from(sorted(kb.actions))
    for a in sorted(kb.actions):
        action = kb.actions[a]
        for p in [*action.requires, *(p for cp in action.requires_if for p in cp.requires)]:
            g.add_edge(p, a)
    return g, list(nx.lexicographical_topological_sort(g))


def test_a_copy_with_other_actions_but_the_same_hash_gets_its_own_tables() -> None:
    first = gap_mod._catalogue(KB)
    assert gap_mod._catalogue(KB) is first
    one = next(a for a in sorted(KB.actions) if KB.actions[a].raises)
    actions = {a: act for a, act in KB.actions.items() if a != one}
    copy = dataclasses.replace(KB, actions=actions)
    assert copy.content_hash == KB.content_hash and copy.root == KB.root
    other = gap_mod._catalogue(copy)
    assert one in first.raisers and one not in other.raisers and set(other.cost) == set(actions)
    longer = {**KB.actions, one: KB.actions[one].model_copy(update={"duration_months": KB.actions[one].duration_months + 1})}
    assert gap_mod._catalogue(dataclasses.replace(KB, actions=longer)).cost[one] > first.cost[one]
