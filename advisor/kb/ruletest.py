"""Run rule test cases: an assessment fragment and what must (not) follow from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnosis.explain import why_not
from ..diagnosis.pipeline import evaluate
from ..errors import N_, AdvisorError, Problem, did_you_mean
from ..models.assessment import Assessment, Entry, Organisation
from ..models.assessment import Outcome as Figure
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation
from ..models.ruletest import Case, CasesFile
from ..planning import roadmap
from .sourcefile import KB_FILE_LIMIT, parse, validate


@dataclass(frozen=True)
class LoadedCase:
    file: str
    line: int | None
    case: Case

    @property
    def id(self) -> str:
        return f"{Path(self.file).stem}::{self.case.name}"


@dataclass
class Outcome:
    case: LoadedCase
    failures: list[str]
    fired: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    roadmap_actions: set[str] = field(default_factory=set)

    @property
    def passed(self) -> bool:
        return not self.failures


def case_files(paths: list[Path] | None, kb: KnowledgeBase) -> list[Path]:
    if not paths:
        paths = [kb.root / "rules" / "tests"]
    out: list[Path] = []
    for p in paths:
        out += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    return out


def load_cases(files: list[Path], kb: KnowledgeBase) -> list[LoadedCase]:
    """Read case files; every id a case names must exist in the knowledge base."""
    problems: list[Problem] = []
    cases: list[LoadedCase] = []
    for path in files:
        try:
            source = parse(path, limit=KB_FILE_LIMIT)
            data = validate(source, CasesFile)
        except AdvisorError as exc:
            problems += exc.problems
            continue
        for i, case in enumerate(data.cases):
            line, _ = source.where(("cases", i))
            cases.append(LoadedCase(str(path), line, case))
            known: dict[str, dict[str, Any]] = {"fires": kb.rules, "not_fires": kb.rules, "weaknesses": kb.weaknesses,
                     "no_weaknesses": kb.weaknesses, "actions": kb.actions, "no_actions": kb.actions}
            for key, ids in known.items():
                for j, x in enumerate(getattr(case.expect, key)):
                    if x not in ids:
                        problems.append(source.problem(("cases", i, "expect", key, j), N_("unknown id {value!r}", value=x),
                                                       hint=did_you_mean(x, ids)))
            for j, pair in enumerate(case.expect.before):
                for x in pair:
                    if x not in kb.actions:
                        problems.append(source.problem(("cases", i, "expect", "before", j), N_("unknown action {value!r}", value=x),
                                                       hint=did_you_mean(x, kb.actions)))
            for j, ind in enumerate(case.given.outcomes):
                if ind not in kb.indicators():
                    problems.append(source.problem(("cases", i, "given", "outcomes", j),
                                                   N_("unknown outcome indicator {value!r}", value=ind),
                                                   hint=did_you_mean(ind, kb.indicators())))
            for cid in case.given.scores:
                if cid not in kb.criteria:
                    problems.append(source.problem(("cases", i, "given", "scores", cid),
                                                   N_("unknown criterion {value!r}", value=cid),
                                                   hint=did_you_mean(cid, kb.criteria)))
            for dim in kb.dimensions:
                of_dim = [cr.id for cr in kb.criteria_of(dim)]
                if all(case.given.scores.get(cid, case.given.default_score) is None for cid in of_dim):
                    problems.append(source.problem(
                        ("cases", i, "given", "scores"),
                        N_("every criterion of dimension {dim!r} is marked not applicable (null); a dimension needs "
                           "at least one score", dim=dim), hint=N_("give a score to one of: {ids}", ids=", ".join(of_dim))))
    if problems:
        raise AdvisorError(problems)
    return cases


def _outcomes(case: Case, kb: KnowledgeBase) -> dict[str, Figure] | None:
    """A figure for each indicator the case reports: rules test only that one is given, so any valid figure does."""
    if not case.given.outcomes or kb.outcomes is None:
        return None
    units = kb.outcomes.units
    return {i: Figure(value=units[kb.indicators()[i].units[0]].minimum, unit=kb.indicators()[i].units[0],
                       period="2025", source="rule test") for i in case.given.outcomes}


def run_case(lc: LoadedCase, kb: KnowledgeBase) -> Outcome:
    case = lc.case
    scores = {cid: (Entry(not_applicable=True) if (v := case.given.scores.get(cid, case.given.default_score)) is None
                    else Entry(score=v)) for cid in kb.criteria}
    ctx = case.given.context
    assessment = Assessment(
        organisation=Organisation(name=case.name, id="case", government_level=ctx.government_level,
                                  sector=ctx.sector, office_type=ctx.office_type),
        date=dt.date(2026, 1, 1), assessor="rule test", scores=scores, outcomes=_outcomes(case, kb),
        staffing=case.given.staffing)
    ev = evaluate(assessment, kb)
    fired = ev.fired_rules()
    weaknesses = {x for w in ev.findings.weaknesses for x in [w.id, *w.merged]}   # asserted, shown or merged
    actions = {a.id for a in ev.findings.actions}
    failures: list[str] = []
    e = case.expect
    failures += [N_("expected rule {id} to fire; it did not: {why}", id=r, why=_why_not(r, ev, kb)) for r in e.fires if r not in fired]
    failures += [N_("expected rule {id} not to fire; it fired", id=r) for r in e.not_fires if r in fired]
    failures += [N_("expected weakness {id}; not found", id=w) for w in e.weaknesses if w not in weaknesses]
    failures += [N_("expected no weakness {id}; found", id=w) for w in e.no_weaknesses if w in weaknesses]
    failures += [N_("expected action {id}; not recommended", id=a) for a in e.actions if a not in actions]
    failures += [N_("expected no action {id}; recommended", id=a) for a in e.no_actions if a in actions]
    rm = roadmap.build(kb, ev.scores, ev.findings, targets=case.given.targets or None)
    stage = {i.id: i.stage for i in rm.items}
    months = {i.id: (i.start_month, i.finish_month) for i in rm.items}
    if e.before:
        for first, second in e.before:
            if first not in stage or second not in stage:
                missing = ", ".join(x for x in (first, second) if x not in stage)
                failures.append(N_("expected {first} before {second}; not in the roadmap: {missing}", first=first, second=second,
                                   missing=missing))
            elif not months[first][1] <= months[second][0]:
                failures.append(N_("expected {first} (months {first_start}–{first_finish}) to finish before {second} starts "
                                   "(months {second_start}–{second_finish})", first=first, first_start=months[first][0],
                                   first_finish=months[first][1], second=second, second_start=months[second][0],
                                   second_finish=months[second][1]))
    return Outcome(lc, failures, fired, actions, set(stage) | {x.id for x in rm.later})


def _why_not(rule: str, ev: Evaluation, kb: KnowledgeBase) -> str:
    return " | ".join("; ".join(m.test + (" (not scored)" if m.value is None else "") for m in miss.failed)
                      for miss in why_not(ev, kb, rule))


@dataclass
class Report:
    outcomes: list[Outcome]
    rules_uncovered: list[str]
    actions_uncovered: list[str]
    coverage: float   # percent of rules and actions exercised

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


def run_all(cases: list[LoadedCase], kb: KnowledgeBase, coverage: bool = False) -> Report:
    """Run every case; with ``coverage``, also which rules never fired and which actions never entered a roadmap."""
    outcomes = [run_case(c, kb) for c in cases]
    fired = set().union(*(o.fired for o in outcomes)) if outcomes else set()
    in_roadmaps: set[str] = set()
    if coverage:
        for o in outcomes:
            in_roadmaps |= o.roadmap_actions
    rules_uncovered = sorted(set(kb.rules) - fired)
    actions_uncovered = sorted(set(kb.actions) - in_roadmaps) if coverage else []
    total = len(kb.rules) + (len(kb.actions) if coverage else 0)
    covered = total - len(rules_uncovered) - len(actions_uncovered)
    return Report(outcomes, rules_uncovered, actions_uncovered, round(100 * covered / total, 1) if total else 100.0)
