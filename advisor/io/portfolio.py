"""The portfolio across bodies: one row per body (its latest round, with the trend against the round before),
the level distributions, the most common findings, a ranking that can be grouped by government level, sector
or office type; written as HTML, CSV and JSON.

It is built from pairs, never from paths: ``(key, Assessment)`` (:func:`of_assessments` evaluates and plans
each) or ``(key, Evaluation, Roadmap)`` already computed (:func:`of_results`, what a store of results has).
``advisor batch`` gives the results of its workers; the web application those of its store.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import N_, AdvisorError, ProblemText
from ..models.assessment import Assessment
from ..models.common import Lang
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation, Roadmap
from ..reports import charts, numbers
from ..reports.neutral import cell
from .output import write_atomic

#: what a ranking can be grouped by (``advisor batch --group-by``): fields of the assessment's organisation
GROUPINGS = ("government_level", "sector", "office_type")


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
    report: str                 # where the body's report is: a file name in the batch's folder, or a page's address
    date: str = ""
    written: str = ""           # the temporary file the worker wrote, renamed to ``report`` by the parent
    asserted: list[str] = field(default_factory=list)   # every weakness found, also those merged into another finding
    government_level: str = ""
    sector: str = ""
    office_type: str = ""
    stage: str | None = None    # stage on the development path (knowledge_base/path.yaml); None: before the first
    outcomes: dict[str, tuple[float, str]] = field(default_factory=dict)   # indicator -> (value, unit), as reported


@dataclass
class Failure:
    label: str
    reasons: list[str]
    trace: str | None = None    # the traceback of a bug, for the bug report


@dataclass(frozen=True)
class Row:
    """A body in the portfolio: its latest round, and the round before it when there is one."""

    body: BodyResult
    previous: BodyResult | None = None
    rounds: int = 1

    @property
    def trend(self) -> float | None:
        """Change of the overall score since the previous round (None for a first round)."""
        return None if self.previous is None else round(self.body.overall_score - self.previous.overall_score, 2)

    @property
    def level_change(self) -> int | None:
        return None if self.previous is None else self.body.overall_level - self.previous.overall_level


@dataclass
class Portfolio:
    kb_version: str
    bodies: list[BodyResult] = field(default_factory=list)   # every round given, in input order
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # what the user should know beyond the failures

    def latest(self) -> list[Row]:
        """One row per organisation id: its latest round by date (of two on one date, the one given later)."""
        rounds: dict[str, list[tuple[str, int, BodyResult]]] = {}
        for i, b in enumerate(self.bodies):
            rounds.setdefault(b.id, []).append((b.date, i, b))
        rows = []
        for found in rounds.values():
            found.sort(key=lambda r: (r[0], r[1]))
            rows.append(Row(found[-1][2], found[-2][2] if len(found) > 1 else None, len(found)))
        return rows

    def ranking(self) -> list[Row]:
        return sorted(self.latest(), key=lambda r: (-r.body.overall_score, r.body.id))

    def grouped(self, by: str | None) -> list[tuple[str, list[Row]]]:
        """The ranking, whole (``by`` None: one group named '') or per value of ``by`` (see GROUPINGS)."""
        ranking = self.ranking()
        if by is None:
            return [("", ranking)]
        if by not in GROUPINGS:
            raise AdvisorError.single("--group-by", N_("unknown grouping {value!r}", value=by),
                                      hint=N_("one of {choices}", choices=", ".join(GROUPINGS)))
        groups: dict[str, list[Row]] = {}
        for r in ranking:
            groups.setdefault(getattr(r.body, by), []).append(r)
        return sorted(groups.items(), key=lambda kv: _group_order(by, kv[0]))

    def level_distribution(self) -> dict[int, int]:
        counts = Counter(r.body.overall_level for r in self.latest())
        return {level: counts.get(level, 0) for level in range(1, 6)}

    def dimension_distribution(self) -> dict[str, dict[int, int]]:
        rows = self.latest()
        dims = rows[0].body.dimensions if rows else {}
        return {d: {lv: sum(r.body.dimensions[d][1] == lv for r in rows) for lv in range(1, 6)} for d in dims}

    def common_weaknesses(self, n: int = 10) -> list[tuple[str, int]]:
        # counted as found, merged or not: which finding shows a gap depends on the body's other gaps
        return _top(Counter(w for r in self.latest() for w in r.body.asserted or r.body.weaknesses), n)

    def common_actions(self, n: int = 10) -> list[tuple[str, int]]:
        return _top(Counter(a for r in self.latest() for a in r.body.actions), n)

    def stage_distribution(self, kb: KnowledgeBase) -> list[tuple[str | None, int]]:
        """Bodies per stage of the development path, before the first stage included, in the path's order."""
        counts = Counter(r.body.stage for r in self.latest())
        return [(s, counts.get(s, 0)) for s in [None, *kb.path_stages()]]

    def scatters(self, kb: KnowledgeBase, lang: Lang = "en") -> list[Scatter]:
        """One chart per outcome indicator and unit that some body reports: overall maturity against the figure
        (its tick labels in ``lang``)."""
        out = []
        for oid, indicator in kb.indicators().items():
            for unit in indicator.units:
                points = [(b.id, b.name, b.overall_score, b.outcomes[oid][0]) for b in (r.body for r in self.ranking())
                          if oid in b.outcomes and b.outcomes[oid][1] == unit]
                if points and kb.outcomes is not None:
                    u = kb.outcomes.units[unit]
                    out.append(Scatter(oid, unit, charts.scatter(points, (u.minimum, u.maximum),
                                                                  figure=lambda x: numbers.number(x, lang, 3))))
        return out


@dataclass(frozen=True)
class Scatter:
    indicator: str
    unit: str
    chart: charts.ScatterChart


def _group_order(by: str, value: str) -> tuple[int, str]:
    # republican bodies before local ones, as the profiles list them; other groupings alphabetically
    order = {"republican": 0, "local": 1} if by == "government_level" else {}
    return order.get(value, 9), value


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def body_result(label: str, ev: Evaluation, rm: Roadmap, report: str = "") -> BodyResult:
    """What the portfolio keeps of one evaluated and planned round."""
    s, o = ev.scores, ev.assessment.organisation
    return BodyResult(
        label=label, id=o.id, name=o.name, overall_score=s.overall_score, overall_level=s.overall_level,
        dimensions={d.id: (d.score, d.level) for d in s.dimensions},
        weaknesses=[w.id for w in ev.findings.weaknesses], actions=[i.id for i in rm.items], report=report,
        date=str(ev.assessment.date), asserted=sorted(x for w in ev.findings.weaknesses for x in [w.id, *w.merged]),
        government_level=o.government_level, sector=o.sector, office_type=o.office_type,
        stage=ev.findings.path.stage if ev.findings.path else None,
        outcomes={k: (v.value, v.unit) for k, v in (ev.assessment.outcomes or {}).items()})


def of_results(results: Iterable[tuple[str, Evaluation, Roadmap]], kb: KnowledgeBase,
               reports: dict[str, str] | None = None) -> Portfolio:
    """The portfolio of rounds already evaluated and planned; ``reports`` maps a key to where its report is."""
    links = reports or {}
    return Portfolio(kb.version, [body_result(key, ev, rm, links.get(key, "")) for key, ev, rm in results])


def of_assessments(pairs: Iterable[tuple[str, Assessment]], kb: KnowledgeBase,
                   reports: dict[str, str] | None = None) -> Portfolio:
    """Evaluate and plan each assessment (default planning options); one that the library refuses becomes a
    failure under its key, and the others keep their place."""
    from ..diagnosis.pipeline import evaluate
    from ..planning import plan
    done: list[tuple[str, Evaluation, Roadmap]] = []
    failures: list[Failure] = []
    for key, assessment in pairs:
        try:
            ev = evaluate(assessment, kb)
            done.append((key, ev, plan.make(kb, ev)))
        except AdvisorError as exc:
            failures.append(Failure(key, [ProblemText(p) for p in exc.problems]))
    portfolio = of_results(done, kb, reports)
    portfolio.failures = failures
    return portfolio


CSV_HEAD = ["rank", "id", "name", "date", "government_level", "sector", "office_type"]


def table(p: Portfolio, kb: KnowledgeBase, group_by: str | None = None) -> list[list[object]]:
    """The header and one row per body; ``rank`` counts within the group when the ranking is grouped."""
    out: list[list[object]] = [[*CSV_HEAD, *kb.dimensions, "overall_score", "overall_level", "trend", "previous_date",
                                "rounds", "weaknesses", "actions", "report", "path_stage"]]
    for _, rows in p.grouped(group_by):
        for rank, r in enumerate(rows, 1):
            b = r.body
            out.append([rank, b.id, b.name, b.date, b.government_level, b.sector, b.office_type,
                        *(b.dimensions[d][0] for d in kb.dimensions), b.overall_score, b.overall_level,
                        "" if r.trend is None else r.trend, r.previous.date if r.previous else "", r.rounds,
                        len(b.weaknesses), len(b.actions), b.report, b.stage or ""])
    return out


def to_csv(p: Portfolio, kb: KnowledgeBase, group_by: str | None = None) -> str:
    return table_csv(table(p, kb, group_by))


def table_csv(rows: list[list[object]]) -> str:
    """Rows as CSV whose every text cell is neutralised: a spreadsheet must never run a name as a formula."""
    buf = io.StringIO()
    w = _SafeWriter(buf)
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


def table_xlsx(rows: list[list[object]], title: str) -> bytes:
    """Rows as one XLSX sheet (header row bold and frozen), formula-like text stored as text; same rows, same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .spreadsheet import _append, _deterministic_xlsx
    book = Workbook()
    ws = book.active
    ws.title = title[:31]
    for row in rows:
        _append(ws, row)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return _deterministic_xlsx(buf.getvalue())


class _SafeWriter:
    """A CSV writer whose every text cell is neutralised: Excel must never run a name as a formula."""

    def __init__(self, buf: io.StringIO) -> None:
        self._w = csv.writer(buf, lineterminator="\n")

    def writerow(self, row: list[object]) -> None:
        self._w.writerow([cell(v) for v in row])


def _row_json(r: Row) -> dict[str, object]:
    b = r.body
    return {"id": b.id, "name": b.name, "date": b.date, "government_level": b.government_level, "sector": b.sector,
            "office_type": b.office_type, "overall_score": b.overall_score, "overall_level": b.overall_level,
            "dimensions": {d: {"score": s, "level": lv} for d, (s, lv) in b.dimensions.items()},
            "trend": r.trend, "level_change": r.level_change, "rounds": r.rounds,
            "previous": None if r.previous is None else {"date": r.previous.date, "overall_score": r.previous.overall_score,
                                                          "overall_level": r.previous.overall_level},
            "weaknesses": b.weaknesses, "actions": b.actions, "report": b.report, "path_stage": b.stage,
            "outcomes": {k: {"value": v, "unit": u} for k, (v, u) in b.outcomes.items()}}


def to_json(p: Portfolio, group_by: str | None = None) -> str:
    data: dict[str, object] = {"kb_version": p.kb_version, "ranking": [_row_json(r) for r in p.ranking()]}
    if group_by is not None:
        data["group_by"] = group_by
        data["groups"] = [{"group": g, "ranking": [r.body.id for r in rows]} for g, rows in p.grouped(group_by)]
    data.update({"level_distribution": p.level_distribution(),
                 "common_weaknesses": p.common_weaknesses(), "common_actions": p.common_actions(),
                 "failures": [{"input": f.label, "reasons": f.reasons} for f in p.failures]})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_portfolio(p: Portfolio, kb: KnowledgeBase, folder: Path, lang: str, group_by: str | None = None) -> None:
    from ..reports.render import render
    groups = p.grouped(group_by)    # an unknown grouping is refused before anything is written
    write_atomic(folder / "portfolio.csv", to_csv(p, kb, group_by))
    write_atomic(folder / "portfolio.json", to_json(p, group_by))
    write_atomic(folder / "portfolio.html", render("portfolio/portfolio.html.j2", lang, kb, portfolio=p,  # type: ignore[arg-type]
                                                   groups=groups, group_by=group_by))
