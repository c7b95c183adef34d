"""The one error type users see, carrying where the problem is and what to do about it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass
class AdvisorError(Exception):
    """Bad input or a refused operation. The CLI prints it and exits with ``exit_code``."""

    problems: list[Problem] = field(default_factory=list)
    exit_code: int = 2

    @classmethod
    def single(cls, file: str, message: str, **kw: object) -> "AdvisorError":
        return cls([Problem(file, message, **kw)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class EngineError(RuntimeError):
    """The rule engine failed. A bug or an engine limit, not a user mistake: keeps its traceback."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known word, if one is close enough."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None
