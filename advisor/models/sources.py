"""The source registry (``knowledge_base/sources.yaml``) and the citations rules, actions and criteria make.

A client must be able to find every cited document: each registry entry names the act or framework with its
number, date and issuer and where to read it, and says whether (and how) these facts were checked. Authors'
working notes travel in ``note``, which no client-facing output shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from .common import Identifier, NonEmpty, Strict, Text

DocKind = Literal["law", "presidential_decree", "government_decree", "order", "concept", "strategy",
                  "international_framework", "standard", "article"]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, int) else value


#: never a made-up day: a document known only by its year gives just the year
PartialDate = Annotated[str, BeforeValidator(_iso), StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class Document(Strict):
    """One document a client can look up."""

    id: Identifier = Field(description="stable id that citations use, e.g. kz-law-ai-230")
    kind: DocKind
    number: NonEmpty | None = Field(None, description="the act's number as printed, e.g. 230-VIII ЗРК")
    date: PartialDate | None = Field(None, description="date of adoption, or month / year of publication when "
                                                       "that is all that is known: 2025-11-17, 2025-06, 2021")
    issuer: Text = Field(description="who adopted or published it")
    title: Text = Field(description="title in each language (official wording where verified)")
    amended_by: list[NonEmpty] = Field(default_factory=list, description="amending acts that matter here")
    where: NonEmpty | None = Field(None, description="where to read it: Әділет (adilet.zan.kz) document id or public "
                                                     "addresses; none when no public copy is known")
    verified: bool = Field(description="number, date, issuer and title checked against the published text")
    verification: NonEmpty = Field(description="how it was checked, or what is still unchecked and why")


class SourcesFile(Strict):
    documents: list[Document] = Field(min_length=1)


class Citation(Strict):
    """A registry document, optionally narrowed to a part of it."""

    doc: Identifier = Field(description="a document id of knowledge_base/sources.yaml")
    article: NonEmpty | None = None
    section: NonEmpty | None = None
    table: NonEmpty | None = None


class Sourcing(Strict):
    """What an item rests on: registry citations (shown to clients) and an authors' note (never shown)."""

    cite: list[Citation] = Field(min_length=1, description="at least one registry document")
    note: NonEmpty | None = Field(None, description="authors' working note; internal, never in client text")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        """``source: doc-id`` and ``source: [doc-id, {doc: ..., table: 1}]`` are short for ``{cite: [...]}``."""
        if isinstance(value, (str, list)):
            value = {"cite": value if isinstance(value, list) else [value]}
        if isinstance(value, dict) and isinstance(value.get("cite"), list):
            value = {**value, "cite": [{"doc": c} if isinstance(c, str) else c for c in value["cite"]]}
        return value

