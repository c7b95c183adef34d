"""The gap's closures, built for all candidates at once, are each candidate's unmet prerequisites; the tables
it keeps per knowledge base are those of the knowledge base at hand."""

from __future__ import annotations

import dataclasses

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.planning import gap as gap_mod

from .test_gap import unmet

KB = api.load_kb()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(KB.actions)), unique=True, max_size=40))
def test_the_closures_are_the_unmet_prerequisites_of_each(satisfied) -> None:
    g, order = _graph(KB)
    among = sorted(KB.actions)
    closures = gap_mod._closures(g, order, set(satisfied), among)
    assert closures == {a: unmet(g, a, set(satisfied), set()) for a in among}


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
