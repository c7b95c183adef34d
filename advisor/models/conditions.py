"""The condition language of rule files, as data.

A condition is a tree: ``all`` / ``any`` / ``not`` over leaf tests on one fact each
(a criterion, a dimension, the overall result, or the organisation's context).
It is compiled to durable_rules expressions by :mod:`advisor.engine.adapter` and evaluated in
plain Python by :mod:`advisor.engine.conditions`; it is never ``eval``'d.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Discriminator, Field, Tag, model_validator

from .common import Identifier, NonEmpty, Strict

Score = Annotated[float, Field(strict=True, ge=1, le=5)]
LevelNumber = Annotated[int, Field(strict=True, ge=1, le=5)]


class ScoreCompare(Strict):
    """Comparison of a score (1-5, fractional allowed); several bounds are combined with AND."""

    at_most: Score | None = Field(None, description="score <= value")
    below: Score | None = Field(None, description="score < value")
    at_least: Score | None = Field(None, description="score >= value")
    above: Score | None = Field(None, description="score > value")

    @model_validator(mode="after")
    def _one_bound(self) -> "ScoreCompare":
        if not self.bounds():
            raise ValueError("give at least one of at_most, below, at_least, above")
        return self

    def bounds(self) -> list[tuple[str, float]]:
        return [(op, v) for op in ("at_most", "below", "at_least", "above") if (v := getattr(self, op)) is not None]


class LevelCompare(Strict):
    """Comparison of a maturity level (a whole number 1-5)."""

    equals: LevelNumber | None = Field(None, description="level == value")
    at_most: LevelNumber | None = Field(None, description="level <= value")
    below: LevelNumber | None = Field(None, description="level < value")
    at_least: LevelNumber | None = Field(None, description="level >= value")
    above: LevelNumber | None = Field(None, description="level > value")

    @model_validator(mode="after")
    def _one_bound(self) -> "LevelCompare":
        if not self.bounds():
            raise ValueError("give at least one of equals, at_most, below, at_least, above")
        return self

    def bounds(self) -> list[tuple[str, float]]:
        ops = ("equals", "at_most", "below", "at_least", "above")
        return [(op, v) for op in ops if (v := getattr(self, op)) is not None]


class _ScoreLevel(Strict):
    score: ScoreCompare | None = None
    level: LevelCompare | None = None

    @model_validator(mode="after")
    def _something(self) -> Any:
        if self.score is None and self.level is None:
            raise ValueError("test the score, the level, or both")
        return self


class CriterionTest(_ScoreLevel):
    """True when the criterion is scored and its score/level passes the comparison."""

    criterion: Identifier = Field(description="criterion id, e.g. strategy.digital_strategy")


class DimensionTest(_ScoreLevel):
    """True when the dimension's score/level passes the comparison."""

    dimension: Identifier = Field(description="dimension id: strategy, organisation, technology, culture")


class OverallTest(Strict):
    """Test on the overall (weighted) result."""

    overall: _ScoreLevel


OneOrMany = Union[NonEmpty, list[NonEmpty]]


#: the values of the context fields other than the sector (whose values are the profiles' sectors)
CONTEXT_VALUES: dict[str, list[str]] = {
    "government_level": ["republican", "local"], "office_type": ["centralised", "decentralised"],
    # from the assessment's optional staffing section; understaffed: fewer than half of the office's posts filled
    "office_staffing": ["understaffed", "staffed", "not_reported"],
    "additional_duties": ["yes", "no", "not_reported"]}
CONTEXT_FIELDS = ("government_level", "sector", "office_type", "office_staffing", "additional_duties")


class ContextMatch(Strict):
    """Who the body is. A list means 'any of these'; fields given are combined with AND."""

    government_level: OneOrMany | None = None
    sector: OneOrMany | None = None
    office_type: OneOrMany | None = None
    office_staffing: OneOrMany | None = Field(None, description="understaffed (fewer than half of the project "
                                              "office's posts filled), staffed, or not_reported")
    additional_duties: OneOrMany | None = Field(None, description="yes: the office's staff also carry other duties; "
                                                "no; or not_reported")

    @model_validator(mode="after")
    def _something(self) -> "ContextMatch":
        if not self.fields():
            raise ValueError("give at least one of government_level, sector, office_type, office_staffing, additional_duties")
        return self

    def fields(self) -> list[tuple[str, tuple[str, ...]]]:
        out = []
        for name in CONTEXT_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out.append((name, (value,) if isinstance(value, str) else tuple(value)))
        return out


class ContextTest(Strict):
    context: ContextMatch


class OutcomeTest(Strict):
    """Whether the assessment reports a figure for an outcome indicator (knowledge_base/outcomes.yaml).

    Only the presence of a figure is tested: indicators come in different units and the knowledge base has no
    sourced threshold for their values."""

    outcome: Identifier = Field(description="outcome indicator id, e.g. projects_on_time")
    reported: bool = Field(description="true: the assessment gives a figure for it; false: it gives none")


class AllOf(Strict):
    all: list["Condition"] = Field(min_length=1)


class AnyOf(Strict):
    any: list["Condition"] = Field(min_length=1)


class NotOf(Strict):
    not_: "Condition" = Field(alias="not")


_KEYS = ("all", "any", "not", "criterion", "dimension", "overall", "context", "outcome")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in _KEYS:
            if key in value:
                return key
        return None
    for key, attr in (("all", "all"), ("any", "any"), ("not", "not_"), ("criterion", "criterion"),
                      ("dimension", "dimension"), ("overall", "overall"), ("context", "context"),
                      ("outcome", "outcome")):
        if hasattr(value, attr):
            return key
    return None


Condition = Annotated[
    Union[
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[NotOf, Tag("not")],
        Annotated[CriterionTest, Tag("criterion")],
        Annotated[DimensionTest, Tag("dimension")],
        Annotated[OverallTest, Tag("overall")],
        Annotated[ContextTest, Tag("context")],
        Annotated[OutcomeTest, Tag("outcome")],
    ],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of the keys: " + ", ".join(_KEYS),
    ),
]

