"""A body's rounds over time: every final round's levels on one chart, the knowledge base of each stored
result, ``compare`` between two rounds the user picks (advisor.api's, as the CLI's), and recomputing a
round's result with the installed knowledge base."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from ... import api
from ...errors import AdvisorError
from .. import scoping
from ..assessments import services as rounds
from ..assessments.models import Round
from ..bodies.models import Body
from ..i18n import _, gettext, lang
from ..pages import page, scoped
from . import scoping as timeline_scoping
from . import services


def _body(request: HttpRequest, slug: str, action: str) -> Body:
    body = scoped(scoping.bodies(request.user), slug=slug)
    if not timeline_scoping.allowed(request.user, action, body):
        raise PermissionDenied(action)
    return body


def _chart(points: list[services.Point]) -> api.Trend | None:
    shown = [p for p in points if p.result is not None]
    if not shown:
        return None
    k = rounds.kb()
    series: list[tuple[str, str, list[float | None]]] = [("overall", _("Overall"), [p.scores["overall_score"] for p in shown])]
    for d in k.dimensions:
        label = k.dimensions[d].name.get(lang())  # type: ignore[arg-type]
        series.append((d, label, [(p.level(d) or (None, None))[0] for p in shown]))
    return api.trend_chart([f"№{p.round.number} · {p.round.assessed_on}" for p in shown], series)


def _pick(final: list[Round], request: HttpRequest) -> tuple[Round | None, Round | None, list[str]]:
    """The two rounds to compare (``old`` and ``new``: round numbers), the earlier one first."""
    by_number = {str(r.number): r for r in final}
    a, b = by_number.get(request.GET.get("old", "")), by_number.get(request.GET.get("new", ""))
    if "old" not in request.GET:
        return None, None, []
    if a is None or b is None:
        return None, None, [_("Choose two final rounds of this body.")]
    if a == b:
        return None, None, [_("Choose two different rounds to compare.")]
    a, b = sorted((a, b), key=lambda r: (r.assessed_on, r.number))
    return a, b, []


@login_required
@require_GET
def timeline_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body(request, slug, "view")
    final = list(timeline_scoping.final_rounds(request.user, body))
    points = services.points(final)
    old, new, problems = _pick(final, request)
    comparison = None
    if old is not None and new is not None:
        try:  # two evaluations with the installed knowledge base (like with like), stored nowhere
            k = rounds.kb()
            a, b = (api.evaluate(rounds.assessment(r), k) for r in (old, new))
            comparison = api.compare_evaluations(a, b, k, f"№{old.number}", f"№{new.number}")
        except AdvisorError as err:
            problems = [p.render(gettext) for p in err.problems]
    versions = sorted({p.result.kb_version for p in points if p.result is not None})
    return page(request, "timeline/timeline.html", status=422 if problems else 200, body=body, points=points,
                chart=_chart(points), cmp=comparison, old=old, new=new, problems=problems, versions=versions,
                outdated=services.outdated(final), is_current=services.is_current,
                can_recompute=timeline_scoping.allowed(request.user, "recompute", body))


@login_required
@require_POST
def recompute_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One round, one evaluation: in the request. Many rounds go to the worker (``advisor web recompute``)."""
    body = _body(request, slug, "recompute")
    round_ = next((r for r in timeline_scoping.final_rounds(request.user, body) if r.number == number), None)
    if round_ is None:
        raise Http404
    services.recompute(round_)
    return redirect("timeline", body.slug)
