"""Models of the knowledge-base files (``knowledge_base/`` and ``rules/``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .common import Identifier, NonEmpty, Strict, Text
from .conditions import Condition, LevelNumber, Score
from .sources import Sourcing

DimensionId = Identifier
WeaknessId = Annotated[str, StringConstraints(pattern=r"^W-[A-Z]{1,3}-[A-Z0-9][A-Z0-9-]*$")]
ActionId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}-\d{2}$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^R-[A-Z]{1,3}-[A-Z0-9][A-Z0-9-]*$")]
Weight = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]


class Metadata(Strict):
    """``knowledge_base/kb.yaml``: what this knowledge base is."""

    version: NonEmpty = Field(description="human version string, e.g. 2026.11.0")
    name: Text
    description: Text | None = None


class ScaleLevel(Strict):
    level: LevelNumber
    name: Text
    meaning: Text


class Method(Strict):
    id: Identifier
    name: Text


class Dimension(Strict):
    id: DimensionId
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="three-letter code used in weakness and action ids, e.g. STR")
    name: Text
    description: Text
    key_requirements: list[Text] = Field(min_length=1)
    methods: list[Identifier] = Field(min_length=1, description="assessment method ids")


class ModelFile(Strict):
    """``knowledge_base/model.yaml``: Table 1 (dimensions) and Table 2 (the scale)."""

    scale: list[ScaleLevel] = Field(min_length=5, max_length=5)
    methods: list[Method] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)


class Criterion(Strict):
    id: Identifier = Field(description="<dimension>.<name>, stable, never reused")
    name: Text
    description: Text
    methods: list[Identifier] = Field(min_length=1)
    weight: Weight = 1.0
    levels: dict[LevelNumber, Text] = Field(description="anchored descriptor of what scores 1..5 look like")
    source: Sourcing

    @model_validator(mode="after")
    def _all_levels(self) -> "Criterion":
        if sorted(self.levels) != [1, 2, 3, 4, 5]:
            raise ValueError("levels must describe each score 1, 2, 3, 4 and 5")
        return self


class CriteriaFile(Strict):
    dimension: DimensionId
    criteria: list[Criterion] = Field(min_length=1)


DimWeights = dict[DimensionId, Weight]


class WeightProfile(Strict):
    name: Text
    weights: DimWeights | None = Field(None, description="null: no profile of its own, the default weights are used "
                                                         "(sectors only); the rationale then says so and why")
    target_level: LevelNumber | None = None
    rationale: Text


class OfficeAdjustment(Strict):
    name: Text
    adjust: dict[DimensionId, Annotated[float, Field(strict=True, ge=-1, le=1, allow_inf_nan=False)]]
    rationale: Text


class ProfilesFile(Strict):
    """``knowledge_base/profiles.yaml``: dimension weights by who the body is."""

    government_level: dict[Literal["republican", "local"], WeightProfile]
    sector: dict[Identifier, WeightProfile | None] = Field(
        description="known sectors; null means 'use the default sector weights'")
    office_type: dict[Literal["centralised", "decentralised"], OfficeAdjustment]

    @model_validator(mode="after")
    def _default(self) -> "ProfilesFile":
        default = self.sector.get("default")
        if default is None or default.weights is None:
            raise ValueError("sector needs a 'default' profile with weights")
        if any(p.weights is None for p in self.government_level.values()):
            raise ValueError("every government level needs weights")
        return self

    def sector_weights(self, sector: str) -> DimWeights:
        """The sector's own weights, or the default profile's when it has none."""
        own = self.sector.get(sector)
        return own.weights if own is not None and own.weights is not None else self.sector["default"].weights  # type: ignore[union-attr,return-value]

    def has_own_weights(self, sector: str) -> bool:
        own = self.sector.get(sector)
        return own is not None and own.weights is not None


class About(Strict):
    """One fact a weakness is about: it holds only while this score is below ``below`` (the criterion's anchor)."""

    criterion: Identifier | None = Field(None, description="criterion id")
    dimension: Identifier | None = Field(None, description="dimension id (for a weakness about a whole dimension)")
    below: Score = Field(description="the weakness is about this fact only while its score is below this value")

    @model_validator(mode="after")
    def _one_fact(self) -> "About":
        if (self.criterion is None) == (self.dimension is None):
            raise ValueError("give exactly one of criterion, dimension")
        return self

    @property
    def fact(self) -> tuple[Literal["criterion", "dimension"], str]:
        return ("criterion", self.criterion) if self.criterion is not None else ("dimension", self.dimension or "")


class Weakness(Strict):
    id: WeaknessId
    dimension: DimensionId | Literal["cross"]
    level: Annotated[int, Field(strict=True, ge=1, le=4)] | None = Field(
        None, description="the maturity level this weakness is typical of (dimension-level weaknesses)")
    criterion: Identifier | None = Field(None, description="the criterion this weakness is about, if one")
    about: list[About] = Field(min_length=1, description=(
        "the criteria (or dimensions) this weakness is about, the main one first: it is shown only while at least "
        "one of them scores below its threshold, and its reasons are those that do"))
    title: Text
    description: Text
    evidence: Text = Field(description="what evidence shows the weakness")


class WeaknessesFile(Strict):
    weaknesses: list[Weakness] = Field(min_length=1)


class Rule(Strict):
    id: RuleId
    title: Text
    when: Condition
    then: list[WeaknessId] = Field(min_length=1, description="weaknesses this rule asserts")
    priority: Annotated[int, Field(strict=True, ge=1, le=5)] = Field(3, description="1 most urgent .. 5 least")
    safeguard: Literal["security", "legal", "ai"] | None = Field(None, description=(
        "a priority-1 rule about information security or data protection, legal compliance, or AI guardrails (its "
        "condition says AI is in use): the remedies of what it finds are planned whatever the target "
        "(docs/planning.md)"))
    rationale: Text
    source: Sourcing

    @model_validator(mode="after")
    def _safeguard_is_urgent(self) -> "Rule":
        if self.safeguard is not None and self.priority != 1:
            raise ValueError("a safeguard rule needs priority 1")
        return self


class RulesFile(Strict):
    rules: list[Rule] = Field(min_length=1)


class Role(Strict):
    id: Identifier
    name: Text


class RolesFile(Strict):
    roles: list[Role] = Field(min_length=1)


class Raise(Strict):
    criterion: Identifier
    to_level: LevelNumber


class ConditionalPrerequisite(Strict):
    """Extra prerequisites that apply only when ``when`` holds (e.g. stricter data protection in health)."""

    when: Condition
    requires: list[ActionId] = Field(min_length=1)
    reason: Text


class Action(Strict):
    id: ActionId
    dimension: DimensionId
    title: Text
    description: Text
    remedies: list[WeaknessId] = Field(default_factory=list)
    requires: list[ActionId] = Field(default_factory=list, description="prerequisite action ids")
    requires_if: list[ConditionalPrerequisite] = Field(default_factory=list)
    replaces: list[ActionId] = Field(default_factory=list, description=(
        "ids of earlier actions merged into this one; a progress record that still names one counts as this action "
        "in progress (docs/progress.md)"))
    duration_months: Annotated[int, Field(strict=True, ge=1, le=36)]
    effort: Literal["S", "M", "L"]
    owner: Identifier = Field(description="role id from knowledge_base/roles.yaml")
    outcome: Text
    raises: list[Raise] = Field(default_factory=list)
    achieved_when: Condition | None = None
    source: Sourcing


class PathStage(Strict):
    """One stage of the development path of public administration (seed 002: e-government, open, smart).

    A body is at a stage when its ``when`` holds and that of every stage before it: stages are not skipped."""

    id: Identifier
    name: Text
    description: Text = Field(description="what a body at this stage looks like")
    when: Condition = Field(description="what places a body at this stage; only lower bounds (at_least, above) so "
                                        "that a higher score never moves a body back")
    source: Sourcing


class PathFile(Strict):
    """``knowledge_base/path.yaml``: the stages of the path, in order, and what they rest on."""

    before: Text = Field(description="what a body that meets no stage's condition is called")
    reference: Text = Field(description="the sources' own placement, shown beside the body's (e.g. the country's stage)")
    stages: list[PathStage] = Field(min_length=1)
    basis: Text = Field(description="for the report's method appendix: where the stages and thresholds come from")


class OutcomeUnit(Strict):
    name: Text
    minimum: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    maximum: Annotated[float, Field(strict=True, allow_inf_nan=False)]


class OutcomeIndicator(Strict):
    """An outcome an assessment may report beside the maturity scores (seed 000, direction 2)."""

    id: Identifier
    name: Text
    description: Text = Field(description="what is counted, so that two bodies report the same thing")
    units: list[Identifier] = Field(min_length=1, description="units it may be reported in, the usual one first")
    higher_is_better: bool = True
    source: Sourcing


class OutcomesFile(Strict):
    """``knowledge_base/outcomes.yaml``: the outcome indicators an assessment's ``outcomes`` section may give."""

    units: dict[Identifier, OutcomeUnit]
    indicators: list[OutcomeIndicator] = Field(min_length=1)


class ActionsFile(Strict):
    actions: list[Action] = Field(min_length=1)


GroupName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class OrderingConstraint(Strict):
    """Every action of ``before`` precedes every action of ``after`` whenever both are to be done, also when an
    action between them is already achieved or done (a rule of the sources, not a technical dependency)."""

    id: Identifier
    before: list[GroupName | ActionId] = Field(min_length=1, description="group names or action ids")
    after: list[GroupName | ActionId] = Field(min_length=1, description="group names or action ids")
    reason: Text
    source: NonEmpty


class OrderingFile(Strict):
    """``knowledge_base/ordering.yaml``: named groups of actions and the orderings the sources impose on them."""

    groups: dict[GroupName, list[ActionId]] = Field(default_factory=dict)
    constraints: list[OrderingConstraint] = Field(default_factory=list)


EffortClassId = Literal["S", "M", "L"]
FTE = Annotated[float, Field(gt=0, le=100)]


class EffortClass(Strict):
    """What an effort class costs: the owner role's staff time per month of the action's duration."""

    fte: Annotated[float, Field(gt=0, le=5)] = Field(
        description="full-time equivalents of the owner role per month of duration (person-months per month)")
    name: Text


class CapacityDefaults(Strict):
    """Staff time (FTE) each owner role can give to roadmap actions when the assessment does not say."""

    default_fte: FTE = Field(description="FTE of any role not named below")
    government_level: dict[Literal["republican", "local"], dict[Identifier, FTE]] = Field(
        default_factory=dict, description="FTE per role by government level; replaces default_fte for the roles named")
    office_type: dict[Literal["centralised", "decentralised"], dict[Identifier, Annotated[float, Field(ge=0, le=100)]]] = Field(
        default_factory=dict, description="FTE added per role by office type (e.g. several offices)")
    additional_duties_share: Annotated[float, Field(gt=0, le=1)] = Field(
        1.0, description="share of the project office's default time left for the roadmap when the assessment says "
                         "its staff carry other duties (the office's time is also scaled by its share of posts filled)")
    restored_by: list[ActionId] = Field(
        default_factory=list, description="actions whose outcome restores the project office's default time that "
                                          "staffing scaled down: from the month the last of them finishes in a plan "
                                          "(month 0 when all are done), the plan assumes the unscaled default")


class QuickWin(Strict):
    """When an action counts as a quick win: short, small and remedying something."""

    effort: list[EffortClassId] = Field(min_length=1)
    max_duration_months: Annotated[int, Field(strict=True, ge=1, le=36)]


class Coordination(Strict):
    """Staff time one role (the project office) gives to every action another role owns, while it runs."""

    role: Identifier
    fte: Annotated[float, Field(gt=0, le=5)]


class CostClass(Strict):
    """A relative cost band (what an action buys: services, systems, equipment), not a sum of money."""

    units: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)] = Field(
        description="relative cost in units of the plan's budget ceiling; an office may give its own figures")
    name: Text


class Costs(Strict):
    """Cost classes, which an action takes by default, and where the bands come from."""

    basis: NonEmpty = Field(description="where the bands come from, or that they are relative proposals")
    classes: dict[Identifier, CostClass] = Field(min_length=1)
    by_effort: dict[EffortClassId, Identifier] = Field(description="an action's class when it has no override")

    @model_validator(mode="after")
    def _known(self) -> "Costs":
        if {"S", "M", "L"} - set(self.by_effort):
            raise ValueError("by_effort needs every effort class S, M and L")
        return self


class ActionPlanning(Strict):
    """One action's own figures where its effort class's do not fit it."""

    fte: Annotated[float, Field(gt=0, le=5)] | None = Field(
        None, description="the owner role's FTE while it runs, instead of its effort class's")
    cost: Identifier | None = Field(None, description="its cost class, instead of its effort class's default")


class PlanningFile(Strict):
    """``knowledge_base/planning.yaml``: effort and cost classes, default capacity, horizon and quick wins."""

    effort: dict[EffortClassId, EffortClass]
    cost: Costs | None = Field(None, description="cost classes; with none, a budget ceiling cannot be planned")
    actions: dict[Identifier, ActionPlanning] = Field(
        default_factory=dict, description="per action id: its own FTE or cost class")
    coordination: Coordination | None = Field(None, description="a role that supports every other role's actions")
    capacity: CapacityDefaults
    horizon_months: Annotated[int, Field(strict=True, ge=1, le=120)] = Field(
        description="default planning horizon: the core plan is what finishes within it")
    quick_win: QuickWin
    basis: NonEmpty = Field(description="where these figures come from, or that they are proposals to calibrate")

    @model_validator(mode="after")
    def _every_class(self) -> "PlanningFile":
        missing = {"S", "M", "L"} - set(self.effort)
        if missing:
            raise ValueError("effort needs every class S, M and L")
        return self
