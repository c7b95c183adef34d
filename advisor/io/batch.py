"""Many offices at once: each body's report, and a portfolio summary across them.

Work runs in ``jobs`` processes, each with its own knowledge base and engine (durable_rules is not
thread-safe, and one process per worker is how it scales). A bad input never stops the batch: it is
listed with its reason, and the caller exits 1 at the end.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import AdvisorError
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase

ASSESSMENT_SUFFIXES = {".yaml", ".yml", ".json"}
SHEET_SUFFIXES = {".csv", ".xlsx", ".xlsm"}


@dataclass(frozen=True)
class Item:
    label: str
    path: str | None = None                 # an assessment file
    data: dict[str, Any] | None = None      # or a row already validated from a spreadsheet


@dataclass
class BodyResult:
    label: str
    id: str
    name: str
    overall_score: float
    overall_level: int
    dimensions: dict[str, tuple[float, int]]
    weaknesses: list[str]
    actions: list[str]
    report: str


@dataclass
class Failure:
    label: str
    reasons: list[str]


@dataclass
class Portfolio:
    kb_version: str
    bodies: list[BodyResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def ranking(self) -> list[BodyResult]:
        return sorted(self.bodies, key=lambda b: (-b.overall_score, b.id))

    def level_distribution(self) -> dict[int, int]:
        counts = Counter(b.overall_level for b in self.bodies)
        return {level: counts.get(level, 0) for level in range(1, 6)}

    def dimension_distribution(self) -> dict[str, dict[int, int]]:
        dims = self.bodies[0].dimensions if self.bodies else {}
        return {d: {lv: sum(b.dimensions[d][1] == lv for b in self.bodies) for lv in range(1, 6)} for d in dims}

    def common_weaknesses(self, n: int = 10) -> list[tuple[str, int]]:
        return _top(Counter(w for b in self.bodies for w in b.weaknesses), n)

    def common_actions(self, n: int = 10) -> list[tuple[str, int]]:
        return _top(Counter(a for b in self.bodies for a in b.actions), n)


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def collect(inputs: list[Path], kb: KnowledgeBase) -> tuple[list[Item], list[Failure]]:
    """Expand folders and spreadsheets into items; unreadable sheets and bad rows become failures."""
    from . import spreadsheet
    items: list[Item] = []
    failures: list[Failure] = []
    for path in inputs:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in ASSESSMENT_SUFFIXES | SHEET_SUFFIXES)
        elif path.exists():
            files = [path]
        else:
            failures.append(Failure(str(path), ["file not found"]))
            continue
        for f in files:
            if f.suffix.lower() in SHEET_SUFFIXES:
                try:
                    rows = spreadsheet.read(f, kb)
                except AdvisorError as exc:
                    failures.append(Failure(str(f), [str(p) for p in exc.problems]))
                    continue
                for row in rows:
                    if row.assessment is None:
                        failures.append(Failure(row.label, [str(p) for p in row.problems]))
                    else:
                        items.append(Item(row.label, data=row.assessment.model_dump(mode="json")))
            else:
                items.append(Item(str(f), path=str(f)))
    return items, failures


_WORKER: dict[str, Any] = {}


def _init(kb_root: str, lang: str, fmt: str, out_dir: str) -> None:
    from ..kb.loading import load_kb
    _WORKER.update(kb=load_kb(kb_root), lang=lang, fmt=fmt, out=Path(out_dir))


def _process(item: Item) -> BodyResult | Failure:
    from ..diagnosis.pipeline import evaluate
    from ..kb.loading import load_assessment
    from ..planning import plan, roadmap
    from ..reports.render import render_report
    from .output import write_atomic
    kb: KnowledgeBase = _WORKER["kb"]
    try:
        assessment = load_assessment(item.path, kb) if item.path is not None else Assessment.model_validate(item.data)
        ev = evaluate(assessment, kb)
        rm = plan.make(kb, ev)
        name = f"{_safe(ev.assessment.organisation.id)}-{ev.assessment.date}.{_WORKER['lang']}.{_WORKER['fmt']}"
        write_atomic(_WORKER["out"] / name, render_report(ev, rm, roadmap.next_steps(kb, rm), kb, _WORKER["lang"],
                                                          _WORKER["fmt"]))
    except AdvisorError as exc:
        return Failure(item.label, [str(p) for p in exc.problems])
    s = ev.scores
    return BodyResult(
        label=item.label, id=ev.assessment.organisation.id, name=ev.assessment.organisation.name,
        overall_score=s.overall_score, overall_level=s.overall_level,
        dimensions={d.id: (d.score, d.level) for d in s.dimensions},
        weaknesses=[w.id for w in ev.findings.weaknesses], actions=[i.id for i in rm.items], report=name)


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def run(items: list[Item], kb: KnowledgeBase, out_dir: Path, lang: str, fmt: str, jobs: int,
        progress: Callable[[Iterator[Any]], Iterator[Any]] | None = None) -> Portfolio:
    """Process every item; results come back in input order whatever the number of jobs."""
    portfolio = Portfolio(kb.version)
    args = (str(kb.root), lang, fmt, str(out_dir))
    if jobs <= 1:
        _init(*args)
        results: Iterator[Any] = map(_process, items)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=args)
        results = pool.map(_process, items, chunksize=max(1, len(items) // (jobs * 8)))
    try:
        for result in (progress(results) if progress else results):
            if isinstance(result, Failure):
                portfolio.failures.append(result)
            else:
                portfolio.bodies.append(result)
    finally:
        if pool is not None:
            pool.shutdown()
    seen: dict[str, str] = {}
    kept = []
    for b in portfolio.bodies:
        if b.report in seen:
            portfolio.failures.append(Failure(b.label, [f"same organisation id and date as {seen[b.report]}; "
                                                        "left out of the portfolio"]))
            continue
        seen[b.report] = b.label
        kept.append(b)
    portfolio.bodies = kept
    return portfolio
