"""The own-API baseline of benchmarks/bench.py computes what the adapter computes, and its check catches a
driver that does less (a benchmark of a driver doing less work would be worthless)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from advisor import api
from advisor.diagnosis.scoring import score
from advisor.engine import adapter
from advisor.engine.program import Program, facts_of
from advisor.models.assessment import Assessment
from advisor.models.knowledge import KnowledgeBase

from ..conditions_helpers import random_assessments

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import ownapi  # noqa: E402


def facts(kb: KnowledgeBase, n: int, seed: int) -> list[Any]:
    out = []
    for data in random_assessments(kb, n, seed=seed):
        a = Assessment.model_validate(data)
        out.append(facts_of(score(a, kb), api.context_of(a)))
    return out


@pytest.fixture(scope="module")
def shipped(kb: KnowledgeBase) -> Any:
    then = {r.id: list(r.then) for r in kb.rules.values()}
    eng, definitions = ownapi.captured_definitions(lambda: adapter.Engine(Program.of(kb), then))
    yield eng, definitions
    eng.close()


@pytest.mark.parametrize("mode", ownapi.MODES)
def test_the_own_api_derives_what_the_adapter_derives(kb: KnowledgeBase, shipped: Any, mode: str) -> None:
    eng, definitions = shipped
    cases = facts(kb, 40, seed=5)
    driver = ownapi.OwnApiDriver(eng, definitions, mode)
    try:
        own = [driver.evaluate(f) for f in cases]
        # again in another order: the session is reused, so a fact left behind would change later results
        again = [driver.evaluate(f) for f in reversed(cases)][::-1]
    finally:
        driver.close()
    expected = [eng.evaluate(f) for f in cases]
    assert ownapi.check_same(expected, own, mode) == ownapi.check_same(expected, again, mode) == len(cases)
    assert sum(len(x.remedies) for x in own) > 0 and sum(len(x.achieved) + len(x.prerequisites) for x in own) > 0


def test_the_rulesets_are_the_adapters_own(mini: KnowledgeBase) -> None:
    then = {r.id: list(r.then) for r in mini.rules.values()}
    eng, definitions = ownapi.captured_definitions(lambda: adapter.Engine(Program.of(mini), then))
    try:
        assert [set(d) for d in definitions] == [set(p.rules) for p in eng._parts]
        assert adapter.dre.create_ruleset.__module__ != ownapi.__name__   # put back after the capture
    finally:
        eng.close()


class DropsAWeakness(ownapi.OwnApiDriver):
    """Records every firing but never asserts one derived weakness fact: its remedies cannot fire."""

    def _assert(self, c: Any, fact: dict[str, Any]) -> None:
        if fact["t"] == "weakness" and not any(d["t"] == "weakness" for d in self.derived):
            return
        super()._assert(c, fact)


class LeavesFactsBehind(ownapi.OwnApiDriver):
    """Never retracts an assessment's criterion facts: the reused session leaks them into the next assessment."""

    def _retract(self, name: str, batch: list[dict[str, Any]]) -> None:
        super()._retract(name, [f for f in batch if f["t"] != "criterion"])


@pytest.mark.parametrize("broken", [DropsAWeakness, LeavesFactsBehind])
def test_the_check_catches_a_driver_that_does_less(kb: KnowledgeBase, shipped: Any, broken: type) -> None:
    eng, definitions = shipped
    cases = facts(kb, 20, seed=8)
    driver = broken(eng, definitions, "host")
    try:
        own = [driver.evaluate(f) for f in cases]
    finally:
        driver.close()
    with pytest.raises(AssertionError, match="did not compute what the adapter did"):
        ownapi.check_same([eng.evaluate(f) for f in cases], own, "broken")


def test_the_check_wants_every_assessment(kb: KnowledgeBase, shipped: Any) -> None:
    eng, _ = shipped
    results = [eng.evaluate(f) for f in facts(kb, 3, seed=1)]
    with pytest.raises(ValueError):
        ownapi.check_same(results, results[:2], "short")


class FailsInAnAction(ownapi.OwnApiDriver):
    """A remedy action that raises: durable_rules keeps such an exception in the session's state."""

    def _remedy_action(self, action: str, weakness: str) -> Any:
        def run(c: Any) -> None:
            raise KeyError(action)
        return run


@pytest.mark.parametrize("mode", ownapi.MODES)
def test_an_action_that_fails_is_not_silent(kb: KnowledgeBase, shipped: Any, mode: str) -> None:
    eng, definitions = shipped
    driver = FailsInAnAction(eng, definitions, mode)
    try:
        with pytest.raises(RuntimeError, match="KeyError"):
            for f in facts(kb, 5, seed=2):
                driver.evaluate(f)
    finally:
        driver.close()
