"""The knowledge-base page: the installed version, recomputing stored results with it (coordinators), and
what a candidate knowledge base would change for every stored final round (policy analysts, coordinators).
Both run in the worker; the job's page follows its progress (htmx polling) and shows its result."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from ...errors import AdvisorError, Problem
from .. import scoping
from ..i18n import _, gettext, lang
from ..pages import page, scoped
from . import services, upload
from .models import Job

#: who may use the page's parts, by cross-body role
KB_ACTIONS: dict[str, set[str]] = {"view": {"coordinator", "analyst"}, "impact": {"coordinator", "analyst"},
                                   "recompute": {"coordinator"}}


def _require(request: HttpRequest, action: str) -> str:
    role = scoping.global_role(request.user)
    if role not in KB_ACTIONS[action]:
        raise PermissionDenied(action)
    return role


candidates_root = services.candidates_root


def candidates() -> list[str]:
    """Folders under ADVISOR_CANDIDATE_KBS that look like knowledge bases; the page offers only these."""
    root = candidates_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".") and (p / "knowledge_base").is_dir())


def _context(request: HttpRequest, role: str, **extra: Any) -> dict[str, Any]:
    return {"role": role, "candidates": candidates(), "candidates_root": str(candidates_root()),
            "outdated": len(services.outdated_rounds(request.user)) if role == "coordinator" else 0,
            "jobs": Job.objects.filter(created_by=request.user)[:20], "problems": [], "lint": [],
            "max_kb": settings.UPLOAD_MAX_BYTES // 1024, **extra}


@login_required
@require_GET
def kb_view(request: HttpRequest) -> HttpResponse:
    role = _require(request, "view")
    return page(request, "jobs/kb.html", **_context(request, role))


def _candidate(request: HttpRequest) -> tuple[Path, str, bool]:
    """The candidate's folder, its label, and whether it is an upload (removed once used)."""
    archive = request.FILES.get("archive")
    if archive is not None:
        if archive.size is not None and archive.size > settings.UPLOAD_MAX_BYTES:
            raise AdvisorError.single(archive.name or "upload", _("The file is too large: at most %(kb)d KB.")
                                      % {"kb": settings.UPLOAD_MAX_BYTES // 1024})
        into = services.uploads_root()
        into.mkdir(parents=True, exist_ok=True)
        return upload.unpack(archive.name or "upload.zip", archive.read(), into), archive.name or "upload.zip", True
    name = request.POST.get("candidate", "")
    if name not in candidates():
        raise AdvisorError.single("candidate", _("Choose a candidate knowledge base or upload one."))
    return candidates_root() / name, name, False


@login_required
@require_POST
def impact_view(request: HttpRequest) -> HttpResponse:
    role = _require(request, "impact")
    path: Path | None = None
    uploaded = False
    try:
        path, label, uploaded = _candidate(request)
        _kb, findings = services.check_candidate(path)
    except AdvisorError as err:
        if uploaded and path is not None:
            shutil.rmtree(path, ignore_errors=True)
        return page(request, "jobs/kb.html", status=422, **_context(request, role, problems=_rendered(err.problems)))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        if uploaded:
            shutil.rmtree(path, ignore_errors=True)
        return page(request, "jobs/kb.html", status=422, **_context(request, role, lint=errors))
    job = services.queue_impact(request.user, path, anonymise=role == "analyst", label=label,  # type: ignore[arg-type]
                                remove=uploaded, warnings=len(findings))
    return redirect("job", job.pk)


def _rendered(problems: list[Problem]) -> list[str]:
    return [p.render(gettext) for p in problems]


@login_required
@require_POST
def recompute_view(request: HttpRequest) -> HttpResponse:
    role = _require(request, "recompute")
    job = services.queue_recompute(request.user)  # type: ignore[arg-type]
    if job is None:
        return page(request, "jobs/kb.html", **_context(request, role, nothing=True))
    return redirect("job", job.pk)


def _job_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    job = scoped(Job.objects.filter(created_by=request.user), pk=pk)
    labels: dict[int, str] = {}
    if job.kind == Job.Kind.IMPACT and job.result:
        if job.params.get("anonymise"):
            labels = {b: _("Body %(n)s") % {"n": n} for b, n in services.anonymous_labels(job).items()}
        else:
            seen = {b.pk: b for b in scoping.bodies(request.user).filter(pk__in={c["body"] for c in job.result["changes"]})}
            labels = {pk_: b.name(lang()) for pk_, b in seen.items()}
    return {"job": job, "labels": labels, "problems": _rendered(services.problems_of(job)), "max_attempts": services.max_attempts()}


@login_required
@require_GET
def job_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "view")
    return page(request, "jobs/job.html", **_job_context(request, pk))


@login_required
@require_GET
def job_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's panel, polled by htmx while it runs (the finished panel stops the polling)."""
    _require(request, "view")
    return page(request, "jobs/_job.html", **_job_context(request, pk))
