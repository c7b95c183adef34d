"""Assessments and progress given as data (a web form, a database row, an upload) rather than as a path.

Problems are keyed by field path (``scores.strategy.monitoring``) since there is no file line to point
at; text uploads keep their lines, as the CLI shows them.
"""

from __future__ import annotations

from typing import Any

from ..errors import N_, AdvisorError
from ..models.assessment import Assessment, Outcome, OutcomesSection, Progress
from ..models.knowledge import KnowledgeBase
from .loading import check_assessment, check_outcome_values, check_progress
from .sourcefile import Source, parse, validate


def assessment(data: Any, kb: KnowledgeBase, origin: str = "assessment") -> Assessment:
    """Validate ``data`` as an assessment and check it against ``kb``."""
    return _assessment(Source(origin, data, {}), kb)


def assessment_text(name: str, text: str, kb: KnowledgeBase) -> Assessment:
    """An uploaded YAML or JSON assessment: problems carry ``name``, line and column."""
    return _assessment(parse(name, text=text), kb)


def _assessment(source: Source, kb: KnowledgeBase) -> Assessment:
    if not isinstance(source.data, dict):
        raise AdvisorError.single(source.path, N_("expected a mapping with organisation, date, assessor and scores"),
                                  hint=N_("run `advisor template` for a blank assessment"))
    return check_assessment(validate(source, Assessment), kb, source)


def outcomes(data: Any, kb: KnowledgeBase, origin: str = "outcomes") -> dict[str, Outcome]:
    """An assessment's ``outcomes`` mapping on its own, checked as an assessment's are (the same model and checks),
    so that a form editing only them is not held up by the rest of a draft; problems keyed ``outcomes.<id>.<field>``."""
    source = Source(origin, {"outcomes": data}, {})
    section = validate(source, OutcomesSection)
    problems = check_outcome_values(section.outcomes, kb, source)
    if problems:
        raise AdvisorError(problems)
    return section.outcomes


def progress(data: Any, kb: KnowledgeBase, origin: str = "progress") -> Progress:
    """Validate ``data`` as a progress record; every action must be in the catalogue, once."""
    source = Source(origin, data, {})
    if not isinstance(data, dict):
        raise AdvisorError.single(origin, N_("expected a mapping with done and in_progress"))
    return check_progress(validate(source, Progress), kb, source)
