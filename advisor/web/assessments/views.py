"""The questionnaire (htmx autosave per criterion), the workflow, results, downloads, history."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import api
from ...errors import N_, AdvisorError
from .. import i18n, memo, scoping
from ..i18n import _, lang
from ..pages import page, require, scoped
from . import forms, services
from .models import Answer, Round


def _round(request: HttpRequest, pk: int, action: str) -> Round:
    round_ = scoped(scoping.rounds(request.user), pk=pk)
    require(request, action, round_)
    return round_


def dom_id(criterion: str) -> str:
    return criterion.replace(".", "-")


def _progress(round_: Round) -> dict[str, int]:
    answered, total = services.completeness(round_)
    return {"answered": answered, "total": total, "percent": round(100 * answered / total) if total else 0}


def _can(request: HttpRequest, round_: Round) -> dict[str, bool]:
    return scoping.allowed_on_round(request.user, ("edit", "submit", "finalise", "reopen", "next_round", "history"), round_)


@login_required
@require_GET
def round_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "view")
    answers = {a.criterion: a for a in round_.answers.select_related("updated_by")}  # the template asks who saved each
    k = services.kb()
    dims = [(d, [(c, answers.get(c.id) or Answer(criterion=c.id)) for c in k.criteria_of(d)]) for d in k.dimensions]
    problem = request.session.pop("round_problem", None)
    return page(request, "assessments/round.html", round=round_, dims=dims, progress=_progress(round_), can=_can(request, round_),
                scores=forms.score_choices(), dom_id=dom_id, problem=problem)


@login_required
@require_POST
def answer_view(request: HttpRequest, pk: int, criterion: str) -> HttpResponse:
    """One criterion's autosave (htmx): the status, the new revision and the completeness, swapped in place."""
    round_ = _round(request, pk, "edit")
    k = services.kb()
    if criterion not in k.criteria:
        raise Http404
    values, errors = forms.clean_answer(request.POST, k.criteria[criterion])
    try:
        revision = int(request.POST.get("revision") or 0)
    except ValueError:
        revision = 0
    saved = None
    if not errors:
        saved = services.save_answer(round_, criterion, values, revision, request.user)  # type: ignore[arg-type]
    return page(request, "assessments/_saved.html", round=round_, c=k.criteria[criterion], saved=saved, errors=errors,
                progress=_progress(round_), dom_id=dom_id, status=422 if errors else 200)


@login_required
@require_POST
def meta_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "edit")
    values, errors = forms.clean_meta(request.POST)
    if not errors:
        services.save_meta(round_, values["assessed_on"], values["assessor"], request.user)  # type: ignore[arg-type]
    return page(request, "assessments/_meta_saved.html", round=round_, errors=errors, saved_at=timezone.now(),
                status=422 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def outcomes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's outcome figures: one row per indicator of the knowledge base, checked by the library as an
    imported file's are; the previous round's figures are shown beside each row (they cover another period)."""
    round_ = _round(request, pk, "edit")
    errors: dict[str, dict[str, list[str]]] = {}
    values = {oid: {**o, "value": _plain(o.get("value"))} for oid, o in round_.outcomes.items()}
    if request.method == "POST":
        rows = forms.outcome_rows(request.POST, services.kb().indicators())
        try:
            services.save_outcomes(round_, rows, request.user)  # type: ignore[arg-type]
        except AdvisorError as err:
            errors = _outcome_errors(err)
            values = {oid: {f: request.POST.get(f"{oid}-{f}", "") for f in forms.OUTCOME_FIELDS}
                      for oid in services.kb().indicators()}
        else:
            return redirect(reverse("round", args=[round_.pk]) + "#outcomes")
    previous = round_.previous.outcomes if round_.previous is not None else {}
    return page(request, "assessments/outcomes.html", round=round_, values=values, errors=errors, previous=previous,
                can=_can(request, round_), status=422 if errors else 200)


def _plain(value: Any) -> str:
    """A stored figure as the form shows it: 48, not 48.0."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


#: a hint meant for a YAML file, not for a form's field
_FILE_ONLY_HINTS = {"write the number without quotes, e.g. 3 or 2.5"}


def _outcome_errors(err: AdvisorError) -> dict[str, dict[str, list[str]]]:
    """The library's problems by indicator and field ('' for the row), each in the user's language."""
    out: dict[str, dict[str, list[str]]] = {}
    for p in err.problems:
        parts = str(p.field or "").split(".")
        oid = parts[1] if len(parts) > 1 and parts[0] == "outcomes" else ""
        field = parts[2] if len(parts) > 2 else ""
        text = i18n.localise(p.message)
        if p.hint and getattr(p.hint, "template", p.hint) not in _FILE_ONLY_HINTS:
            text += " (" + i18n.localise(p.hint) + ")"
        out.setdefault(oid, {}).setdefault(field, []).append(text)
    return out


def _workflow(action: str):  # type: ignore[no-untyped-def]
    step = {"submit": services.submit, "finalise": services.finalise, "reopen": services.reopen}[action]

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(request, pk, action)
        try:
            step(round_, request.user)  # type: ignore[arg-type]
        except AdvisorError as err:
            request.session["round_problem"] = _problem_text(err)
        return redirect("round", round_.pk)
    view.__name__ = f"{action}_view"
    return view


submit_view = _workflow("submit")
finalise_view = _workflow("finalise")
reopen_view = _workflow("reopen")


def _problem_text(err: AdvisorError) -> list[str]:
    """The library's problems, said in the user's language where we know the message."""
    out = []
    for p in err.problems:
        template = getattr(p.message, "template", "")
        if template == "{n} criteria are not answered":
            out.append(_("Answer every criterion (a score or “not applicable”) before submitting: %(n)s left.")
                       % {"n": p.message.args["n"]})  # type: ignore[attr-defined]
        elif template == "dimension {id!r} has no scored criterion":
            out.append(_("Every dimension needs at least one scored criterion."))
        else:
            out.append(p.render(i18n.gettext))
    return out


@login_required
@require_POST
def next_round_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "next_round")
    new = services.new_round(round_.body, request.user, previous=round_)  # type: ignore[arg-type]
    return redirect("round", new.pk)


def _options(request: HttpRequest) -> dict[str, Any]:
    """The CLI's roadmap options from the query: ``target`` (``4`` or ``technology=4``, repeatable), ``max_per_stage``."""
    specs = [t for t in request.GET.getlist("target") if t.strip()]
    raw = (request.GET.get("max_per_stage") or "").strip()
    try:
        max_per_stage = int(raw) if raw else None
    except ValueError:
        raise AdvisorError.single("--max-per-stage", N_("expected a whole number of at least 1, got {value}", value=repr(raw))) from None
    return {"targets": api.parse_targets(specs, services.kb()) or None, "max_per_stage": max_per_stage}


def _computed(request: HttpRequest, round_: Round) -> services.Computed | list[str]:
    try:
        return services.compute(round_, **_options(request))
    except AdvisorError as err:
        return _problem_text(err)


@login_required
@require_GET
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "results")
    computed = _computed(request, round_)
    if isinstance(computed, list):
        return page(request, "assessments/results.html", round=round_, problems=computed, status=422,
                    can=_can(request, round_), query="", target="", max_per_stage="")
    return page(request, "assessments/results.html", round=round_, problems=[], report=_report(request, round_, computed),
                can=_can(request, round_), query=request.GET.urlencode(), target=request.GET.get("target", ""),
                max_per_stage=request.GET.get("max_per_stage", ""))


def _report(request: HttpRequest, round_: Round, computed: services.Computed) -> str:
    """The results page's report: a stored result (one round, input, options and knowledge base) reads the same
    to everyone in one language, so each worker renders it once (the slowest part of the page) and reuses it."""
    def make() -> str:
        view = api.report_view(computed.evaluation, computed.roadmap, services.kb(), lang())
        return mark_safe(render_to_string("assessments/_report.html", {"round": round_, "view": view, "result": computed.result},
                                          request))
    r = computed.result
    # what the report shows is fixed by these (the input digest covers answers, body and options); the result's id is not
    # enough on its own: a test database reuses ids
    return memo.reports.get((round_.pk, r.kb_hash, r.input_digest, lang()), make)


@login_required
@require_GET
def explain_view(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    round_ = _round(request, pk, "results")
    k = services.kb()
    if item not in k.actions and item not in k.weaknesses:
        raise Http404
    computed = _computed(request, round_)
    if isinstance(computed, list):
        raise Http404
    return page(request, "assessments/_explain.html", ex=api.explain(computed.evaluation, k, item, rm=computed.roadmap))


#: what a downloaded HTML report prints (``advisor report --paper``): the leadership's short copy, or everything
PAPERS = ("leadership", "full")
DOWNLOADS = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
             "json": "application/json", "yaml": "application/yaml; charset=utf-8"}


@login_required
@require_GET
def download_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    round_ = _round(request, pk, "download")
    paper = request.GET.get("paper", "leadership")
    if fmt not in DOWNLOADS or paper not in PAPERS:
        raise Http404
    try:
        body = _download(round_, fmt, _options(request), paper)
    except AdvisorError as err:
        return page(request, "assessments/results.html", round=round_, problems=_problem_text(err), status=422,
                    can=_can(request, round_), query="", target="", max_per_stage="")
    response = HttpResponse(body, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{round_.body.slug}-{round_.number}.{fmt}"'
    return response


def _download(round_: Round, fmt: str, options: dict[str, Any], paper: str) -> str:
    if fmt == "yaml":
        return services.export_yaml(round_)
    c = services.compute(round_, **options)
    k = services.kb()
    if fmt == "json":
        doc: dict[str, Any] = {"schema_version": api.SCHEMA_VERSION, "kb_version": k.version, "assessment": c.evaluation.assessment,
                               "scores": c.evaluation.scores, "findings": c.evaluation.findings, "roadmap": c.roadmap,
                               "next": api.next_steps(c.roadmap, k)}
        return json.dumps(api.to_jsonable(doc), ensure_ascii=False, indent=2) + "\n"
    return api.render_report(c.evaluation, c.roadmap, k, lang(), fmt, paper=paper)


@login_required
@require_GET
def history_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "history")
    events = scoping.audit_events(request.user).filter(round=round_)[:500]
    return page(request, "assessments/history.html", round=round_, events=events, can=_can(request, round_))
