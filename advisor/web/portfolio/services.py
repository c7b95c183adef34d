"""The portfolio of the bodies a user may see, built by the library from the rounds' stored results.

Each final round's result is read from the store (the one computed with the site's knowledge base); a round
without one is computed once through ``advisor.api`` and stored, like any result."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from ... import api
from .. import scoping
from ..assessments import services as rounds
from ..assessments.models import Round
from .aggregates import FIELDS, Filters


def minimum_group() -> int:
    return int(getattr(settings, "ADVISOR_PORTFOLIO_MIN_GROUP", 5))


def filters_of(query: Any) -> Filters:
    """The filters of a request's GET parameters; a value that is not one of the choices is no filter."""
    return Filters(**{f: v for f in FIELDS if (v := query.get(f, "")) in choices()[f]})


def choices() -> dict[str, list[str]]:
    """Every value a filter may take: from the knowledge base's profiles, never from the stored bodies
    (a list of the sectors present would tell an analyst that a body of a rare sector exists)."""
    p = rounds.kb().profiles
    return {"government_level": list(p.government_level), "sector": [s for s in p.sector if s != "default"],
            "office_type": list(p.office_type)}


def _stored(round_: Round) -> tuple[api.Evaluation, Any]:
    k = rounds.kb()
    result = round_.results.filter(kb_hash=k.content_hash).first()
    if result is None:
        computed = rounds.compute(round_)
        return computed.evaluation, computed.roadmap
    return api.stored_result(rounds.assessment(round_), result.evaluation, result.roadmap)


def portfolio(user: scoping.User, filters: Filters) -> Any:
    """The library's portfolio of the user's final rounds (every round of a body: the library keeps the latest
    and the trend), filtered by the body's fields; report links go to the body's page."""
    qs = scoping.portfolio_rounds(user).select_related("body").prefetch_related("answers")
    for f, v in filters.active():
        qs = qs.filter(**{f"body__{f}": v})
    triples, links = [], {}
    for r in qs:
        key = f"{r.body.slug}#{r.number}"
        triples.append((key, *_stored(r)))
        links[key] = reverse("body", args=[r.body.slug])
    return api.portfolio_of_results(triples, rounds.kb(), links)
