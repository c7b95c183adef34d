"""Building blocks shared by every file model: strict base model and trilingual text."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: Ids are data keys that other files reference; keep them boring so a typo is visible.
Identifier = Annotated[str, StringConstraints(pattern=r"^[^\W\d_][\w.\-]*$")]


class Strict(BaseModel):
    """Base of every model read from a file: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """A text in each of the three languages of the product; none may be missing."""

    kk: NonEmpty = Field(description="Kazakh")
    ru: NonEmpty = Field(description="Russian")
    en: NonEmpty = Field(description="English")

    def get(self, lang: Lang) -> str:
        return str(getattr(self, lang))
