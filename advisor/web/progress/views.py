"""A body's progress page: its current roadmap with each action's progress (htmx save per action), what is
next, blocked and late; the progress file out and in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ... import api
from ...errors import AdvisorError
from .. import scoping
from ..assessments import services as rounds
from ..bodies.models import Body
from ..i18n import _, lang
from ..pages import page, refused_upload, scoped
from . import forms, services
from . import scoping as progress_scoping
from .models import ActionProgress


def _body(request: HttpRequest, slug: str, action: str) -> Body:
    body = scoped(scoping.bodies(request.user), slug=slug)
    if not progress_scoping.allowed(request.user, action, body):
        raise PermissionDenied(action)
    return body


def _context(request: HttpRequest, body: Body, **extra: Any) -> dict[str, Any]:
    round_ = services.current_round(body, scoping.rounds(request.user))
    rows = {r.action: r for r in progress_scoping.progress(request.user).filter(body=body)}
    current = services.current(body, round_, rows=list(rows.values())) if round_ is not None else None
    shown: list[str] = []
    if current is not None:
        shown = [i.id for i in current.roadmap.items]
        shown += [a for a in current.roadmap.done if a not in shown]
        shown += sorted(a for a, r in rows.items() if a not in shown and r.status == ActionProgress.Status.DROPPED)
    view = api.report_view(current.evaluation, current.roadmap, rounds.kb(), lang()) if current else None
    items = {i.id: i for i in current.roadmap.items} if current else {}
    return {"body": body, "current": current, "view": view, "rows": rows, "shown": shown, "items": items,
            "late": {x.action: x for x in current.late} if current else {},
            "can_edit": progress_scoping.allowed(request.user, "edit", body),
            "can_import": progress_scoping.allowed(request.user, "import", body),
            "events": progress_scoping.events(request.user).filter(body=body)[:50],
            "progress_status_names": forms.STATUS_NAMES, "progress_field_names": forms.FIELD_NAMES,
            "statuses": list(forms.STATUS_NAMES), "errors": {}, "error_action": "", "problems": [], **extra}


@login_required
@require_GET
def progress_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body(request, slug, "view")
    return page(request, "progress/progress.html", **_context(request, body))


@login_required
@require_POST
def action_view(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """One action's progress (htmx): the whole panel comes back, since next steps and the roadmap change."""
    body = _body(request, slug, "edit")
    if action not in rounds.kb().actions:
        raise Http404
    values, errors = forms.clean(request.POST, timezone.localdate())
    if not errors:
        services.save(body, action, values, request.user)  # type: ignore[arg-type]
    if not request.htmx:  # type: ignore[attr-defined]
        if errors:
            return page(request, "progress/progress.html", status=422,
                        **_context(request, body, errors=errors, error_action=action))
        return redirect("progress", body.slug)
    return page(request, "progress/_panel.html", status=422 if errors else 200,
                **_context(request, body, errors=errors, error_action=action if errors else ""))


@login_required
@require_GET
def export_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body(request, slug, "export")
    response = HttpResponse(services.export_yaml(body), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{body.slug}-progress.yaml"'
    return response


@login_required
@require_POST
def import_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body(request, slug, "import")
    round_ = services.current_round(body, scoping.rounds(request.user))
    upload = request.FILES.get("file")
    problems: list[object] = []
    status = 422
    if round_ is None:
        problems = [_("The body has no final round yet: there is no roadmap to track.")]
    elif (refused := refused_upload(upload)) is not None:
        problems, status = [refused[0]], refused[1]
    elif upload is not None:
        try:
            progress = services.read_upload(upload.name or "progress.yaml", upload.read(), round_)
            services.import_progress(body, progress, request.user)  # type: ignore[arg-type]
            return redirect("progress", body.slug)
        except AdvisorError as err:
            problems = list(err.problems)
    return page(request, "progress/progress.html", status=status, **_context(request, body, problems=problems))
