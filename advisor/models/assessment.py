"""Models of the files a user brings: an assessment and a progress file."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from .common import Identifier, NonEmpty, Strict
from .conditions import Score


def _date_as_text(value: Any) -> Any:
    """A date is written YYYY-MM-DD: pydantic would also take a number as seconds since 1970 (0 is 1970-01-01)."""
    if isinstance(value, (str, dt.date)):
        return value
    raise PydanticCustomError("date_type", "expected a date written as YYYY-MM-DD")


#: a calendar date written as text, YYYY-MM-DD
Date = Annotated[dt.date, BeforeValidator(_date_as_text)]
GovernmentLevel = Literal["republican", "local"]
OfficeType = Literal["centralised", "decentralised"]


class Organisation(Strict):
    name: NonEmpty
    id: Identifier
    government_level: GovernmentLevel
    sector: Identifier = Field(description="a sector id of knowledge_base/profiles.yaml, e.g. health")
    office_type: OfficeType


class Entry(Strict):
    """One criterion's result: a score with its evidence, or 'not applicable'.

    An entry with neither (a blank ``score:`` in a template) counts as missing, not as a score."""

    score: Score | None = None
    not_applicable: bool = False
    evidence: str | None = None
    method: Identifier | None = Field(None, description="assessment method id used")

    @model_validator(mode="before")
    @classmethod
    def _score_na(cls, data: Any) -> Any:
        """``score: n/a`` in the long form means not applicable, as the template says."""
        if isinstance(data, dict) and isinstance(data.get("score"), str) and _is_na(data["score"]):
            data = {k: v for k, v in data.items() if k != "score"}
            data.setdefault("not_applicable", True)
        return data

    @model_validator(mode="after")
    def _score_or_na(self) -> "Entry":
        if self.not_applicable and self.score is not None:
            raise ValueError("give a score or not_applicable: true, not both")
        return self

    @property
    def missing(self) -> bool:
        return self.score is None and not self.not_applicable


def _is_na(text: str) -> bool:
    return text.strip().lower() in {"n/a", "na", "not applicable"}


def _short_form(value: Any) -> Any:
    """``criterion_id: 3`` and ``criterion_id: n/a`` are short forms of an entry."""
    if value is None:
        return {}
    if isinstance(value, bool):
        raise ValueError("expected a score from 1 to 5, 'n/a', or a mapping with score/evidence/method")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"score": value}
    if isinstance(value, str):
        if _is_na(value):
            return {"not_applicable": True}
        raise ValueError("expected a score from 1 to 5, 'n/a', or a mapping with score/evidence/method")
    return value


EntryLike = Annotated[Entry, BeforeValidator(_short_form)]


class Budget(Strict):
    """A ceiling on what the roadmap's actions may cost in one calendar year."""

    per_year: Annotated[float, Field(gt=0, le=1e15, allow_inf_nan=False)] = Field(
        description="the most the plan may spend in one calendar year, in the unit of the cost classes")
    classes: dict[Identifier, Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)]] = Field(
        default_factory=dict, description="cost class -> the office's own figure for one action of that class "
                                          "(e.g. in million tenge); a class not named keeps its relative units")
    unit: NonEmpty | None = Field(None, description="what the figures count, e.g. 'million tenge'")


class Capacity(Strict):
    """What the office can give to roadmap actions, per owner role: staff time (FTE) or a number of actions at once.

    A role not named keeps the default of the office's profile (knowledge_base/planning.yaml)."""

    fte: dict[Identifier, Annotated[float, Field(gt=0, le=100)]] = Field(
        default_factory=dict, description="role id -> full-time equivalents available for roadmap actions")
    concurrent: dict[Identifier, Annotated[int, Field(strict=True, ge=1, le=100)]] = Field(
        default_factory=dict, description="role id -> at most this many of its actions at once")
    budget: Budget | None = Field(None, description="a ceiling on the actions' cost per calendar year")

    @model_validator(mode="after")
    def _one_measure(self) -> "Capacity":
        if set(self.fte) & set(self.concurrent):
            raise ValueError("give each role's capacity as fte or as concurrent, not both")
        return self


class Outcome(Strict):
    """One outcome indicator as the body reports it: a figure with its unit, period and where it comes from."""

    value: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    unit: Identifier = Field(description="a unit of the indicator in knowledge_base/outcomes.yaml, e.g. percent")
    period: NonEmpty = Field(description="the period the figure covers, e.g. 2025 or 2025-H1")
    source: NonEmpty = Field(description="where the figure comes from: a report, a survey, a system")
    note: str | None = None


class Staffing(Strict):
    """The project office's staff list as the body reports it: the core article notes that most project-management
    maturity models ignore staffing (кадрлармен қамтамасыз ету)."""

    posts: Annotated[int, Field(strict=True, ge=1, le=10_000)] = Field(description="posts in the office's staff list")
    filled: Annotated[int, Field(strict=True, ge=0, le=10_000)] = Field(description="posts filled now")
    additional_duties: bool | None = Field(None, description="true: the office's staff also carry duties outside "
                                                            "the office (the office is not their only job)")

    @model_validator(mode="after")
    def _filled_within_posts(self) -> "Staffing":
        if self.filled > self.posts:
            raise ValueError("filled cannot exceed posts")
        return self

    @property
    def understaffed(self) -> bool:
        """Fewer than half of the posts filled: the level-2 anchor of the office-mandate criterion."""
        return 2 * self.filled < self.posts


class Assessment(Strict):
    organisation: Organisation
    date: Date
    assessor: NonEmpty
    weights: dict[Identifier, Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]] | None = Field(
        None, description="explicit dimension weights; override the profile")
    scores: dict[Identifier, EntryLike] = Field(description="criterion id -> score or entry")
    capacity: Capacity | None = Field(None, description="staff available for the roadmap per owner role; "
                                      "default: the profile's (knowledge_base/planning.yaml)")
    outcomes: dict[Identifier, Outcome] | None = Field(
        None, description="outcome indicator id (knowledge_base/outcomes.yaml) -> the body's figure; optional")
    staffing: Staffing | None = Field(None, description="the project office's posts, filled posts and whether its "
                                      "staff carry other duties; optional, used for default capacity and findings")


class OutcomesSection(Strict):
    """An assessment's ``outcomes:`` on their own (a web form that edits only them)."""

    outcomes: dict[Identifier, Outcome] = Field(default_factory=dict)


class DoneItem(Strict):
    action: Identifier
    date: Date
    note: str | None = None


class InProgressItem(Strict):
    action: Identifier
    since: Date | None = None
    note: str | None = None


class Progress(Strict):
    """What a project office has already done of its roadmap."""

    organisation: Identifier | None = Field(None, description="organisation id, checked against the assessment")
    done: list[DoneItem] = Field(default_factory=list)
    in_progress: list[InProgressItem] = Field(default_factory=list)
