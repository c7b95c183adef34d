"""The bodies a user works with, and one body's rounds."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ...errors import AdvisorError
from .. import scoping
from ..assessments import services
from ..pages import page, refused_upload, require, scoped
from ..progress import scoping as progress_scoping


@login_required
def home(request: HttpRequest) -> HttpResponse:
    rounds = scoping.rounds(request.user)
    # each body's latest round in the same query: the page costs the same for 3 bodies or 300
    latest = rounds.filter(body=OuterRef("pk")).order_by("-number").values("pk")[:1]
    bodies = list(scoping.bodies(request.user).annotate(latest=Subquery(latest)))
    by_pk = rounds.in_bulk([b.latest for b in bodies if b.latest is not None])  # type: ignore[attr-defined]
    roles = scoping.roles_in(request.user, bodies)
    rows = [(b, roles[b.pk], by_pk.get(b.latest)) for b in bodies]  # type: ignore[attr-defined]
    return page(request, "bodies/home.html", rows=rows, role=scoping.global_role(request.user), admin=scoping.is_admin(request.user))


@login_required
def body_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = scoped(scoping.bodies(request.user), slug=slug)
    rounds = list(scoping.rounds(request.user).filter(body=body))
    return page(request, "bodies/body.html", body=body, rounds=rounds, role=scoping.role_in(request.user, body),
                can_create=scoping.allowed(request.user, "create_round", body),
                can_import=scoping.allowed(request.user, "import", body),
                can_track=progress_scoping.allowed(request.user, "view", body),
                can_manage=scoping.may_manage(request.user, "view", body))


@login_required
@require_POST
def new_round(request: HttpRequest, slug: str) -> HttpResponse:
    body = scoped(scoping.bodies(request.user), slug=slug)
    require(request, "create_round", body)
    round_ = services.new_round(body, request.user)  # type: ignore[arg-type]
    return redirect("round", round_.pk)


@login_required
def import_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = scoped(scoping.bodies(request.user), slug=slug)
    require(request, "import", body)
    problems: list[object] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if (refused := refused_upload(upload)) is not None:
            problems, status = [refused[0]], refused[1]
        elif upload is not None:
            try:
                round_ = services.import_round(body, upload.name or "upload", upload.read(), request.user)  # type: ignore[arg-type]
                return redirect("round", round_.pk)
            except AdvisorError as err:
                problems = list(err.problems)
        if problems and status == 200:
            status = 422
    return page(request, "bodies/import.html", status=status, body=body, problems=problems,
                max_kb=settings.UPLOAD_MAX_BYTES // 1024)
