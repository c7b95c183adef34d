"""Scores to findings: score an assessment, run the compiled rules on it, build the findings.

One compiled engine is kept per knowledge-base content hash (the C engine is costly to build and is
never freed by itself), so two versions can be evaluated side by side; the least recently used
beyond ``MAX_ENGINES`` is freed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..engine import reference
from ..engine.adapter import Engine
from ..engine.conditions import Facts
from ..engine.program import Firings, Program, facts_of
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation
from . import findings, path, scoring

#: compiled engines by knowledge-base content hash, least recently used first
_ENGINES: OrderedDict[str, tuple[Engine, Program]] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
#: how many knowledge-base versions stay compiled at once: two side by side (``rules diff``, a web server
#: comparing versions) plus room; the C engine is never freed by itself, so older ones are closed
MAX_ENGINES = 4


def compiled(kb: KnowledgeBase) -> tuple[Engine, Program]:
    """One compiled engine per knowledge-base content (the same content at two places shares one)."""
    with _ENGINES_LOCK:
        key = kb.content_hash
        if key in _ENGINES:
            _ENGINES.move_to_end(key)
        else:
            program = Program.of(kb)
            _ENGINES[key] = (Engine(program, {r.id: list(r.then) for r in kb.rules.values()}), program)
            while len(_ENGINES) > MAX_ENGINES:
                _ENGINES.popitem(last=False)[1][0].close()
        return _ENGINES[key]


def context_of(assessment: Assessment) -> dict[str, str]:
    org = assessment.organisation
    st = assessment.staffing
    return {"government_level": org.government_level, "sector": org.sector, "office_type": org.office_type,
            "office_staffing": "not_reported" if st is None else "understaffed" if st.understaffed else "staffed",
            "additional_duties": ("not_reported" if st is None or st.additional_duties is None
                                  else "yes" if st.additional_duties else "no")}


def reported_of(assessment: Assessment, kb: KnowledgeBase) -> dict[str, bool]:
    """For each outcome indicator of the knowledge base, whether the assessment gives a figure for it."""
    given = assessment.outcomes or {}
    return {indicator: indicator in given for indicator in kb.indicators()}


def facts(ev: Evaluation, kb: KnowledgeBase) -> Facts:
    """The facts the engine saw for an evaluation."""
    return facts_of(ev.scores, context_of(ev.assessment), reported_of(ev.assessment, kb))


def evaluate(assessment: Assessment, kb: KnowledgeBase, use_reference: bool = False) -> Evaluation:
    """Score an assessment and run the rules on it (durable_rules, or the plain-Python reference)."""
    scores = scoring.score(assessment, kb)
    fs = facts_of(scores, context_of(assessment), reported_of(assessment, kb))
    engine, program = compiled(kb)
    fired: Firings = reference.evaluate(program, fs, engine.then) if use_reference else engine.evaluate(fs)
    found = findings.build(kb, scores, fired).model_copy(update={"path": path.place(kb, fs)})
    return Evaluation(assessment, scores, found)
