"""The adapter reads the engine's messages without parsing them, and still refuses another evaluation's facts."""

from __future__ import annotations

import json

import durable_rules_engine as dre
import pytest

from advisor import api
from advisor.diagnosis.scoring import score
from advisor.engine import adapter as engine_mod
from advisor.engine import reference
from advisor.engine.program import Program, facts_of
from advisor.errors import EngineError
from advisor.models.assessment import Assessment

from ..conditions_helpers import random_assessments
from ..conftest import mini_assessment


def engine(kb) -> engine_mod.Engine:
    return engine_mod.Engine(Program.of(kb), {r.id: list(r.then) for r in kb.rules.values()})


def test_a_fact_left_by_another_evaluation_is_refused(mini) -> None:
    eng = engine(mini)
    high = Assessment.model_validate(mini_assessment(culture__a=4, culture__b=4))
    facts = facts_of(score(high, mini), api.context_of(high))
    clean = eng.evaluate(facts)
    # a culture fact of another generation (0), left in the session, would make a culture rule fire
    leaked = json.dumps({"sid": "advisor", "g": 0, "t": "dimension", "id": "culture", "score": 1.0, "level": 1})
    part = eng._parts[0]
    dre.assert_fact(part.handle, leaked)
    try:
        with pytest.raises(EngineError, match="another evaluation"):
            eng.evaluate(facts)
    finally:
        dre.retract_fact(part.handle, leaked)
    assert eng.evaluate(facts) == clean
    eng.close()


def test_every_firing_is_read_without_parsing_json(mini, kb, monkeypatch) -> None:
    """The fast reading covers the engine's usual messages (else the adapter would be slow, not wrong)."""
    calls = []
    real = json.loads
    monkeypatch.setattr(engine_mod.json, "loads", lambda m, *a, **k: calls.append(m) or real(m, *a, **k))
    for base in (mini, kb):
        eng = engine(base)
        program = Program.of(base)
        for data in random_assessments(base, 20, seed=4):
            a = Assessment.model_validate(data)
            facts = facts_of(score(a, base), api.context_of(a))
            assert eng.evaluate(facts) == reference.evaluate(program, facts, eng.then)
        eng.close()
    assert calls == []
