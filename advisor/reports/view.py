"""Everything a report shows, computed once, so the templates only lay it out."""

from __future__ import annotations

from dataclasses import dataclass

from ..models.assessment import Outcome
from ..models.common import Lang
from ..models.kb import OutcomeIndicator
from ..models.knowledge import KnowledgeBase
from ..models.results import (
    DimensionScore,
    Evaluation,
    Match,
    NextSteps,
    Roadmap,
    RoadmapItem,
    WeaknessFinding,
    quarter_of,
)
from . import charts, citations, numbers
from .i18n import translations

#: bars per Gantt chart: a long roadmap becomes several charts, each fitting an A4 page
GANTT_ROWS = 36


@dataclass(frozen=True)
class ReportView:
    ev: Evaluation
    rm: Roadmap
    nx: NextSteps
    lang: Lang
    strongest: DimensionScore
    weakest: DimensionScore
    urgent: list[RoadmapItem]
    radar: charts.Radar
    gantts: list[charts.Gantt]                      # pages of at most GANTT_ROWS bars, one time scale
    stages: list[tuple[int, str, list[RoadmapItem]]]   # stage, its quarter, its actions (empty quarters left out)
    core: list[RoadmapItem]                         # finishes within the horizon
    core_person_months: float
    fired: list[tuple[str, int, str, list[Match]]]  # rule, alternative, weakness, the tests that held
    gaps: list[WeaknessFinding]                     # weaknesses still to remedy
    next_level: list[tuple[str, float, int]]        # criterion, score, next level: past their foundations
    addressed: list[WeaknessFinding]                # typical of the level, but every remedy is already in place
    groups: list[tuple[str, list[WeaknessFinding]]]  # gaps by dimension, most severe first
    sources: list[citations.CitedDocument]          # the documents the recommended actions and findings rest on
    outcomes: list[tuple[OutcomeIndicator, Outcome]]  # the outcomes the assessment reports, in the knowledge base's order


#: rules of this priority or lower in urgency (rules/advanced.yaml) find the next level of a criterion whose
#: foundations are in place: a step up, not a defect, so the report lists them in one table, not as weaknesses
NEXT_LEVEL_PRIORITY = 4


def is_next_level(kb: KnowledgeBase, w: WeaknessFinding) -> bool:
    """Found only by next-level rules and about one criterion's level 4 or 5 (the advanced catalogue's findings)."""
    weakness = kb.weaknesses[w.id]
    return (weakness.criterion is not None and all(a.below >= 4 for a in weakness.about)
            and all(kb.rules[f.rule].priority >= NEXT_LEVEL_PRIORITY for f in w.firings))


def build(ev: Evaluation, rm: Roadmap, nx: NextSteps, kb: KnowledgeBase, lang: Lang) -> ReportView:
    s = ev.scores
    dims = s.dimensions
    strongest = max(dims, key=lambda d: (d.score, -list(kb.dimensions).index(d.id)))
    weakest = min(dims, key=lambda d: (d.score, list(kb.dimensions).index(d.id)))
    recommended = [i for i in rm.items if i.status != "in_progress"]
    urgent = sorted(recommended, key=lambda i: (-i.severity, i.stage, i.id))[:3]
    core = [i for i in rm.items if i.in_horizon]
    radar = charts.radar([(d.id, kb.dimensions[d.id].name.get(lang), d.score, rm.targets.get(d.id)) for d in dims],
                         figure=lambda x: numbers.number(x, lang))
    rows = [(i.id, f"{i.id} {kb.actions[i.id].title.get(lang)}", i.start_month, i.finish_month, i.critical, i.stage)
            for i in rm.items]
    quarter = translations(lang).gettext("%(year)s Q%(quarter)s")

    def tick(month: int) -> str:
        year, q = quarter_of(rm.start, month).split("-Q")
        return quarter % {"year": year, "quarter": q}

    # as few charts as pages need, of equal length (±1): 44 bars are two of 22, not one of 36 and a stub of 8
    n = max(1, -(-len(rows) // GANTT_ROWS))
    cuts = [len(rows) * k // n for k in range(n + 1)]
    gantts = [charts.gantt(rows[a:b], rm.total_months, tick_label=tick, min_step=3, horizon=rm.horizon_months)
              for a, b in zip(cuts, cuts[1:]) if b > a]
    stages = [(k, quarter_of(rm.start, members[0].start_month), members)
              for k in range(1, rm.stages + 1) if (members := [i for i in rm.items if i.stage == k])]
    fired = sorted(((f.rule, f.branch, next(x for x in [w.id, *w.merged] if x in kb.rules[f.rule].then), f.matched)
                    for w in ev.findings.weaknesses for f in w.firings), key=lambda x: x[:3])
    open_ = [w for w in ev.findings.weaknesses if not w.addressed]
    score_of = {c.id: c.score for c in s.criteria}
    order = list(kb.criteria)
    next_level = sorted(((c, score_of[c] or 0.0, int(kb.weaknesses[w.id].about[0].below))
                         for w in open_ if is_next_level(kb, w) and (c := kb.weaknesses[w.id].criterion) is not None),
                        key=lambda x: order.index(x[0]))
    gaps = [w for w in open_ if not is_next_level(kb, w)]
    groups = [(d, kept) for d, ws in ev.findings.groups() if (kept := [w for w in ws if not is_next_level(kb, w)])]
    addressed = [w for w in ev.findings.weaknesses if w.addressed]
    basis = [(kb.actions[i.id].title.get(lang), kb.actions[i.id].source) for i in rm.items]
    basis += [(kb.rules[r].title.get(lang), kb.rules[r].source) for r, *_ in fired]
    reported = ev.assessment.outcomes or {}
    outcomes = [(ind, reported[oid]) for oid, ind in kb.indicators().items() if oid in reported]
    placed = ev.findings.path
    if placed is not None and placed.stage is not None:
        stage = kb.path_stages()[placed.stage]
        basis.append((stage.name.get(lang), stage.source))
    basis += [(ind.name.get(lang), ind.source) for ind, _ in outcomes]
    return ReportView(ev, rm, nx, lang, strongest, weakest, urgent, radar, gantts, stages, core,
                      round(sum(i.person_months for i in core), 1), fired, gaps, next_level, addressed, groups,
                      citations.cited(kb, basis, lang), outcomes)
