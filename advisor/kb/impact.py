"""Impact of a knowledge-base change on real assessments (``advisor rules diff``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnosis.pipeline import evaluate
from ..errors import AdvisorError, Problem
from ..models.knowledge import KnowledgeBase
from ..planning import roadmap
from .loading import load_assessment


@dataclass
class Change:
    file: str
    weaknesses_added: list[str] = field(default_factory=list)
    weaknesses_removed: list[str] = field(default_factory=list)
    actions_added: list[str] = field(default_factory=list)
    actions_removed: list[str] = field(default_factory=list)
    stage_changed: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.weaknesses_added or self.weaknesses_removed or self.actions_added
                    or self.actions_removed or self.stage_changed)


@dataclass
class Impact:
    old_version: str
    new_version: str
    changes: list[Change]

    @property
    def summary(self) -> dict[str, int]:
        return {"assessments": len(self.changes), "changed": sum(c.changed for c in self.changes),
                "weaknesses_added": sum(len(c.weaknesses_added) for c in self.changes),
                "weaknesses_removed": sum(len(c.weaknesses_removed) for c in self.changes),
                "actions_added": sum(len(c.actions_added) for c in self.changes),
                "actions_removed": sum(len(c.actions_removed) for c in self.changes),
                "stages_changed": sum(len(c.stage_changed) for c in self.changes)}


def assessment_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise AdvisorError.single(str(folder), "not a folder", hint="--assessments names a folder of assessment files")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json"})
    if not files:
        raise AdvisorError.single(str(folder), "no assessment files (.yaml, .yml, .json) in this folder")
    return files


def diff(old: KnowledgeBase, new: KnowledgeBase, files: list[Path]) -> Impact:
    """Evaluate each assessment under both knowledge bases and compare findings and roadmap stages."""
    changes: list[Change] = []
    problems: list[Problem] = []
    for path in files:
        try:
            a, b = evaluate(load_assessment(path, old), old), evaluate(load_assessment(path, new), new)
        except AdvisorError as exc:
            problems += exc.problems
            continue
        ra, rb = roadmap.build(old, a.scores, a.findings), roadmap.build(new, b.scores, b.findings)
        wa, wb = ({x for w in e.findings.weaknesses for x in [w.id, *w.merged]} for e in (a, b))
        sa, sb = {i.id: i.stage for i in ra.items}, {i.id: i.stage for i in rb.items}
        changes.append(Change(
            file=str(path), weaknesses_added=sorted(wb - wa), weaknesses_removed=sorted(wa - wb),
            actions_added=sorted(set(sb) - set(sa)), actions_removed=sorted(set(sa) - set(sb)),
            stage_changed={x: (sa[x], sb[x]) for x in sorted(set(sa) & set(sb)) if sa[x] != sb[x]}))
    if problems:
        raise AdvisorError(problems)
    return Impact(old.version, new.version, changes)
