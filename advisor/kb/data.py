"""Assessments and progress given as data (a web form, a database row, an upload) rather than as a path.

Problems are keyed by field path (``scores.strategy.monitoring``) since there is no file line to point
at; text uploads keep their lines, as the CLI shows them.
"""

from __future__ import annotations

from typing import Any

from ..errors import AdvisorError, Problem, did_you_mean
from ..models.assessment import Assessment, DoneItem, InProgressItem, Progress
from ..models.knowledge import KnowledgeBase
from .loading import check_assessment
from .sourcefile import Source, parse, validate


def assessment(data: Any, kb: KnowledgeBase, origin: str = "assessment") -> Assessment:
    """Validate ``data`` as an assessment and check it against ``kb``."""
    return _assessment(Source(origin, data, {}), kb)


def assessment_text(name: str, text: str, kb: KnowledgeBase) -> Assessment:
    """An uploaded YAML or JSON assessment: problems carry ``name``, line and column."""
    return _assessment(parse(name, text=text), kb)


def _assessment(source: Source, kb: KnowledgeBase) -> Assessment:
    if not isinstance(source.data, dict):
        raise AdvisorError.single(source.path, "expected a mapping with organisation, date, assessor and scores",
                                  hint="run `advisor template` for a blank assessment")
    return check_assessment(validate(source, Assessment), kb, source)


def progress(data: Any, kb: KnowledgeBase, origin: str = "progress") -> Progress:
    """Validate ``data`` as a progress record; every action must be in the catalogue, once."""
    source = Source(origin, data, {})
    if not isinstance(data, dict):
        raise AdvisorError.single(origin, "expected a mapping with done and in_progress")
    return check_progress(validate(source, Progress), kb, source)


def check_progress(progress: Progress, kb: KnowledgeBase, source: Source) -> Progress:
    problems: list[Problem] = []
    seen: set[str] = set()
    listed: list[tuple[str, int, DoneItem | InProgressItem]] = [
        *(("done", i, x) for i, x in enumerate(progress.done)),
        *(("in_progress", i, y) for i, y in enumerate(progress.in_progress))]
    for key, i, item in listed:
        if item.action not in kb.actions and kb.successor(item.action) is None:  # a merged id: roadmap.build
            problems.append(source.problem((key, i, "action"), f"unknown action {item.action!r}",
                                           hint=did_you_mean(item.action, kb.actions) or "see the action catalogue"))
        elif item.action in seen:
            problems.append(source.problem((key, i, "action"), f"action {item.action!r} is listed twice",
                                           hint="an action is either done or in progress, once"))
        seen.add(item.action)
    if problems:
        raise AdvisorError(problems)
    return progress
