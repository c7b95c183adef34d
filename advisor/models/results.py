"""Values the pipeline produces: scores, findings with their traces, the roadmap."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .assessment import Assessment
from .common import Text


def quarter_of(start: str, month: int) -> str:
    """The calendar quarter of month ``month`` of a plan whose month 0 is ``start`` (YYYY-MM), e.g. 2026-Q3."""
    year, mon = start.split("-")
    m = int(year) * 12 + int(mon) - 1 + max(month, 0)
    return f"{m // 12}-Q{m % 12 // 3 + 1}"


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CriterionScore(Result):
    id: str
    dimension: str
    status: Literal["scored", "not_applicable", "missing"]
    score: float | None = None
    level: int | None = None
    evidence: str | None = None
    method: str | None = None


class DimensionScore(Result):
    id: str
    score: float
    level: int
    weight: float = Field(description="normalised weight of the dimension in the overall score")
    scored: int
    not_applicable: int
    missing: int


class Scores(Result):
    kb_version: str
    criteria: list[CriterionScore]
    dimensions: list[DimensionScore]
    overall_score: float
    overall_level: int
    level_capped: bool = Field(description="true when the overall level was capped at the weakest dimension's level + 1")
    completeness: float = Field(description="share of criteria scored or marked not applicable, 0..1")
    profile: list[str] = Field(description="profile parts that set the weights, e.g. government_level:republican")
    weights_source: Literal["profile", "assessment"]
    sector_note: Text | None = Field(None, description="when the sector has no profile of its own: the statement that "
                                                       "the default weights are used and why, in kk, ru and en")

    def dimension(self, dim_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dim_id)


class Match(Result):
    """One fact a rule matched, with the test it passed, e.g. 'strategy.digital_strategy score 2 <= 2'."""

    kind: Literal["criterion", "dimension", "overall", "context", "outcome"]
    fact: str = Field(description="criterion, dimension or outcome indicator id; 'overall' or 'context'")
    field: str = Field(description="score, level, a context field, or reported (an outcome: 1 given, 0 not)")
    value: float | str | None = Field(description="the value the fact had; null when the criterion was not scored")
    op: str = Field(description="<=, <, >=, >, =, !=, in, not in")
    threshold: float | list[str]
    test: str = Field(description="the whole test in words, e.g. 'strategy.digital_strategy score 2 <= 2'")

    @property
    def guard(self) -> bool:
        """Passed by every score or level short of the top of the scale (score below 5, level at most 4): such a
        test only keeps a rule off a fact already at level 5 (a rule on the assessment's staffing facts tests it
        because its weakness must be about a score), so it explains nothing to a reader."""
        if self.kind not in ("criterion", "dimension", "overall") or isinstance(self.threshold, list):
            return False
        return (self.op == "<" and self.threshold >= 5) or (self.field == "level" and self.op == "<=" and self.threshold >= 4)


def explaining(matched: list[Match]) -> list[Match]:
    """The tests that say why a rule fired, for a reader. When the rule fired on the assessment's own facts (context
    such as staffing, outcome figures), those are the reason, and a guard (:attr:`Match.guard`) that is the only
    test of its fact is left out; a guard that names the criterion a score rule is about, or bounds a band with
    another test of the same fact ("at least 4", "below 5"), stays."""
    if not any(m.kind in ("context", "outcome") for m in matched):
        return list(matched)
    facts = Counter((m.kind, m.fact) for m in matched)
    return [m for m in matched if not (m.guard and facts[m.kind, m.fact] == 1)]


class Firing(Result):
    rule: str
    branch: int
    matched: list[Match]


class WeaknessFinding(Result):
    id: str
    dimension: str
    severity: float = Field(description="higher is more urgent: weight of the dimension x gap below 5 / priority")
    band: Literal["high", "medium", "low"] = Field("medium", description="severity as a reader sees it, from the rules' priority")
    firings: list[Firing] = Field(description="every reason: the rules that found it and those of the weaknesses merged into it")
    merged: list[str] = Field(default_factory=list, description="weaknesses about the same gap, folded into this one")
    addressed: bool = Field(False, description="every action that remedies it is already achieved: shown apart, not as a gap")


class ActionFinding(Result):
    id: str
    dimension: str
    because: list[str] = Field(description="weakness ids this action remedies in this assessment")
    severity: float
    achieved: bool = Field(description="its achieved_when condition holds: the office already has it")
    achieved_trace: list[Match] = Field(default_factory=list)


class PathPlacement(Result):
    """Where the body stands on the path e-government -> open government -> smart government (knowledge_base/path.yaml)."""

    stage: str | None = Field(description="the last stage reached (its condition and every earlier one's hold); "
                                          "null: not yet the first")
    index: int = Field(description="1-based position of that stage on the path; 0 before the first")
    stages: list[str] = Field(description="every stage id, in order")
    reasons: list[Match] = Field(description="the tests of the reached stage's condition that hold")
    next: str | None = Field(description="the stage after it; null at the last")
    missing: list[Match] = Field(description="the tests of the next stage that do not hold yet (value null: not "
                                             "scored), for its closest alternative")
    next_met: int = Field(description="tests of that alternative that already hold")
    next_total: int


class Findings(Result):
    weaknesses: list[WeaknessFinding] = Field(description="one per gap, most severe first")
    actions: list[ActionFinding]
    achieved: list[str] = Field(description="every action of the catalogue whose achieved_when holds")
    active_conditional_prerequisites: dict[str, list[str]] = Field(
        default_factory=dict, description="action id -> extra prerequisites whose condition holds")
    path: PathPlacement | None = Field(None, description="stage on the e-government -> open -> smart government "
                                                         "path; null when the knowledge base defines no path")

    by_dimension: dict[str, list[str]] = Field(
        default_factory=dict, description="ids of the weaknesses still to remedy by dimension, the dimension with "
                                          "the most severe first, cross-dimension last; most severe first within each")

    def groups(self) -> list[tuple[str, list[WeaknessFinding]]]:
        """:attr:`by_dimension` with the findings themselves, for the reports."""
        found = {w.id: w for w in self.weaknesses}
        return [(d, [found[w] for w in ids]) for d, ids in self.by_dimension.items()]

    def weakness(self, wid: str) -> "WeaknessFinding | None":
        """The finding that holds ``wid``, itself or merged into another."""
        return next((w for w in self.weaknesses if w.id == wid or wid in w.merged), None)


class RoadmapItem(Result):
    id: str
    dimension: str
    stage: int
    start_month: int
    finish_month: int
    duration_months: int
    effort: str
    owner: str
    status: Literal["recommended", "prerequisite", "target", "in_progress"]
    because: list[str] = Field(description="weaknesses this action remedies here")
    pulled_by: list[str] = Field(description="for an added prerequisite: the recommended actions that need it")
    requires: list[str] = Field(description="prerequisites that are in this roadmap")
    satisfied: list[str] = Field(description="prerequisites already done or achieved")
    severity: float
    critical: bool
    earliest_month: int = Field(description="the earliest start its prerequisites allow")
    waits: Literal["prerequisite", "capacity", "stage_limit", "budget"] | None = Field(
        description="why it starts when it does: its prerequisites, its owner role's capacity, the limit of starts "
                    "per stage, or the budget ceiling of a year")
    waits_for: list[str] = Field(description="the prerequisites that finish last, the role whose capacity it waits "
                                             "for, or the year whose budget ceiling it waits for")
    load: float = Field(description="FTE of the owner role while it runs (1 per action for a role counted in actions)")
    fte: float = Field(0.0, description="staff time of the owner role while it runs, in FTE (its effort class's "
                                        "or the action's own, knowledge_base/planning.yaml)")
    cost_class: str | None = Field(None, description="its cost class (a relative band), if the knowledge base has them")
    cost: float = Field(0.0, description="its cost: the class's relative units, or the office's own figure for the class")
    person_months: float = Field(description="staff time: (the effort class's FTE + coordination) x duration")
    support: list[str] = Field(description="roles other than the owner whose time it takes (the project office coordinating it)")
    quick_win: bool = Field(description="short, small effort, remedies a finding (knowledge_base/planning.yaml)")
    in_horizon: bool = Field(description="finishes within the planning horizon: part of the core plan")
    start_quarter: str = Field(description="calendar quarter it starts in, e.g. 2026-Q3")
    finish_quarter: str = Field(description="calendar quarter of its last month")


class RoleCapacity(Result):
    role: str
    fte: float | None = Field(None, description="staff time available for roadmap actions (until restored_month, "
                                                "if that is set)")
    concurrent: int | None = Field(None, description="or: at most this many of its actions at once")
    source: Literal["assessment", "profile", "staffing"] = Field(
        description="the assessment's capacity section, the profile's default, or that default scaled by the "
                    "office's staffing (posts filled, other duties)")
    peak: float = Field(0.0, description="the highest load the schedule gives it in any month, in the same unit")
    restored_fte: float | None = Field(
        None, description="staffing only: the profile's unscaled default, assumed from restored_month on, once the "
                          "actions of restored_by (those that staff the office) are finished; null: fte all along")
    restored_month: int | None = Field(
        None, description="the month of the plan from which restored_fte holds: the month the last of restored_by "
                          "finishes in the plan, 0 when they are done")
    restored_from: str | None = Field(None, description="that month as YYYY-MM")
    restored_by: list[str] = Field(default_factory=list, description="the actions whose outcome restores it")


class YearCost(Result):
    year: int
    cost: float


class BudgetPlan(Result):
    """What the plan costs per calendar year, against the office's ceiling if it states one."""

    per_year: float | None = Field(description="the ceiling per calendar year (capacity.budget), if stated")
    unit: str | None = Field(description="what the figures count, as the assessment says; none: relative units")
    classes: dict[str, float] = Field(description="cost class -> cost of one action of that class")
    relative: bool = Field(description="some classes are still counted in the knowledge base's relative units")
    years: list[YearCost] = Field(description="the plan's cost in each calendar year it spends in")
    over: list[str] = Field(default_factory=list, description="actions that alone cost more than a year's ceiling")


class LaterAction(Result):
    """A recommended action left out of the plan: the target does not need it."""

    id: str
    because: list[str] = Field(description="weaknesses it remedies, none of which the target needs")


class CriterionRise(Result):
    id: str
    score: float
    to: float
    by: float


class DimensionGap(Result):
    id: str
    score: float
    level: int
    target: int
    projected: float = Field(description="the score once the gap's actions have raised their criteria")
    projected_level: int
    reached: bool


class Gap(Result):
    """What it takes to reach the targets: criteria to raise and a least-effort set of actions."""

    targets: dict[str, int]
    reachable: bool = Field(description="false when even every action's raises fall short of a target")
    dimensions: list[DimensionGap]
    criteria: list[CriterionRise] = Field(description="criteria that must rise, and by how much")
    actions: list[str] = Field(description="the actions (with their missing prerequisites), in a feasible order")
    person_months: float


class Roadmap(Result):
    kb_version: str
    targets: dict[str, int]
    target_source: Literal["option", "profile", "next_level"] = Field(
        description="--target, the profile's target_level, or the next level up")
    targets_reached: list[str] = Field(description="dimensions already at or above their target")
    start: str = Field(description="month 0 of the plan, YYYY-MM: the assessment's month or --start")
    horizon_months: int = Field(description="the core plan is what finishes within this many months")
    capacity: list[RoleCapacity] = Field(description="capacity assumed per owner role")
    max_per_stage: int | None
    items: list[RoadmapItem]
    stages: int
    total_months: int
    critical_path: list[str]
    done: list[str]
    achieved: list[str] = Field(description="actions that would be recommended but the office already has them")
    later: list[LaterAction] = Field(description="recommended actions the targets do not need: for a later plan")
    gap: Gap = Field(description="what it takes to reach the targets")
    budget: BudgetPlan | None = Field(None, description="cost per year and the ceiling; none without cost classes")


class NextAction(Result):
    id: str
    severity: float
    unblocks: list[str]
    quick_win: bool = False


class BlockedAction(Result):
    id: str
    blocked_by: list[str] = Field(description="its prerequisites in the roadmap")
    start_month: int = Field(0, description="when the schedule starts it")
    waits: Literal["prerequisite", "capacity", "stage_limit", "budget"] | None = None
    waits_for: list[str] = Field(default_factory=list)


class NextSteps(Result):
    kb_version: str
    ready: list[NextAction]
    in_progress: list[str]
    blocked: list[BlockedAction]


class Miss(Result):
    """A rule alternative that did not fire, and the tests that failed."""

    rule: str
    branch: int
    failed: list[Match]


class WeaknessWhy(Result):
    id: str
    found: bool
    firings: list[Firing]
    misses: list[Miss]


class RemedyState(Result):
    """Where an action that remedies a weakness stands in the roadmap explained."""

    id: str
    state: Literal["on_roadmap", "achieved", "done", "not_on_roadmap"]
    stage: int | None = None


class Explanation(Result):
    """Why an action or a weakness is, or is not, in one roadmap (computed from that Roadmap object)."""

    kb_version: str
    id: str
    kind: Literal["action", "weakness"]
    recommended: bool = Field(description="on the roadmap because it remedies a weakness found (or aimed at)")
    achieved: bool
    achieved_trace: list[Match]
    only_prerequisite: bool = Field(description="an action that remedies no weakness; it enters roadmaps only as a prerequisite")
    weaknesses: list[WeaknessWhy] = Field(description="for an action: the weaknesses it remedies; for a weakness: itself")
    on_roadmap: bool = False
    done: bool = Field(False, description="the progress file marks it done")
    status: str | None = Field(None, description="its roadmap status: recommended, target, prerequisite, in_progress")
    stage: int | None = None
    start_month: int | None = None
    finish_month: int | None = None
    because: list[str] = Field(default_factory=list, description="weaknesses it remedies in this roadmap")
    pulled_by: list[str] = Field(default_factory=list, description="recommended roadmap actions that need it")
    requires: list[str] = Field(default_factory=list, description="roadmap actions it waits for")
    satisfied: list[str] = Field(default_factory=list, description="actions before it that are already done or achieved")
    unblocks: list[str] = Field(default_factory=list, description="roadmap actions that wait for it directly")
    merged_into: str | None = Field(None, description="for a weakness folded into another finding about the same gap")
    remedies: list[RemedyState] = Field(default_factory=list, description="for a weakness: the actions that remedy it")


class Delta(Result):
    id: str
    old: float | None
    new: float | None
    change: float | None
    old_level: int | None
    new_level: int | None


class OutcomeDelta(Result):
    """One outcome indicator in two rounds: the figures as reported, and the change when the units agree."""

    id: str
    old: float | None
    new: float | None
    old_unit: str | None
    new_unit: str | None
    old_period: str | None
    new_period: str | None
    change: float | None = Field(description="new - old, in the unit; null when a round lacks it or the units differ")


class Comparison(Result):
    """Two assessments of one body at two dates: what moved."""

    kb_version: str
    organisation: str
    old_date: str
    new_date: str
    overall: Delta
    dimensions: list[Delta]
    criteria: list[Delta]
    weaknesses_resolved: list[str]
    weaknesses_new: list[str]
    actions_completed: list[str] = Field(description="recommended at the old date, achieved at the new one")
    level_moved: int = Field(description="change of the overall level")
    path_old: str | None = Field(None, description="stage on the development path at the old date (null: before the first)")
    path_new: str | None = Field(None, description="stage at the new date")
    path_moved: int = Field(0, description="stages moved along the path (negative: back)")
    outcomes: list[OutcomeDelta] = Field(default_factory=list, description="outcome indicators given in either round")


#: version of the JSON output's layout (docs/json.md), the CLI's and the web's downloads alike; bump it when a
#: field changes meaning or goes away
SCHEMA_VERSION = 2


class RoadmapOutput(Result):
    """What `advisor roadmap --format json` prints (docs/json.md); `assess` prints the same without roadmap and next."""

    schema_version: int
    kb_version: str
    assessment: dict[str, object] = Field(description="the assessment as read, in its long form")
    scores: Scores
    findings: Findings
    roadmap: Roadmap | None = None
    next: NextSteps | None = None


@dataclass(frozen=True)
class Evaluation:
    """One assessment, scored and diagnosed."""

    assessment: Assessment
    scores: Scores
    findings: Findings

    def fired_rules(self) -> set[str]:
        return {f.rule for w in self.findings.weaknesses for f in w.firings}
