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


def figures(p: Any) -> dict[str, dict[str, Any]]:
    """Each body's latest final round's outcome figures as stored (with their period and source), by body id."""
    latest = {tuple(r.body.label.rsplit("#", 1)) for r in p.latest()}
    rounds_ = Round.objects.filter(body__slug__in={slug for slug, _ in latest}, status=Round.Status.FINAL).select_related("body")
    return {r.body.slug: r.outcomes for r in rounds_ if (r.body.slug, str(r.number)) in latest}


def reported(p: Any) -> list[str]:
    """The indicators some body of the portfolio reports in its latest round, in the knowledge base's order."""
    found = {oid for r in p.latest() for oid in r.body.outcomes}
    return [oid for oid in rounds.kb().indicators() if oid in found]


def outcome_columns(p: Any) -> tuple[list[str], dict[str, list[object]]]:
    """The export's columns per reported indicator (value, unit, period) and each body's cells, by body id."""
    oids, stored = reported(p), figures(p)
    head = [f"{oid}_{part}" for oid in oids for part in ("value", "unit", "period")]
    cells = {}
    for r in p.latest():
        mine = stored.get(r.body.id, {})
        cells[r.body.id] = [mine.get(oid, {}).get(part, "") for oid in oids for part in ("value", "unit", "period")]
    return head, cells
