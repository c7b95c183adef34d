"""What a policy analyst sees of the portfolio: aggregates of groups of bodies, never one body.

The rule (docs/web.md, "Portfolio"): a number is shown only when it is computed from at least ``minimum``
bodies (setting ``ADVISOR_PORTFOLIO_MIN_GROUP``, default 5). Hidden groups must not be recoverable by
subtraction either, so

* the filtered group is shown only when the bodies it leaves out are none or at least ``minimum`` too
  (else "all bodies" minus "this group" would give the small rest);
* an analyst filters by one field at a time, and the breakdown by government level, sector or office type is
  of all bodies, never of a filtered group (two-way cells are where differences of overlapping groups leak);
* in the breakdown, when the hidden groups together hold fewer than ``minimum`` bodies, the smallest shown
  groups are hidden as well until they hold at least ``minimum`` (or every group is hidden): the total minus
  the shown groups never reveals a small group.

Outcome figures follow the same rule one level down: the mean of an indicator (in one unit) is shown only
when at least ``minimum`` bodies of the shown group report it and the bodies of all others that report it are
none or at least ``minimum`` too; every indicator and unit of the knowledge base is listed, reported or not,
so that the list itself says nothing about which bodies exist. No single figure is shown (no minimum,
maximum or scatter point): those would be one body's.

Counts inside a shown group (how many of its bodies are at level 2, how many have a weakness) are shown: they
are computed from the whole group. No name, id, date or evidence of a body is in anything built here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import mean
from typing import Protocol, Sequence

FIELDS = ("government_level", "sector", "office_type")


class Body(Protocol):
    """What the aggregates read of a body's latest final round (the library's portfolio row's ``body``)."""

    government_level: str
    sector: str
    office_type: str
    overall_score: float
    overall_level: int
    dimensions: dict[str, tuple[float, int]]
    asserted: list[str]
    actions: list[str]
    outcomes: dict[str, tuple[float, str]]


@dataclass(frozen=True)
class Filters:
    government_level: str = ""
    sector: str = ""
    office_type: str = ""

    def active(self) -> list[tuple[str, str]]:
        return [(f, getattr(self, f)) for f in FIELDS if getattr(self, f)]

    def matches(self, body: Body) -> bool:
        return all(getattr(body, f) == v for f, v in self.active())

    def first_only(self) -> "Filters":
        """The filter an analyst's page applies: the first active field (see the module's rule)."""
        active = self.active()
        return Filters(**dict(active[:1]))


@dataclass
class Cell:
    """One group of the breakdown: its value and, when shown, its size and mean levels."""

    value: str
    shown: bool
    size: int | None = None
    levels: dict[str, float] = field(default_factory=dict)   # mean level per dimension
    overall: float | None = None                             # mean overall score


@dataclass
class OutcomeCell:
    """One outcome indicator in one unit, in the shown group: the mean figure when enough bodies report it."""

    indicator: str
    unit: str
    shown: bool
    size: int | None = None
    mean: float | None = None


@dataclass
class Summary:
    minimum: int
    filters: Filters                      # as applied (one field at most)
    ignored: list[str]                    # filter fields not applied
    shown: bool
    size: int | None = None               # None when hidden: not even the size of a small group is shown
    overall: float | None = None
    level_distribution: dict[int, int] = field(default_factory=dict)
    dimension_levels: dict[str, dict[int, int]] = field(default_factory=dict)
    dimension_means: dict[str, float] = field(default_factory=dict)
    weaknesses: list[tuple[str, int]] = field(default_factory=list)
    actions: list[tuple[str, int]] = field(default_factory=list)
    by: str = "government_level"
    breakdown: list[Cell] = field(default_factory=list)
    outcomes: list[OutcomeCell] = field(default_factory=list)


def large_enough(size: int, rest: int, minimum: int) -> bool:
    return size >= minimum and (rest == 0 or rest >= minimum)


def summarise(bodies: Sequence[Body], filters: Filters, dimensions: Sequence[str], minimum: int,
              by: str = "government_level", top: int = 10, indicators: Sequence[tuple[str, str]] = ()) -> Summary:
    """``indicators``: every (indicator, unit) of the knowledge base, in its order."""
    applied = filters.first_only()
    ignored = [f for f, _ in filters.active()[1:]]
    group = [b for b in bodies if applied.matches(b)]
    summary = Summary(minimum, applied, ignored, large_enough(len(group), len(bodies) - len(group), minimum), by=by)
    if summary.shown:
        counts = Counter(b.overall_level for b in group)
        summary.size = len(group)
        summary.overall = round(mean(b.overall_score for b in group), 2)
        summary.level_distribution = {lv: counts.get(lv, 0) for lv in range(1, 6)}
        summary.dimension_levels = {d: {lv: sum(b.dimensions[d][1] == lv for b in group) for lv in range(1, 6)}
                                    for d in dimensions}
        summary.dimension_means = {d: round(mean(b.dimensions[d][1] for b in group), 1) for d in dimensions}
        summary.weaknesses = _top(Counter(w for b in group for w in b.asserted), top)
        summary.actions = _top(Counter(a for b in group for a in b.actions), top)
        summary.outcomes = [outcome_cell(bodies, group, oid, unit, minimum) for oid, unit in indicators]
    if not applied.active():
        summary.breakdown = breakdown(bodies, by, dimensions, minimum)
    return summary


def outcome_cell(bodies: Sequence[Body], group: Sequence[Body], indicator: str, unit: str, minimum: int) -> OutcomeCell:
    def figures(of: Sequence[Body]) -> list[float]:
        return [b.outcomes[indicator][0] for b in of if indicator in b.outcomes and b.outcomes[indicator][1] == unit]
    mine, everyone = figures(group), figures(bodies)
    if not large_enough(len(mine), len(everyone) - len(mine), minimum):
        return OutcomeCell(indicator, unit, False)
    return OutcomeCell(indicator, unit, True, len(mine), round(mean(mine), 1))


def breakdown(bodies: Sequence[Body], by: str, dimensions: Sequence[str], minimum: int) -> list[Cell]:
    """All bodies by one field; small groups hidden, with secondary suppression (see the module's rule)."""
    if by not in FIELDS:
        raise ValueError(by)
    groups: dict[str, list[Body]] = {}
    for b in bodies:
        groups.setdefault(getattr(b, by), []).append(b)
    shown = {v for v, g in groups.items() if len(g) >= minimum}
    hidden = sum(len(g) for v, g in groups.items() if v not in shown)
    for v in sorted(shown, key=lambda v: (len(groups[v]), v)):
        if hidden == 0 or hidden >= minimum:
            break
        shown.discard(v)
        hidden += len(groups[v])
    cells = []
    for v in sorted(groups):
        g = groups[v]
        if v in shown:
            cells.append(Cell(v, True, len(g), {d: round(mean(b.dimensions[d][1] for b in g), 1) for d in dimensions},
                              round(mean(b.overall_score for b in g), 2)))
        else:
            cells.append(Cell(v, False))
    return cells


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
