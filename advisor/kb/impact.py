"""Impact of a knowledge-base change on real assessments (``advisor rules diff``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..diagnosis.pipeline import evaluate
from ..errors import N_, AdvisorError, Problem
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation
from ..planning import plan
from . import data
from .loading import load_assessment


@dataclass
class Change:
    file: str
    weaknesses_added: list[str] = field(default_factory=list)
    weaknesses_removed: list[str] = field(default_factory=list)
    actions_added: list[str] = field(default_factory=list)
    actions_removed: list[str] = field(default_factory=list)
    stage_changed: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: prerequisites in this roadmap, for actions in both roadmaps whose prerequisites differ
    requires_changed: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    #: (start, finish) month, for actions in both roadmaps that moved in time
    months_changed: dict[str, tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=dict)
    total_months: tuple[int, int] | None = None   # (old, new) when the roadmap's length changed

    @property
    def changed(self) -> bool:
        return bool(self.weaknesses_added or self.weaknesses_removed or self.actions_added or self.actions_removed
                    or self.stage_changed or self.requires_changed or self.months_changed or self.total_months)


@dataclass
class Impact:
    old_version: str
    new_version: str
    changes: list[Change]
    #: the catalogue's own prerequisite changes (requires and requires_if), whatever the assessments
    prerequisites: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        return {"assessments": len(self.changes), "changed": sum(c.changed for c in self.changes),
                "weaknesses_added": sum(len(c.weaknesses_added) for c in self.changes),
                "weaknesses_removed": sum(len(c.weaknesses_removed) for c in self.changes),
                "actions_added": sum(len(c.actions_added) for c in self.changes),
                "actions_removed": sum(len(c.actions_removed) for c in self.changes),
                "stages_changed": sum(len(c.stage_changed) for c in self.changes),
                "requires_changed": sum(len(c.requires_changed) for c in self.changes),
                "months_changed": sum(len(c.months_changed) for c in self.changes),
                "prerequisites_changed": len(self.prerequisites)}


def assessment_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise AdvisorError.single(str(folder), N_("not a folder"), hint=N_("--assessments names a folder of assessment files"))
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json"})
    if not files:
        raise AdvisorError.single(str(folder), N_("no assessment files (.yaml, .yml, .json) in this folder"))
    return files


def diff(old: KnowledgeBase, new: KnowledgeBase, files: list[Path]) -> Impact:
    """Evaluate each assessment file under both knowledge bases and compare findings and roadmap stages."""
    pairs: list[tuple[str, Assessment]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            # read under both, so a file the new knowledge base refuses is reported with its line
            pairs.append((str(path), load_assessment(path, old)))
            load_assessment(path, new)
        except AdvisorError as exc:
            problems += exc.problems
    if problems:
        raise AdvisorError(problems)
    return diff_assessments(old, new, pairs)


def diff_assessments(old: KnowledgeBase, new: KnowledgeBase, pairs: Iterable[tuple[str, Assessment]],
                     progress: Callable[[int], None] | None = None) -> Impact:
    """``(key, assessment)`` pairs (a file name, a stored round) under both knowledge bases: what changes.

    Each assessment is checked against both knowledge bases first; ``progress`` is told how many are done."""
    changes: list[Change] = []
    problems: list[Problem] = []
    for n, (key, assessment) in enumerate(pairs, 1):
        try:
            a, b = (evaluate(_checked(assessment, kb, key), kb) for kb in (old, new))
            changes.append(_change(key, old, new, a, b))
        except AdvisorError as exc:
            problems += exc.problems
        if progress is not None:
            progress(n)
    if problems:
        raise AdvisorError(problems)
    return Impact(old.version, new.version, changes, prerequisites(old, new))


def _checked(assessment: Assessment, kb: KnowledgeBase, key: str) -> Assessment:
    return data.assessment(assessment.model_dump(mode="json", by_alias=True, exclude_none=True), kb, origin=key)


def _change(key: str, old: KnowledgeBase, new: KnowledgeBase, a: Evaluation, b: Evaluation) -> Change:
    # planned as every command plans (the assessment's own capacity and start month)
    ra, rb = plan.make(old, a), plan.make(new, b)
    wa, wb = ({x for w in e.findings.weaknesses for x in [w.id, *w.merged]} for e in (a, b))
    ia, ib = {i.id: i for i in ra.items}, {i.id: i for i in rb.items}
    both = sorted(set(ia) & set(ib))
    return Change(
        file=key, weaknesses_added=sorted(wb - wa), weaknesses_removed=sorted(wa - wb),
        actions_added=sorted(set(ib) - set(ia)), actions_removed=sorted(set(ia) - set(ib)),
        stage_changed={x: (ia[x].stage, ib[x].stage) for x in both if ia[x].stage != ib[x].stage},
        requires_changed={x: (sorted(ia[x].requires), sorted(ib[x].requires)) for x in both
                          if sorted(ia[x].requires) != sorted(ib[x].requires)},
        months_changed={x: ((ia[x].start_month, ia[x].finish_month), (ib[x].start_month, ib[x].finish_month))
                        for x in both if (ia[x].start_month, ia[x].finish_month)
                        != (ib[x].start_month, ib[x].finish_month)},
        total_months=(ra.total_months, rb.total_months) if ra.total_months != rb.total_months else None)


def prerequisites(old: KnowledgeBase, new: KnowledgeBase) -> dict[str, tuple[list[str], list[str]]]:
    """Actions of both catalogues whose prerequisites differ (a conditional one is marked so)."""
    def of(kb: KnowledgeBase, a: str) -> list[str]:
        action = kb.actions[a]
        return sorted(action.requires) + sorted(f"{p} (conditional)" for cp in action.requires_if
                                                for p in cp.requires)
    return {a: (of(old, a), of(new, a)) for a in sorted(set(old.actions) & set(new.actions)) if of(old, a) != of(new, a)}
