"""Models of the files a user brings: an assessment and a progress file."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from .common import Identifier, NonEmpty, Strict
from .conditions import Score

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

    @model_validator(mode="after")
    def _score_or_na(self) -> "Entry":
        if self.not_applicable and self.score is not None:
            raise ValueError("give a score or not_applicable: true, not both")
        return self

    @property
    def missing(self) -> bool:
        return self.score is None and not self.not_applicable


def _short_form(value: Any) -> Any:
    """``criterion_id: 3`` and ``criterion_id: n/a`` are short forms of an entry."""
    if value is None:
        return {}
    if isinstance(value, bool):
        raise ValueError(f"expected a score from 1 to 5, 'n/a', or a mapping with score/evidence/method; got {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"score": value}
    if isinstance(value, str):
        if value.strip().lower() in {"n/a", "na", "not applicable"}:
            return {"not_applicable": True}
        raise ValueError(f"expected a score from 1 to 5, 'n/a', or a mapping with score/evidence/method; got {value!r}")
    return value


EntryLike = Annotated[Entry, BeforeValidator(_short_form)]


class Capacity(Strict):
    """What the office can give to roadmap actions, per owner role: staff time (FTE) or a number of actions at once.

    A role not named keeps the default of the office's profile (knowledge_base/planning.yaml)."""

    fte: dict[Identifier, Annotated[float, Field(gt=0, le=100)]] = Field(
        default_factory=dict, description="role id -> full-time equivalents available for roadmap actions")
    concurrent: dict[Identifier, Annotated[int, Field(strict=True, ge=1, le=100)]] = Field(
        default_factory=dict, description="role id -> at most this many of its actions at once")

    @model_validator(mode="after")
    def _one_measure(self) -> "Capacity":
        both = sorted(set(self.fte) & set(self.concurrent))
        if both:
            raise ValueError("give a role's capacity as fte or as concurrent, not both: " + ", ".join(both))
        return self


class Assessment(Strict):
    organisation: Organisation
    date: dt.date
    assessor: NonEmpty
    weights: dict[Identifier, Annotated[float, Field(strict=True, ge=0)]] | None = Field(
        None, description="explicit dimension weights; override the profile")
    scores: dict[Identifier, EntryLike] = Field(description="criterion id -> score or entry")
    capacity: Capacity | None = Field(None, description="staff available for the roadmap per owner role; "
                                      "default: the profile's (knowledge_base/planning.yaml)")



class DoneItem(Strict):
    action: Identifier
    date: dt.date
    note: str | None = None


class InProgressItem(Strict):
    action: Identifier
    since: dt.date | None = None
    note: str | None = None


class Progress(Strict):
    """What a project office has already done of its roadmap."""

    organisation: Identifier | None = Field(None, description="organisation id, checked against the assessment")
    done: list[DoneItem] = Field(default_factory=list)
    in_progress: list[InProgressItem] = Field(default_factory=list)
