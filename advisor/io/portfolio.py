"""The portfolio summary of a batch: HTML (heatmap, distributions, common findings, ranking), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..models.knowledge import KnowledgeBase
from ..reports.neutral import cell
from .batch import Portfolio
from .output import write_atomic


def to_csv(p: Portfolio, kb: KnowledgeBase) -> str:
    buf = io.StringIO()
    w = _SafeWriter(buf)
    w.writerow(["rank", "id", "name", *kb.dimensions, "overall_score", "overall_level", "weaknesses", "actions", "report",
                "path_stage"])
    for rank, b in enumerate(p.ranking(), 1):
        w.writerow([rank, b.id, b.name, *(b.dimensions[d][0] for d in kb.dimensions), b.overall_score,
                    b.overall_level, len(b.weaknesses), len(b.actions), b.report, b.stage or ""])
    return buf.getvalue()


class _SafeWriter:
    """A CSV writer whose every text cell is neutralised: Excel must never run a name as a formula."""

    def __init__(self, buf: io.StringIO) -> None:
        self._w = csv.writer(buf, lineterminator="\n")

    def writerow(self, row: list[object]) -> None:
        self._w.writerow([cell(v) for v in row])


def to_json(p: Portfolio) -> str:
    data = {"kb_version": p.kb_version,
            "ranking": [{"id": b.id, "name": b.name, "overall_score": b.overall_score, "overall_level": b.overall_level,
                         "dimensions": {d: {"score": s, "level": lv} for d, (s, lv) in b.dimensions.items()},
                         "weaknesses": b.weaknesses, "actions": b.actions, "report": b.report,
                         "path_stage": b.stage, "outcomes": {k: {"value": v, "unit": u} for k, (v, u) in b.outcomes.items()}}
                        for b in p.ranking()],
            "level_distribution": p.level_distribution(),
            "common_weaknesses": p.common_weaknesses(), "common_actions": p.common_actions(),
            "failures": [{"input": f.label, "reasons": f.reasons} for f in p.failures]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_portfolio(p: Portfolio, kb: KnowledgeBase, folder: Path, lang: str) -> None:
    from ..reports.render import render
    write_atomic(folder / "portfolio.csv", to_csv(p, kb))
    write_atomic(folder / "portfolio.json", to_json(p))
    write_atomic(folder / "portfolio.html", render("portfolio/portfolio.html.j2", lang, kb, portfolio=p))  # type: ignore[arg-type]
