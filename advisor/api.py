"""The library's facade: everything the CLI (or a notebook, or a web service) needs.

    kb = load_kb()                       # the shipped knowledge base, or load_kb("path/to/kb")
    ev = assess("examples/health-body.yaml", kb)
    rm = roadmap(ev, kb, progress=None, targets={"technology": 4})
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from . import findings as _findings
from . import loading, reference, scoring
from . import roadmap as _roadmap
from .conditions import alt_holds, failed_atoms
from .engine import Engine
from .errors import AdvisorError
from .knowledge import KnowledgeBase
from .models.assessment import Assessment, Progress
from .models.results import Explanation, Findings, Miss, NextSteps, Roadmap, Scores, WeaknessWhy
from .program import Firings, Program, facts_of, match, matches, trace_of
from .sourcefile import did_you_mean


@dataclass(frozen=True)
class Evaluation:
    """One assessment, scored and diagnosed."""

    assessment: Assessment
    scores: Scores
    findings: Findings

    def fired_rules(self) -> set[str]:
        return {f.rule for w in self.findings.weaknesses for f in w.firings}


_ENGINES: dict[str, tuple[Engine, Program]] = {}
_ENGINES_LOCK = threading.Lock()


def load_kb(path: Path | str | None = None) -> KnowledgeBase:
    """Load, validate and cross-check a knowledge base (the shipped one when ``path`` is None)."""
    kb = loading.load_kb(path)
    _roadmap.check_acyclic(kb)
    return kb


def _compiled(kb: KnowledgeBase) -> tuple[Engine, Program]:
    """One compiled engine per knowledge-base content; a replaced knowledge base frees the old engine."""
    with _ENGINES_LOCK:
        key = f"{kb.root.resolve()}::{kb.content_hash}"
        if key not in _ENGINES:
            for old in [k for k in _ENGINES if k.split("::")[0] == key.split("::")[0]]:
                _ENGINES.pop(old)[0].close()
            program = Program.of(kb)
            _ENGINES[key] = (Engine(program, {r.id: list(r.then) for r in kb.rules.values()}), program)
        return _ENGINES[key]


def context_of(assessment: Assessment) -> dict[str, str]:
    org = assessment.organisation
    return {"government_level": org.government_level, "sector": org.sector, "office_type": org.office_type}


def evaluate(assessment: Assessment, kb: KnowledgeBase, use_reference: bool = False) -> Evaluation:
    """Score an assessment and run the rules on it (durable_rules, or the plain-Python reference)."""
    scores = scoring.score(assessment, kb)
    facts = facts_of(scores, context_of(assessment))
    engine, program = _compiled(kb)
    fired: Firings = reference.evaluate(program, facts, engine.then) if use_reference else engine.evaluate(facts)
    return Evaluation(assessment, scores, _findings.build(kb, scores, fired))


def assess(path: Path | str, kb: KnowledgeBase) -> Evaluation:
    return evaluate(loading.load_assessment(path, kb), kb)


def load_progress(path: Path | str | None, kb: KnowledgeBase, assessment: Assessment) -> Progress | None:
    if path is None:
        return None
    progress = loading.load_progress(path, kb)
    if progress.organisation is not None and progress.organisation != assessment.organisation.id:
        raise AdvisorError.single(str(path), f"progress is for organisation {progress.organisation!r}, "
                                  f"the assessment for {assessment.organisation.id!r}", field="organisation",
                                  hint="use the progress file of the same body")
    return progress


def parse_targets(specs: list[str], kb: KnowledgeBase) -> dict[str, int]:
    """``4`` (every dimension) or ``technology=4`` (one dimension) -> {dimension: level}."""
    out: dict[str, int] = {}
    for spec in specs:
        name, _, value = spec.rpartition("=")
        try:
            level = int(value)
        except ValueError:
            level = 0
        if not 1 <= level <= 5:
            raise AdvisorError.single("--target", f"expected a level from 1 to 5, got {value!r}",
                                      hint="e.g. --target 4 or --target technology=4")
        dims = list(kb.dimensions) if not name else [name]
        for d in dims:
            if d not in kb.dimensions:
                raise AdvisorError.single("--target", f"unknown dimension {d!r}", hint="one of " + ", ".join(kb.dimensions))
            out[d] = level
    return out


def roadmap(ev: Evaluation, kb: KnowledgeBase, progress: Progress | None = None,
            targets: dict[str, int] | None = None, max_per_stage: int | None = None) -> Roadmap:
    if max_per_stage is not None and max_per_stage < 1:
        raise AdvisorError.single("--max-per-stage", f"expected a whole number of at least 1, got {max_per_stage}")
    return _roadmap.build(kb, ev.scores, ev.findings, progress, targets, max_per_stage)


def next_steps(rm: Roadmap, kb: KnowledgeBase) -> NextSteps:
    return _roadmap.next_steps(kb, rm)


def explain(ev: Evaluation, kb: KnowledgeBase, item: str) -> Explanation:
    """The chain scores -> rule -> weakness -> action, or which tests failed."""
    if item in kb.weaknesses:
        return Explanation(kb_version=kb.version, id=item, kind="weakness", recommended=False, achieved=False,
                           achieved_trace=[], only_prerequisite=False, weaknesses=[_why(ev, kb, item)])
    if item not in kb.actions:
        raise AdvisorError.single("ID", f"unknown action or weakness {item!r}",
                                  hint=did_you_mean(item, [*kb.actions, *kb.weaknesses]) or "see `advisor model`")
    finding = next((a for a in ev.findings.actions if a.id == item), None)
    achieved = item in ev.findings.achieved
    trace = finding.achieved_trace if finding else []
    if achieved and not trace:
        facts = facts_of(ev.scores, context_of(ev.assessment))
        clause = next(c for c in _compiled(kb)[1].clauses if c.kind == "achieved" and c.owner == item
                      and alt_holds(c.alternative, facts))
        trace = matches(trace_of(clause.alternative, facts))
    remedies = finding.because if finding else sorted(kb.actions[item].remedies)
    return Explanation(kb_version=kb.version, id=item, kind="action", recommended=finding is not None and not achieved,
                       achieved=achieved, achieved_trace=trace, only_prerequisite=not kb.actions[item].remedies,
                       weaknesses=[_why(ev, kb, w) for w in remedies])


def _why(ev: Evaluation, kb: KnowledgeBase, wid: str) -> WeaknessWhy:
    finding = next((w for w in ev.findings.weaknesses if w.id == wid), None)
    if finding is not None:
        return WeaknessWhy(id=wid, found=True, firings=finding.firings, misses=[])
    rules = [r for r in sorted(kb.rules) if wid in kb.rules[r].then]
    return WeaknessWhy(id=wid, found=False, firings=[], misses=[m for r in rules for m in why_not(ev, kb, r)])


def why_not(ev: Evaluation, kb: KnowledgeBase, rule: str) -> list[Miss]:
    """Each alternative of a rule that did not hold, with the tests that failed (the reference's answer)."""
    facts = facts_of(ev.scores, context_of(ev.assessment))
    return [Miss(rule=c.owner, branch=c.branch, failed=[match(a, v) for a, v in failed_atoms(c.alternative, facts)])
            for c in _compiled(kb)[1].clauses if c.kind == "diagnostic" and c.owner == rule
            and not alt_holds(c.alternative, facts)]


def render_text(name: str, lang: str, kb: KnowledgeBase, **context: object) -> str:
    from .render import render
    return render(f"text/{name}.txt.j2", lang, kb, **context)  # type: ignore[arg-type]


def render_report(ev: Evaluation, rm: Roadmap, kb: KnowledgeBase, lang: str, fmt: str) -> str:
    """The client report: ``fmt`` is ``html`` (one self-contained file) or ``md``."""
    from . import report
    from .render import render
    view = report.build(ev, rm, next_steps(rm, kb), kb, lang)  # type: ignore[arg-type]
    return render(f"report/report.{fmt}.j2", lang, kb, view=view)  # type: ignore[arg-type]


def blank_assessment(kb: KnowledgeBase, lang: str) -> str:
    import datetime as dt

    from .render import render
    return render("assessment.yaml.j2", lang, kb, today=dt.date.today().isoformat())  # type: ignore[arg-type]


def to_jsonable(value: object) -> object:
    """Pydantic models and plain containers as JSON-ready data, in a stable order."""
    from pydantic import BaseModel
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value
