"""The analysts' rule as a property: for any bodies, filters, breakdown and minimum, no number an analyst sees is
computed from fewer than the minimum group, and no hidden group can be worked out by subtraction from shown ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.web.portfolio.aggregates import FIELDS, Filters, summarise

DIMS = ["strategy", "culture"]
VALUES = {"government_level": ["republican", "local"], "sector": ["health", "economy", "education"],
          "office_type": ["centralised", "decentralised"]}


@dataclass
class B:
    government_level: str
    sector: str
    office_type: str
    overall_score: float
    overall_level: int
    dimensions: dict[str, tuple[float, int]] = field(default_factory=dict)
    asserted: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    outcomes: dict[str, tuple[float, str]] = field(default_factory=dict)


bodies = st.lists(st.builds(
    B, st.sampled_from(VALUES["government_level"]), st.sampled_from(VALUES["sector"]), st.sampled_from(VALUES["office_type"]),
    st.floats(1, 5).map(lambda x: round(x, 2)), st.integers(1, 5),
    st.fixed_dictionaries({d: st.tuples(st.floats(1, 5), st.integers(1, 5)) for d in DIMS}),
    st.lists(st.sampled_from(["W1", "W2", "W3"]), unique=True), st.lists(st.sampled_from(["A1", "A2"]), unique=True)),
    max_size=30)
filters = st.builds(Filters, *(st.sampled_from(["", *VALUES[f]]) for f in FIELDS))


@settings(max_examples=400, deadline=None)
@given(bodies, filters, st.sampled_from(FIELDS), st.integers(1, 8))
def test_no_visible_number_comes_from_a_small_group(given_bodies: list[B], f: Filters, by: str, minimum: int) -> None:
    s = summarise(given_bodies, f, DIMS, minimum, by)
    applied = f.active()[:1]                                    # one filter field at a time
    group = [b for b in given_bodies if all(getattr(b, k) == v for k, v in applied)]
    rest = len(given_bodies) - len(group)
    if s.shown:
        assert len(group) >= minimum and (rest == 0 or rest >= minimum)
        assert s.size == len(group) and sum(s.level_distribution.values()) == len(group)
        assert all(sum(levels.values()) == len(group) for levels in s.dimension_levels.values())
        assert all(n <= len(group) for _, n in s.weaknesses + s.actions)
    else:
        assert s.size is None and s.overall is None and not (s.level_distribution or s.dimension_levels or s.dimension_means
                                                             or s.weaknesses or s.actions)
    if applied:
        assert s.breakdown == []        # no breakdown of a filtered group: its cells would be two-way
        return
    hidden = 0
    for cell in s.breakdown:
        members = [b for b in given_bodies if getattr(b, by) == cell.value]
        if cell.shown:
            assert cell.size == len(members) >= minimum and set(cell.levels) == set(DIMS)
        else:
            assert cell.size is None and cell.levels == {} and cell.overall is None
            hidden += len(members)
    if s.shown:     # all bodies minus the shown groups is itself a large group (or none)
        assert hidden == 0 or hidden >= minimum
    else:           # fewer bodies than the minimum in all: no group of them can be shown
        assert not any(c.shown for c in s.breakdown)
    assert {c.value for c in s.breakdown} == {getattr(b, by) for b in given_bodies}


INDICATORS = [("on_time", "percent"), ("satisfaction", "percent"), ("satisfaction", "score_5")]
reporting = st.lists(st.builds(
    B, st.sampled_from(VALUES["government_level"]), st.sampled_from(VALUES["sector"]), st.sampled_from(VALUES["office_type"]),
    st.just(3.0), st.just(3), st.just({d: (3.0, 3) for d in DIMS}), st.just([]), st.just([]),
    st.dictionaries(st.sampled_from(["on_time", "satisfaction"]),
                    st.tuples(st.integers(0, 100).map(float), st.sampled_from(["percent", "score_5"])))),
    max_size=30)


@settings(max_examples=400, deadline=None)
@given(reporting, filters, st.integers(1, 8))
def test_an_outcome_mean_comes_from_enough_bodies_and_its_rest_too(given_bodies: list[B], f: Filters, minimum: int) -> None:
    s = summarise(given_bodies, f, DIMS, minimum, indicators=INDICATORS)
    if not s.shown:
        assert s.outcomes == []
        return
    assert [(o.indicator, o.unit) for o in s.outcomes] == INDICATORS   # every one listed, reported or not
    applied = f.active()[:1]
    group = [b for b in given_bodies if all(getattr(b, k) == v for k, v in applied)]
    def reports(b: B, indicator: str, unit: str) -> bool:
        return indicator in b.outcomes and b.outcomes[indicator][1] == unit
    for o in s.outcomes:
        mine = [b.outcomes[o.indicator][0] for b in group if reports(b, o.indicator, o.unit)]
        rest = sum(reports(b, o.indicator, o.unit) for b in given_bodies) - len(mine)
        if o.shown:
            assert o.size == len(mine) >= minimum and (rest == 0 or rest >= minimum)
            assert o.mean == round(sum(mine) / len(mine), 1)
        else:
            assert o.size is None and o.mean is None
            assert len(mine) < minimum or 0 < rest < minimum
