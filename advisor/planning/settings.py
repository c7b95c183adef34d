"""What a plan assumes, resolved once: targets, capacity per role, the start month, the horizon, the calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..errors import N_, AdvisorError
from ..models.assessment import Assessment, Budget
from ..models.knowledge import KnowledgeBase
from ..models.results import RoleCapacity, Scores
from . import scope


def parse_month(text: str) -> str:
    """``YYYY-MM`` as given to --start, checked."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise AdvisorError.single("--start", N_("expected a month as YYYY-MM, got {value!r}", value=text),
                                  hint=N_("e.g. --start 2026-09"))
    return f"{m.group(1)}-{m.group(2)}"


def check_horizon(months: int) -> int:
    if months < 1:
        raise AdvisorError.single("--horizon", N_("expected a number of months of at least 1, got {value}",
                                                  value=months), hint=N_("e.g. --horizon 12"))
    return months


@dataclass(frozen=True)
class BudgetSettings:
    per_year: float | None         # the ceiling per calendar year, if the assessment states one
    classes: dict[str, float]      # cost class -> cost of one action of it
    unit: str | None               # what the figures count; None: the knowledge base's relative units
    relative: bool                 # some class is still in relative units

    @classmethod
    def of(cls, kb: KnowledgeBase, given: Budget | None) -> "BudgetSettings | None":
        if kb.planning.cost is None:
            return None
        own = given.classes if given is not None else {}
        classes = {c: own.get(c, b.units) for c, b in kb.planning.cost.classes.items()}
        return cls(per_year=given.per_year if given is not None else None, classes=classes,
                   unit=given.unit if given is not None else None,
                   # a class that costs nothing is the same in every unit
                   relative=any(c not in own and b.units > 0 for c, b in kb.planning.cost.classes.items()))


@dataclass(frozen=True)
class Settings:
    targets: dict[str, int]
    target_source: str             # "option", "profile" or "next_level"
    capacity: list[RoleCapacity]
    start: str                     # YYYY-MM of month 0
    horizon: int
    budget: BudgetSettings | None = None

    @classmethod
    def of(cls, kb: KnowledgeBase, assessment: Assessment, scores: Scores, targets: dict[str, int] | None = None,
           horizon: int | None = None, start: str | None = None) -> "Settings":
        """The settings of a plan for this assessment; ``None`` means the documented default."""
        org = assessment.organisation
        default, source = scope.default_targets(kb, scores, org.government_level, org.sector)
        return cls(targets={**default, **(targets or {})}, target_source="option" if targets else source,
                   capacity=scope.capacity(kb, org.government_level, org.office_type, assessment.capacity,
                                            assessment.staffing),
                   start=parse_month(start) if start is not None else assessment.date.strftime("%Y-%m"),
                   horizon=check_horizon(horizon) if horizon is not None else kb.planning.horizon_months,
                   budget=BudgetSettings.of(kb, assessment.capacity.budget if assessment.capacity else None))

    @classmethod
    def defaults(cls, kb: KnowledgeBase, scores: Scores, targets: dict[str, int] | None = None) -> "Settings":
        """For a caller with scores but no assessment (rule tests, rules diff): the profile is read back
        from the scores; with no date known, month 0 is taken as a January (quarters then count from it)."""
        parts = dict(p.split(":", 1) for p in scores.profile if ":" in p)
        sector = parts.get("sector", "").split("=", 1)[0] or None
        default, source = scope.default_targets(kb, scores, parts.get("government_level"), sector)
        return cls(targets={**default, **(targets or {})}, target_source="option" if targets else source,
                   capacity=scope.capacity(kb, parts.get("government_level"), parts.get("office_type"), None),
                   start="0001-01", horizon=kb.planning.horizon_months, budget=BudgetSettings.of(kb, None))

    @cached_property
    def _month0(self) -> int:
        # read for every month the scheduler tries: parsed once
        year, month = self.start.split("-")
        return int(year) * 12 + int(month) - 1

    def quarter_index(self, month: int) -> int:
        """The stage of a month: its calendar quarter, counted from the plan's first quarter (1)."""
        m0 = self._month0
        return (m0 + month) // 3 - m0 // 3 + 1

    def year(self, month: int) -> int:
        """The calendar year of a month of the plan (budgets are annual)."""
        return (self._month0 + month) // 12

    def month(self, month: int) -> str:
        """Calendar month of a month of the plan, YYYY-MM."""
        m = self._month0 + max(month, 0)
        return f"{m // 12:04d}-{m % 12 + 1:02d}"

    def quarter(self, month: int) -> str:
        """Calendar quarter of a month of the plan, e.g. 2026-Q3 (as :func:`advisor.models.results.quarter_of`, the start parsed once)."""
        m = self._month0 + max(month, 0)
        return f"{m // 12}-Q{m % 12 // 3 + 1}"
