"""Models of rule test-case files (``rules/tests/*.yaml``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .assessment import GovernmentLevel, OfficeType, Staffing
from .common import Identifier, NonEmpty, Strict
from .conditions import Score


class CaseContext(Strict):
    government_level: GovernmentLevel = "republican"
    sector: Identifier = "default"
    office_type: OfficeType = "centralised"


class Given(Strict):
    context: CaseContext = Field(default_factory=CaseContext)
    default_score: Score = Field(3, description="score of every criterion not listed")
    scores: dict[Identifier, Score | None] = Field(default_factory=dict, description="null marks not applicable")
    targets: dict[Identifier, Annotated[int, Field(strict=True, ge=1, le=5)]] = Field(default_factory=dict)
    staffing: Staffing | None = Field(None, description="the project office's posts, filled posts, other duties")
    outcomes: list[Identifier] = Field(default_factory=list, description="outcome indicators the assessment reports "
                                       "a figure for (knowledge_base/outcomes.yaml); rules test only that one is given")


class Expect(Strict):
    fires: list[Identifier] = Field(default_factory=list)
    not_fires: list[Identifier] = Field(default_factory=list)
    weaknesses: list[Identifier] = Field(default_factory=list)
    no_weaknesses: list[Identifier] = Field(default_factory=list)
    actions: list[Identifier] = Field(default_factory=list)
    no_actions: list[Identifier] = Field(default_factory=list)
    before: list[Annotated[list[Identifier], Field(min_length=2, max_length=2)]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> "Expect":
        if not any(getattr(self, f) for f in type(self).model_fields):
            raise ValueError("expect at least one of fires, not_fires, weaknesses, no_weaknesses, actions, no_actions, before")
        return self


class Case(Strict):
    name: NonEmpty
    given: Given
    expect: Expect


class CasesFile(Strict):
    cases: list[Case] = Field(min_length=1)
