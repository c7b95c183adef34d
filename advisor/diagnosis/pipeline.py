"""Scores to findings: score an assessment, run the compiled rules on it, build the findings.

One compiled engine is kept per knowledge-base content (the C engine is costly to build and is
never freed by itself); replacing a knowledge base at the same place frees the old one.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from ..engine import reference
from ..engine.adapter import Engine
from ..engine.conditions import Facts
from ..engine.program import Firings, Program, facts_of
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation
from . import findings, scoring

_ENGINES: dict[str, tuple[Engine, Program]] = {}
_ENGINES_LOCK = threading.Lock()


def compiled(kb: KnowledgeBase) -> tuple[Engine, Program]:
    """One compiled engine per knowledge-base content; a replaced knowledge base frees the old engine."""
    with _ENGINES_LOCK:
        key = f"{_resolved(kb.root)}::{kb.content_hash}"
        if key not in _ENGINES:
            for old in [k for k in _ENGINES if k.split("::")[0] == key.split("::")[0]]:
                _ENGINES.pop(old)[0].close()
            program = Program.of(kb)
            _ENGINES[key] = (Engine(program, {r.id: list(r.then) for r in kb.rules.values()}), program)
        return _ENGINES[key]


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    return root.resolve()     # once per folder: resolving on every evaluation cost 2-3% of the pipeline


def context_of(assessment: Assessment) -> dict[str, str]:
    org = assessment.organisation
    return {"government_level": org.government_level, "sector": org.sector, "office_type": org.office_type}


def facts(ev: Evaluation) -> Facts:
    """The facts the engine saw for an evaluation."""
    return facts_of(ev.scores, context_of(ev.assessment))


def evaluate(assessment: Assessment, kb: KnowledgeBase, use_reference: bool = False) -> Evaluation:
    """Score an assessment and run the rules on it (durable_rules, or the plain-Python reference)."""
    scores = scoring.score(assessment, kb)
    fs = facts_of(scores, context_of(assessment))
    engine, program = compiled(kb)
    fired: Firings = reference.evaluate(program, fs, engine.then) if use_reference else engine.evaluate(fs)
    return Evaluation(assessment, scores, findings.build(kb, scores, fired))
