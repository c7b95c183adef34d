"""The durable_rules adapter: correct, isolated, thread-safe, bounded in memory, loud on errors."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from advisor import api
from advisor.diagnosis.pipeline import compiled
from advisor.diagnosis.scoring import score
from advisor.engine import adapter as engine_mod
from advisor.engine.program import Program, facts_of
from advisor.errors import AdvisorError, EngineError
from advisor.kb.loading import check_assessment
from advisor.models.assessment import Assessment

from ..conditions_helpers import random_assessments
from ..conftest import edit_yaml, mini_assessment


def findings_of(kb, data):
    return api.evaluate(Assessment.model_validate(data), kb).findings


def rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4


def test_chaining_happens_in_the_engine(mini) -> None:
    f = findings_of(mini, mini_assessment())
    # W-HUM-L1-1 is about the same gap (culture below 3) as W-X-GAP: one finding, both reasons
    assert [(w.id, w.merged) for w in f.weaknesses] == [("W-STR-LOW-A", []), ("W-X-GAP", ["W-HUM-L1-1"])]
    assert {a.id: a.because for a in f.actions} == {"STR-01": ["W-STR-LOW-A"], "HUM-01": ["W-X-GAP"]}
    gap = f.weaknesses[1].firings[0]
    assert gap.rule == "R-X-01" and [m.test for m in gap.matched] == ["culture level 1 <= 2", "technology level 4 >= 4"]


def test_evaluations_are_isolated(mini) -> None:
    a, b = mini_assessment(), mini_assessment(strategy__a=5, culture__a=4, culture__b=4)
    alone_a, alone_b = findings_of(mini, a), findings_of(mini, b)
    assert alone_a != alone_b
    for _ in range(3):
        assert findings_of(mini, a) == alone_a and findings_of(mini, b) == alone_b


def test_threads_get_the_right_answers(mini) -> None:
    cases = random_assessments(mini, 12, seed=3)
    expected = [findings_of(mini, c) for c in cases]
    errors: list[str] = []

    def worker(k: int) -> None:
        for i in range(40):
            j = (k + i) % len(cases)
            if findings_of(mini, cases[j]) != expected[j]:
                errors.append(f"thread {k} case {j}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_memory_stays_flat_over_5000_evaluations(mini) -> None:
    assessments = [Assessment.model_validate(c) for c in random_assessments(mini, 50, seed=5)]
    eng, program = compiled(mini)
    facts = [facts_of(score(a, mini), api.context_of(a)) for a in assessments]
    for f in facts * 10:   # warm up allocator pools
        eng.evaluate(f)
    before = rss_kb()
    for i in range(5000):
        eng.evaluate(facts[i % len(facts)])
    grown = rss_kb() - before
    assert grown < 5_000, f"RSS grew by {grown} KiB over 5000 evaluations"


def test_an_error_in_an_action_is_raised_not_swallowed(mini) -> None:
    eng = engine_mod.Engine(Program.of(mini), {r.id: list(r.then) for r in mini.rules.values()})
    a = Assessment.model_validate(mini_assessment())
    facts = facts_of(score(a, mini), api.context_of(a))
    full = eng.evaluate(facts)

    def boom(name: str) -> None:
        if name.startswith("r|"):
            raise RuntimeError("action failed")

    eng.on_fire = boom
    with pytest.raises(EngineError, match="action failed"):
        eng.evaluate(facts)
    eng.on_fire = None
    assert eng.evaluate(facts) == full   # the failed session was cleaned up
    eng.close()


def test_split_rulesets_give_the_same_findings(mini, monkeypatch) -> None:
    cases = random_assessments(mini, 30, seed=9)
    expected = [findings_of(mini, c) for c in cases]
    monkeypatch.setattr(engine_mod, "RULES_PER_RULESET", 3)
    eng = engine_mod.Engine(Program.of(mini), {r.id: list(r.then) for r in mini.rules.values()})
    assert len(eng._parts) > 2
    for c, exp in zip(cases, expected):
        a = Assessment.model_validate(c)
        s = score(a, mini)
        from advisor.diagnosis.findings import build
        assert build(mini, s, eng.evaluate(facts_of(s, api.context_of(a)))) == exp
    eng.close()


def test_too_many_rules_is_refused_clearly(mini, monkeypatch) -> None:
    monkeypatch.setattr(engine_mod, "MAX_RULES", 5)
    with pytest.raises(AdvisorError, match="compiles to .* engine rules; at most 5"):
        engine_mod.Engine(Program.of(mini), {r.id: list(r.then) for r in mini.rules.values()})


def test_reloading_frees_the_old_rulesets(mini) -> None:
    then = {r.id: list(r.then) for r in mini.rules.values()}
    program = Program.of(mini)
    for _ in range(20):
        engine_mod.Engine(program, then).close()
    before = rss_kb()
    for _ in range(300):
        engine_mod.Engine(program, then).close()
    assert rss_kb() - before < 10_000


def test_two_kb_versions_side_by_side_and_old_ones_freed(mini_copy: Path, tmp_path: Path) -> None:
    from advisor.diagnosis import pipeline
    kb1 = api.load_kb(mini_copy)
    old, _ = compiled(kb1)
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0]["when"].update(score={"at_most": 3}))
    kb2 = api.load_kb(mini_copy)
    new, _ = compiled(kb2)
    assert new is not old and old._parts != [] and compiled(kb1)[0] is old  # both versions usable at once
    same = tmp_path / "same"
    shutil.copytree(mini_copy, same)
    assert compiled(api.load_kb(same))[0] is new  # keyed by content, not by place
    for i in range(pipeline.MAX_ENGINES):
        edit_yaml(mini_copy / "rules/all.yaml", lambda d, i=i: d["rules"][0]["when"].update(score={"at_most": 1 + i / 2}))
        compiled(api.load_kb(mini_copy))
    assert old._parts == [] and kb1.content_hash not in pipeline._ENGINES


def test_cyrillic_and_kazakh_in_facts_and_rules(mini_copy: Path) -> None:
    edit_yaml(mini_copy / "knowledge_base/profiles.yaml", lambda d: d["sector"].update({"денсаулық_сақтау": None}))
    edit_yaml(mini_copy / "rules/all.yaml", lambda d: d["rules"][0].update(
        when={"all": [{"context": {"sector": "денсаулық_сақтау"}}, {"criterion": "strategy.a", "score": {"at_most": 2}}]}))
    kb = api.load_kb(mini_copy)
    data = mini_assessment()
    data["organisation"].update(sector="денсаулық_сақтау", id="денсаулық-1", name="Денсаулық сақтау министрлігі")
    a = check_assessment(Assessment.model_validate(data), kb, source=None)  # type: ignore[arg-type]
    f = api.evaluate(a, kb).findings
    assert "W-STR-LOW-A" in {w.id for w in f.weaknesses}
    trace = f.weaknesses[0].firings[0].matched
    assert any(m.value == "денсаулық_сақтау" for m in trace)
    data["organisation"]["sector"] = "health"
    assert "W-STR-LOW-A" not in {w.id for w in api.evaluate(Assessment.model_validate(data), kb).findings.weaknesses}


def test_rulesets_are_split_by_distinct_weaknesses_too(mini, monkeypatch) -> None:
    monkeypatch.setattr(engine_mod, "WEAKNESSES_PER_RULESET", 1)
    eng = engine_mod.Engine(Program.of(mini), {r.id: list(r.then) for r in mini.rules.values()})
    assert all(len({w for w in part.remedies.values()}) <= 1 for part in eng._parts) and len(eng._parts) >= 4
    a = Assessment.model_validate(mini_assessment())
    s = score(a, mini)
    from advisor.diagnosis.findings import build
    assert build(mini, s, eng.evaluate(facts_of(s, api.context_of(a)))) == api.evaluate(a, mini).findings
    eng.close()


def test_the_engine_limit_of_512_tests_per_node_is_avoided() -> None:
    """600 rules on 600 distinct weaknesses: one ruleset would hang durable_rules; split, it loads and runs."""
    import dataclasses

    from advisor.models.kb import Rule, Weakness
    kb = api.load_kb()
    proto_w, proto_r = next(iter(kb.weaknesses.values())), next(iter(kb.rules.values()))
    weaknesses = {f"W-G-{i:04d}": Weakness(**{**proto_w.model_dump(), "id": f"W-G-{i:04d}", "dimension": "cross",
                                               "level": None, "criterion": None}) for i in range(600)}
    rules = {f"R-G-{i:04d}": Rule(**{**proto_r.model_dump(by_alias=True), "id": f"R-G-{i:04d}", "then": [f"W-G-{i:04d}"],
                                     "when": {"criterion": "strategy.digital_strategy", "score": {"at_most": 1 + (i % 40) / 10}}})
             for i in range(600)}
    actions = {a.id: a.model_copy(update={"remedies": [w for j, w in enumerate(weaknesses) if j % len(kb.actions) == k]})
               for k, a in enumerate(kb.actions.values())}
    big = dataclasses.replace(kb, rules=rules, weaknesses=weaknesses, actions=actions, content_hash="big600")
    ev = api.evaluate(Assessment.model_validate(mini_like(kb)), big)
    # score 2 passes the thresholds 2.0 .. 4.9: 30 of every 40 (counted merged or not)
    assert len({x for w in ev.findings.weaknesses for x in [w.id, *w.merged]}) == 450
    assert ev.findings == api.evaluate(Assessment.model_validate(mini_like(kb)), big, use_reference=True).findings


def mini_like(kb) -> dict:
    return {"organisation": {"name": "x", "id": "x", "government_level": "republican", "sector": "default",
                             "office_type": "centralised"}, "date": "2026-01-01", "assessor": "t",
            "scores": {c: 2 for c in kb.criteria}}
