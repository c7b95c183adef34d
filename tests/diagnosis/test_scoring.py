"""Scoring: hand-computed cases, profiles, and properties (range, monotonicity)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.diagnosis.scoring import level_of, profile_weights, rnd, score
from advisor.models.assessment import Assessment, Entry, Organisation


def make(kb, scores: dict[str, float | None], weights=None, **org) -> Assessment:
    o = {"name": "x", "id": "x", "government_level": "republican", "sector": "default", "office_type": "centralised"}
    o.update(org)
    return Assessment(organisation=Organisation(**o), date=dt.date(2026, 1, 1), assessor="t", weights=weights,
                      scores={k: Entry(not_applicable=True) if v is None else Entry(score=v) for k, v in scores.items()})


def test_levels_are_reached_only_when_fully_met() -> None:
    assert [level_of(x) for x in (1, 1.99, 2, 2.5, 2.994, 2.995, 4.99, 5)] == [1, 1, 2, 2, 2, 3, 4, 5]


def test_rounding_is_half_up_in_one_place() -> None:
    assert rnd(2.345) == 2.35 and rnd(2.344999) == 2.34 and rnd(0.27500000000000004, 4) == 0.275


def test_hand_computed_case(mini) -> None:
    # explicit equal weights: every dimension 0.25
    a = make(mini, {"strategy.a": 2, "strategy.b": 3.5, "organisation.a": 3, "organisation.b": None,
                    "technology.a": 4, "technology.b": 5, "culture.a": 1.5, "culture.b": 2},
             weights={"strategy": 1, "organisation": 1, "technology": 1, "culture": 1})
    s = score(a, mini)
    assert [(d.id, d.score, d.level) for d in s.dimensions] == [
        ("strategy", 2.75, 2), ("organisation", 3.0, 3), ("technology", 4.5, 4), ("culture", 1.75, 1)]
    # (2.75 + 3 + 4.5 + 1.75) / 4 = 3.0 -> level 3, but culture is level 1: capped at 1 + 1
    assert s.overall_score == 3.0 and s.overall_level == 2 and s.level_capped
    assert s.dimension("organisation").not_applicable == 1 and s.completeness == 1.0
    assert s.weights_source == "assessment"


def test_profile_weights_combine_as_documented(mini) -> None:
    org = Organisation(name="x", id="x", government_level="republican", sector="health", office_type="centralised")
    w, parts = profile_weights(mini, org)
    # ((.30+.20)/2 + .05, (.25+.25)/2, (.25+.30)/2, (.20+.25)/2 - .05) = (.30, .25, .275, .175), sums to 1
    assert {k: round(v, 4) for k, v in w.items()} == {"strategy": 0.3, "organisation": 0.25, "technology": 0.275, "culture": 0.175}
    assert parts == ["government_level:republican", "sector:health", "office_type:centralised"]


def test_sector_without_profile_uses_default(mini) -> None:
    org = Organisation(name="x", id="x", government_level="local", sector="transport", office_type="decentralised")
    w, parts = profile_weights(mini, org)
    # local (.20,.30,.15,.35) + default (.25 each) / 2 + decentralised (-.10,+.05,0,+.05), then normalised (sum 1.0)
    assert {k: round(v, 4) for k, v in w.items()} == {"strategy": 0.125, "organisation": 0.325, "technology": 0.2, "culture": 0.35}
    assert parts[1] == "sector:transport=default"


def test_profiles_change_the_overall_score(mini) -> None:
    scores = {"strategy.a": 5, "strategy.b": 5, "organisation.a": 1, "organisation.b": 1,
              "technology.a": 3, "technology.b": 3, "culture.a": 1, "culture.b": 1}
    central = score(make(mini, scores, government_level="republican", office_type="centralised"), mini)
    local = score(make(mini, scores, government_level="local", office_type="decentralised"), mini)
    assert central.overall_score > local.overall_score  # strategy weighs more in a central body


score_st = st.one_of(st.integers(1, 5).map(float), st.floats(1, 5, allow_nan=False).map(lambda x: round(x, 2)))


@settings(max_examples=200, deadline=None)
@given(st.lists(score_st, min_size=8, max_size=8), st.sampled_from(["republican", "local"]),
       st.sampled_from(["default", "health", "economy", "social_protection", "other"]),
       st.sampled_from(["centralised", "decentralised"]))
def test_scores_stay_within_the_scale(mini, values, gov, sector, office) -> None:
    ids = sorted(mini.criteria)
    s = score(make(mini, dict(zip(ids, values)), government_level=gov, sector=sector, office_type=office), mini)
    for d in s.dimensions:
        assert 1 <= d.score <= 5 and d.level == level_of(d.score)
    assert 1 <= s.overall_score <= 5 and 1 <= s.overall_level <= 5
    assert min(d.score for d in s.dimensions) - 0.01 <= s.overall_score <= max(d.score for d in s.dimensions) + 0.01
    assert abs(sum(d.weight for d in s.dimensions) - 1) < 1e-3


@settings(max_examples=200, deadline=None)
@given(st.lists(score_st, min_size=8, max_size=8), st.integers(0, 7), st.floats(0, 4))
def test_raising_a_criterion_never_lowers_anything(mini, values, which, delta) -> None:
    ids = sorted(mini.criteria)
    before = score(make(mini, dict(zip(ids, values))), mini)
    raised = list(values)
    raised[which] = min(5.0, round(raised[which] + delta, 2))
    after = score(make(mini, dict(zip(ids, raised))), mini)
    for b, a in zip(before.dimensions, after.dimensions):
        assert a.score >= b.score and a.level >= b.level
    assert after.overall_score >= before.overall_score and after.overall_level >= before.overall_level


def test_not_applicable_is_excluded_not_zero(mini) -> None:
    base = {"strategy.a": 4, "strategy.b": None, "organisation.a": 3, "organisation.b": 3,
            "technology.a": 3, "technology.b": 3, "culture.a": 3, "culture.b": 3}
    assert score(make(mini, base), mini).dimension("strategy").score == 4


@pytest.mark.parametrize("n", [2, 3])
def test_criterion_weights_are_used(mini, n) -> None:
    crit = mini.criteria["strategy.a"].model_copy(update={"weight": float(n)})
    heavy = dataclasses.replace(mini, criteria={**mini.criteria, "strategy.a": crit})
    scores = {k: 3 for k in mini.criteria} | {"strategy.a": 1, "strategy.b": 4}
    assert score(make(heavy, scores), heavy).dimension("strategy").score == rnd((n * 1 + 4) / (n + 1))
