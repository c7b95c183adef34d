"""Scores: criterion -> dimension (weighted mean) -> overall (weighted mean under the profile), and levels.

Rounding happens in one place, :func:`rnd` (2 decimals, half up). A level is reached only when fully
met: level = the whole part of the rounded score (2.99 is level 2). The overall level is also capped
at the weakest dimension's level + 1, because maturity levels cannot be skipped (Kerzner; see
docs/scoring.md).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Literal

from ..models.assessment import Assessment, Organisation
from ..models.common import Text
from ..models.knowledge import KnowledgeBase
from ..models.results import CriterionScore, DimensionScore, Scores


def rnd(x: float, places: int = 2) -> float:
    """The one rounding of the product: half up, 2 decimals for scores."""
    return _rnd(repr(x), places)


@lru_cache(maxsize=1 << 14)
def _rnd(text: str, places: int) -> float:
    # keyed by the repr, the exact input of the rounding: the same scores recur across assessments
    return float(Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def level_of(score: float) -> int:
    """A level is reached only when fully met: the whole part of the (rounded) score, 1..5."""
    return min(5, max(1, math.floor(rnd(score))))


def profile_weights(kb: KnowledgeBase, org: Organisation) -> tuple[dict[str, float], list[str]]:
    """Dimension weights for who the body is, and the profile parts that produced them.

    (government-level weights + sector weights) / 2 + office-type adjustment, clipped at 0, normalised.
    """
    gov = kb.profiles.government_level[org.government_level]
    sector_weights = kb.profiles.sector_weights(org.sector)
    adjust = kb.profiles.office_type[org.office_type].adjust
    raw = {d: (gov.weights[d] + sector_weights[d]) / 2 + adjust.get(d, 0.0) for d in kb.dimensions}  # type: ignore[index]
    parts = [f"government_level:{org.government_level}",
             f"sector:{org.sector}" if kb.profiles.has_own_weights(org.sector) else f"sector:{org.sector}=default",
             f"office_type:{org.office_type}"]
    return normalise({d: max(0.0, w) for d, w in raw.items()}), parts


def normalise(weights: dict[str, float]) -> dict[str, float]:
    """Weights summing to 1. Scaled by the largest first: weights of 1e308 would overflow the sum."""
    top = max(weights.values())
    scaled = {d: w / top for d, w in weights.items()}
    total = sum(scaled.values())
    return {d: w / total for d, w in scaled.items()}


def score(assessment: Assessment, kb: KnowledgeBase) -> Scores:
    """Score a validated assessment (see :func:`advisor.kb.loading.check_assessment`)."""
    source: Literal["profile", "assessment"]
    if assessment.weights is not None:
        weights, parts, source = normalise(dict(assessment.weights)), ["assessment"], "assessment"
    else:
        (weights, parts), source = profile_weights(kb, assessment.organisation), "profile"

    criteria: list[CriterionScore] = []
    dimensions: list[DimensionScore] = []
    answered = 0
    for dim in kb.dimensions:
        total = weight_sum = 0.0
        counts = {"scored": 0, "not_applicable": 0, "missing": 0}
        top = max((cr.weight for cr in kb.criteria_of(dim)), default=0.0) or 1.0   # as in normalise
        for cr in kb.criteria_of(dim):
            entry = assessment.scores.get(cr.id)
            if entry is None or entry.score is None:
                status: Literal["scored", "not_applicable", "missing"] = (
                    "not_applicable" if entry is not None and entry.not_applicable else "missing")
                criteria.append(CriterionScore(id=cr.id, dimension=dim, status=status,
                                               evidence=entry.evidence if entry else None,
                                               method=entry.method if entry else None))
            else:
                status = "scored"
                s = rnd(entry.score)
                criteria.append(CriterionScore(id=cr.id, dimension=dim, status=status, score=s, level=level_of(s),
                                               evidence=entry.evidence, method=entry.method))
                total += cr.weight / top * s
                weight_sum += cr.weight / top
            counts[status] += 1
        answered += counts["scored"] + counts["not_applicable"]
        # an all-zero-weight dimension falls back to the plain mean rather than dividing by zero
        mean = total / weight_sum if weight_sum else _plain_mean(criteria, dim)
        s = rnd(mean)
        dimensions.append(DimensionScore(id=dim, score=s, level=level_of(s), weight=rnd(weights[dim], 4),
                                         **counts))
    overall = rnd(sum(weights[d.id] * d.score for d in dimensions))
    uncapped = level_of(overall)
    cap = min(d.level for d in dimensions) + 1
    return Scores(
        kb_version=kb.version, criteria=criteria, dimensions=dimensions, overall_score=overall,
        overall_level=min(uncapped, cap), level_capped=uncapped > cap,
        completeness=rnd(answered / len(kb.criteria)), profile=parts, weights_source=source,
        sector_note=_sector_note(kb, assessment) if source == "profile" else None)


def _sector_note(kb: KnowledgeBase, assessment: Assessment) -> Text | None:
    """The statement that the body's sector has no profile of its own and the default weights are used."""
    own = kb.profiles.sector.get(assessment.organisation.sector)
    return own.rationale if own is not None and own.weights is None else None


def _plain_mean(criteria: list[CriterionScore], dim: str) -> float:
    scored = [c.score for c in criteria if c.dimension == dim and c.score is not None]
    return sum(scored) / len(scored)
