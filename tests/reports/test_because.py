"""The findings' "because" line of a rule that fired on the assessment's own facts (staffing, outcome figures) names
those facts, not a guard that only keeps the rule off a fact at level 5 (the score test the linter asks of every
rule, W110): checked on every rule alternative of the shipped knowledge base."""

from __future__ import annotations

import pytest

from advisor.diagnosis.pipeline import compiled
from advisor.engine.conditions import Atom
from advisor.engine.program import match
from advisor.models.results import Firing, WeaknessFinding, explaining
from advisor.reports import render


def passing(atom: Atom) -> float | str:
    """A value of the fact that passes the test (what a firing would have seen)."""
    if isinstance(atom.value, tuple):
        return atom.value[0]
    v = float(atom.value)
    return {"lt": max(1.0, v - 0.5), "gt": min(5.0, v + 0.25)}.get(atom.op, v)


def cases(kb):
    for c in compiled(kb)[1].clauses:
        if c.kind == "diagnostic":
            yield c, [match(a, passing(a)) for a in c.alternative]


def because(kb, lang: str, rule: str, matched) -> str:
    w = WeaknessFinding(id=kb.rules[rule].then[0], dimension="organisation", severity=1.0,
                        firings=[Firing(rule=rule, branch=1, matched=matched)])
    macros = render.environment(lang, "text").get_template("_macros.j2").make_module({"kb": kb})
    return str(macros.because(w))


def test_a_guard_alone_on_its_fact_is_left_out_and_everything_else_stays(kb) -> None:
    seen = 0
    for clause, matched in cases(kb):
        shown = explaining(matched)
        facts = [(m.kind, m.fact) for m in matched]
        on_facts = any(m.kind in ("context", "outcome") for m in matched)
        for m in matched:
            alone = facts.count((m.kind, m.fact)) == 1
            if m.guard and alone and on_facts:
                assert m not in shown, clause.owner
                seen += 1
            else:
                assert m in shown, (clause.owner, m.test)
    # the staffing rule is one of them; the class is not empty
    assert seen >= 1


@pytest.mark.parametrize(("lang", "staffing", "guard"), [
    ("en", "fewer than half of the project office's posts are filled", "below 5"),
    ("ru", "в проектном офисе заполнено меньше половины штатных должностей", "ниже 5"),
    ("kk", "жобалық кеңсенің штаттық лауазымдарының жартысынан азы толтырылған", "5"),
])
def test_the_understaffed_office_reads_as_its_staffing_facts(kb, lang: str, staffing: str, guard: str) -> None:
    for clause, matched in cases(kb):
        if clause.owner != "R-ORG-17":
            continue
        text = because(kb, lang, clause.owner, matched)
        assert text and guard not in text and str(kb.dimensions["organisation"].name.get(lang)) not in text
        if any(m.kind == "context" and m.field == "office_staffing" for m in matched):
            assert text == staffing


def test_every_rule_on_context_facts_reads_without_its_guard(kb) -> None:
    """The class: each rule whose firing holds an assessment fact (context, outcome) and a guard."""
    found = set()
    for clause, matched in cases(kb):
        if any(m.kind in ("context", "outcome") for m in matched) and any(m.guard for m in matched):
            text = because(kb, "en", clause.owner, matched)
            guards = [m for m in matched if m.guard and [(x.kind, x.fact) for x in matched].count((m.kind, m.fact)) == 1]
            for g in guards:
                name = kb.criteria[g.fact].name.en if g.kind == "criterion" else kb.dimensions[g.fact].name.en
                assert f"{name}: score" not in text and f"{name}: level" not in text, clause.owner
            found.add(clause.owner)
    assert "R-ORG-17" in found


def test_a_band_keeps_both_bounds_and_a_lone_guard_stays_when_it_is_all(kb) -> None:
    band = [m for clause, matched in cases(kb) for m in matched
            if m.guard and [(x.kind, x.fact) for x in matched].count((m.kind, m.fact)) > 1]
    assert band, "the knowledge base has level-4 bands (at least 4, below 5)"
    lone = match(Atom("dimension", "organisation", "score", "lt", 5.0), 2.0)
    assert lone.guard and explaining([lone]) == [lone]


def test_a_score_rule_keeps_the_criterion_it_is_about(kb) -> None:
    # "culture at level 4 and engagement below 5": the guard names the criterion the weakness is about
    for clause, matched in cases(kb):
        if clause.owner == "R-HUM-13":
            assert explaining(matched) == matched
            assert kb.criteria["culture.engagement"].name.en + ": score" in because(kb, "en", clause.owner, matched)
