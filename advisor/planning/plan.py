"""The one way to plan for an assessment: every command and the batch go through here, so they agree."""

from __future__ import annotations

from ..errors import N_, AdvisorError
from ..models.assessment import Progress
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation, Roadmap
from . import roadmap
from .settings import Settings


def make(kb: KnowledgeBase, ev: Evaluation, progress: Progress | None = None, targets: dict[str, int] | None = None,
         max_per_stage: int | None = None, horizon: int | None = None, start: str | None = None) -> Roadmap:
    """The roadmap of ``ev``: ``None`` options take their documented defaults (docs/planning.md)."""
    if max_per_stage is not None and max_per_stage < 1:
        raise AdvisorError.single("--max-per-stage", N_("expected a whole number of at least 1, got {value}",
                                                        value=max_per_stage))
    settings = Settings.of(kb, ev.assessment, ev.scores, targets, horizon, start)
    return roadmap.build(kb, ev.scores, ev.findings, progress, max_per_stage=max_per_stage, settings=settings)
