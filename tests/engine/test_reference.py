"""Differential test: durable_rules and the plain-Python reference evaluator give identical findings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import Assessment

from ..conditions_helpers import random_assessments


def test_engine_and_reference_agree_on_3000_assessments(kb) -> None:
    disagreements = []
    fired_rules: set[str] = set()
    for i, data in enumerate(random_assessments(kb, 3000, seed=2026)):
        a = Assessment.model_validate(data)
        engine, ref = api.evaluate(a, kb), api.evaluate(a, kb, use_reference=True)
        if engine.findings != ref.findings:
            disagreements.append(i)
        fired_rules |= engine.fired_rules()
    assert disagreements == []
    assert len(fired_rules) > 0.6 * len(kb.rules)   # the generated inputs exercise most rules


score = st.one_of(st.integers(1, 5), st.floats(1, 5).map(lambda x: round(x, 2)), st.just("n/a"))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_engine_and_reference_agree_on_hypothesis_inputs(kb, data) -> None:
    scores = {c: data.draw(score, label=c) for c in kb.criteria}
    for d in kb.dimensions:   # a dimension needs one scored criterion
        first = kb.criteria_of(d)[0].id
        if scores[first] == "n/a":
            scores[first] = 3
    org = {"name": "x", "id": "x", "government_level": data.draw(st.sampled_from(["republican", "local"])),
           "sector": data.draw(st.sampled_from(sorted(kb.profiles.sector))),
           "office_type": data.draw(st.sampled_from(["centralised", "decentralised"]))}
    a = Assessment.model_validate({"organisation": org, "date": "2026-01-01", "assessor": "h", "scores": scores})
    assert api.evaluate(a, kb).findings == api.evaluate(a, kb, use_reference=True).findings
