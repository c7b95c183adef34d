"""A body's final rounds over time, from their stored results: levels per round, which knowledge base
computed each result, and recomputing one with the installed knowledge base (the old result stays)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..assessments import services as rounds
from ..assessments.models import Result, Round

#: the options a round is finalised with (``services.finalise``): the result the history shows
DEFAULT_OPTIONS: dict[str, Any] = {"targets": {}, "max_per_stage": None}


def stored(round_: Round) -> list[Result]:
    """The round's results with the default options, newest first (every knowledge base that computed one)."""
    return [r for r in round_.results.all() if r.options == DEFAULT_OPTIONS]


def is_current(result: Result) -> bool:
    return result.kb_hash == rounds.kb().content_hash


@dataclass
class Point:
    round: Round
    result: Result | None          # the result shown: the installed knowledge base's, else the newest
    history: list[Result]          # every stored result, newest first

    @property
    def current(self) -> bool:
        return self.result is not None and is_current(self.result)

    @property
    def scores(self) -> dict[str, Any]:
        return self.result.evaluation["scores"] if self.result is not None else {}

    @property
    def outcomes(self) -> list[tuple[Any, dict[str, Any]]]:
        """The round's outcome figures with their indicator, in the knowledge base's order (as the report lists them)."""
        k, reported = rounds.kb(), self.round.outcomes or {}
        units = k.outcomes.units if k.outcomes is not None else {}
        return [(ind, reported[oid]) for oid, ind in k.indicators().items() if oid in reported and reported[oid]["unit"] in units]

    def level(self, dimension: str) -> tuple[float, int] | None:
        for d in self.scores.get("dimensions", []):
            if d["id"] == dimension:
                return d["score"], d["level"]
        return None


def points(final_rounds: list[Round]) -> list[Point]:
    out = []
    for r in final_rounds:
        history = stored(r)
        shown = next((x for x in history if is_current(x)), history[0] if history else None)
        out.append(Point(r, shown, history))
    return out


def recompute(round_: Round) -> Result:
    """The round's result under the installed knowledge base, computed once (the older ones are kept)."""
    return rounds.compute(round_).result


def outdated(final_rounds: list[Round]) -> list[Round]:
    """Final rounds with no result from the installed knowledge base."""
    return [r for r in final_rounds if not any(is_current(x) for x in stored(r))]
