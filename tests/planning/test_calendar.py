"""The plan's calendar reads its start month once; what it says of a month is what the models' own reading says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from advisor.models.results import quarter_of
from advisor.planning.settings import Settings

starts = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1, 9999), st.integers(1, 12))


@given(starts, st.integers(-30, 600))
def test_a_quarter_is_the_models_quarter(start, month) -> None:
    plan = Settings(targets={}, target_source="profile", capacity=[], start=start, horizon=12)
    assert plan.quarter(month) == quarter_of(start, month)
    y, m = map(int, start.split("-"))
    assert plan.year(month) == (y * 12 + m - 1 + month) // 12
    assert plan.quarter_index(month) == (y * 12 + m - 1 + month) // 3 - (y * 12 + m - 1) // 3 + 1
