"""The condition language: normal form, negation, satisfiability, against a direct tree evaluation."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from advisor.engine.conditions import all_alternatives, alt_holds, alternatives, satisfiable
from advisor.models.conditions import (
    AllOf,
    AnyOf,
    Condition,
    ContextTest,
    CriterionTest,
    DimensionTest,
    NotOf,
    OverallTest,
)

COND = TypeAdapter(Condition)
CRITERIA = ["strategy.a", "strategy.b"]


def direct(node: Any, facts: dict) -> bool | None:
    """An independent evaluation of the tree: None means 'unknown' (an unscored criterion).

    Unknown propagates through not; all/any treat unknown as false-like only at the top level,
    which is the documented rule: every test on an unscored criterion fails, even under not."""
    if isinstance(node, AllOf):
        vals = [direct(p, facts) for p in node.all]
        return False if False in vals else (None if None in vals else True)
    if isinstance(node, AnyOf):
        vals = [direct(p, facts) for p in node.any]
        return True if True in vals else (None if None in vals else False)
    if isinstance(node, NotOf):
        v = direct(node.not_, facts)
        return None if v is None else not v
    if isinstance(node, (CriterionTest, DimensionTest, OverallTest)):
        key = (("criterion", node.criterion) if isinstance(node, CriterionTest) else
               ("dimension", node.dimension) if isinstance(node, DimensionTest) else ("overall", ""))
        tests = node.overall if isinstance(node, OverallTest) else node
        fact = facts.get(key)
        if fact is None:
            return None
        ok = True
        for field in ("score", "level"):
            cmp = getattr(tests, field)
            if cmp is None:
                continue
            for op, v in cmp.bounds():
                x = fact[field]
                ok &= {"at_most": x <= v, "below": x < v, "at_least": x >= v, "above": x > v, "equals": x == v}[op]
        return ok
    assert isinstance(node, ContextTest)
    return all(facts[("context", "")][f] in vals for f, vals in node.context.fields())


def holds(node: Any, facts: dict) -> bool:
    return any(alt_holds(a, facts) for a in alternatives(node))


leaf = st.one_of(
    st.builds(lambda c, op, v: {"criterion": c, "score": {op: v}}, st.sampled_from(CRITERIA),
              st.sampled_from(["at_most", "below", "at_least", "above"]), st.sampled_from([1, 2, 2.5, 3, 4, 5])),
    st.builds(lambda op, v: {"dimension": "strategy", "level": {op: v}},
              st.sampled_from(["equals", "at_most", "at_least"]), st.integers(1, 5)),
    st.builds(lambda v: {"overall": {"level": {"at_least": v}}}, st.integers(1, 5)),
    st.builds(lambda s: {"context": {"sector": s}}, st.sampled_from(["health", ["health", "economy"], "default"])),
)
tree = st.recursive(leaf, lambda kids: st.one_of(
    st.lists(kids, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
    st.lists(kids, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
    kids.map(lambda x: {"not": x})), max_leaves=6)
facts_st = st.fixed_dictionaries({
    "a": st.one_of(st.none(), st.sampled_from([1.0, 2.0, 2.5, 3.0, 4.5, 5.0])),
    "b": st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0, 4.0])),
    "dim": st.integers(1, 5), "overall": st.integers(1, 5), "sector": st.sampled_from(["health", "economy", "default"])})


def to_facts(f: dict) -> dict:
    facts: dict = {("dimension", "strategy"): {"score": float(f["dim"]), "level": f["dim"]},
                   ("overall", ""): {"score": float(f["overall"]), "level": f["overall"]},
                   ("context", ""): {"sector": f["sector"], "government_level": "republican", "office_type": "centralised"}}
    for key, cid in (("a", "strategy.a"), ("b", "strategy.b")):
        if f[key] is not None:
            facts[("criterion", cid)] = {"score": f[key], "level": int(f[key])}
    return facts


@settings(max_examples=400, deadline=None)
@given(tree, facts_st)
def test_normal_form_agrees_with_direct_evaluation(raw, f) -> None:
    node = COND.validate_python(raw)
    facts = to_facts(f)
    expected = direct(node, facts)
    # unknown (a test on an unscored criterion decided the result) never fires a rule
    assert holds(node, facts) == (expected is True)


def test_negation_is_pushed_into_the_tests() -> None:
    node = COND.validate_python({"not": {"all": [{"criterion": "strategy.a", "score": {"at_most": 2}},
                                                  {"dimension": "culture", "level": {"equals": 1}}]}})
    assert [[a.describe() for a in alt] for alt in alternatives(node)] == [
        ["strategy.a score > 2"], ["culture level != 1"]]


def test_unscored_criterion_fails_even_under_not() -> None:
    node = COND.validate_python({"not": {"criterion": "strategy.a", "score": {"at_least": 3}}})
    assert not holds(node, {})
    assert holds(node, {("criterion", "strategy.a"): {"score": 2.0, "level": 2}})


def test_contradictions_are_unsatisfiable() -> None:
    contradictory = COND.validate_python({"all": [{"criterion": "strategy.a", "score": {"at_most": 2}},
                                                  {"criterion": "strategy.a", "score": {"above": 2}}]})
    assert alternatives(contradictory) == [] and len(all_alternatives(contradictory)) == 1
    assert not satisfiable(all_alternatives(COND.validate_python(
        {"dimension": "culture", "level": {"above": 2, "below": 3}}))[0])
    assert not satisfiable(all_alternatives(COND.validate_python(
        {"all": [{"context": {"sector": "health"}}, {"not": {"context": {"sector": "health"}}}]}))[0])
    assert satisfiable(all_alternatives(COND.validate_python(
        {"criterion": "strategy.a", "score": {"above": 2, "below": 2.5}}))[0])
