"""The portfolio page and its exports: coordinators see every body by name, policy analysts aggregates only
(groups of at least the minimum size, see aggregates.py); everyone else is refused (403)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ... import api
from .. import scoping
from ..assessments import services as rounds
from ..bodies.models import Body
from ..i18n import _, lang
from ..pages import page
from . import aggregates, services

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _view(request: HttpRequest) -> str:
    view = scoping.portfolio_view(request.user)
    if not view:
        raise PermissionDenied("portfolio")
    return view


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", "government_level")
    return by if by in aggregates.FIELDS else "government_level"


def _analyst(request: HttpRequest) -> aggregates.Summary:
    everyone = [r.body for r in services.portfolio(request.user, aggregates.Filters()).latest()]
    k = rounds.kb()
    return aggregates.summarise(everyone, services.filters_of(request.GET), list(k.dimensions), services.minimum_group(),
                                _by(request), indicators=[(oid, u) for oid, ind in k.indicators().items() for u in ind.units])


@login_required
@require_GET
def portfolio_view(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    filters = services.filters_of(request.GET)
    common: dict[str, Any] = {"filters": filters, "choices": services.choices(), "fields": aggregates.FIELDS,
                              "query": request.GET.urlencode(), "minimum": services.minimum_group()}
    if view == "aggregates":
        return page(request, "portfolio/aggregates.html", summary=_analyst(request), by=_by(request), **common)
    p = services.portfolio(request.user, filters)
    names = {b.slug: b.name(lang()) for b in Body.objects.filter(slug__in=[r.body.id for r in p.latest()])}
    return page(request, "portfolio/portfolio.html", p=p, names=names, reported=services.reported(p), figures=services.figures(p),
                **common)


@login_required
@require_GET
def export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    view = _view(request)
    if view == "aggregates":
        rows, name = _aggregate_rows(_analyst(request)), "portfolio-aggregates"
    else:
        rows, name = _body_rows(services.portfolio(request.user, services.filters_of(request.GET))), "portfolio"
    body: str | bytes = api.table_csv(rows) if fmt == "csv" else api.table_xlsx(rows, name)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _body_rows(p: Any) -> list[list[object]]:
    """The library's portfolio table with the outcome figures of each body's latest round after it."""
    rows = api.portfolio_table(p, rounds.kb())
    head, cells = services.outcome_columns(p)
    return [rows[0] + head, *(row + cells[str(row[1])] for row in rows[1:])]


def _aggregate_rows(s: aggregates.Summary) -> list[list[object]]:
    """The analyst's page as a table: only what the page shows, hidden groups as the same words, no counts."""
    k = rounds.kb()
    dims = list(k.dimensions)
    hidden = _("hidden: fewer than %(n)d bodies") % {"n": s.minimum}
    applied = ", ".join(f"{f}={v}" for f, v in s.filters.active()) or "all"
    rows: list[list[object]] = [["section", "item", "bodies", *dims, "overall"], ["filter", applied, s.size if s.shown else hidden]]
    if s.shown:
        rows.append(["mean level", "group", s.size, *(s.dimension_means[d] for d in dims), s.overall])
        rows += [["level distribution", f"level {lv}", n] for lv, n in s.level_distribution.items()]
        rows += [["dimension levels", f"{d} level {lv}", n] for d in dims for lv, n in s.dimension_levels[d].items()]
        rows += [["weakness", w, n] for w, n in s.weaknesses]
        rows += [["action", a, n] for a, n in s.actions]
        rows += [["outcome", f"{o.indicator} ({o.unit})", o.size, o.mean] if o.shown else ["outcome", f"{o.indicator} ({o.unit})", hidden]
                 for o in s.outcomes]
    for c in s.breakdown:
        if c.shown:
            rows.append([f"by {s.by}", c.value, c.size, *(c.levels[d] for d in dims), c.overall])
    if any(not c.shown for c in s.breakdown):
        rows.append([f"by {s.by}", "other groups", hidden])
    return rows
