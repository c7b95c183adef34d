"""Queue, claim and run jobs over many rounds. A job is claimed by one worker with a conditional update
(no two workers run it); it writes its progress as it goes, so the page can show it.

The worker runs one job at a time in one thread: durable_rules engines are not thread-safe and are compiled
once per knowledge-base hash per process (docs/web.md, ../design/durable-rules.md)."""

from __future__ import annotations

import hashlib
import shutil
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ... import api
from ...errors import AdvisorError, Msg, Problem
from .. import scoping
from ..assessments import services as rounds
from ..assessments.models import Round
from ..timeline import services as timeline
from .models import Job


def _text(value: str | None) -> Any:
    """A message as data: a Msg keeps its template and arguments, to be said again in the reader's language."""
    if isinstance(value, Msg):
        return {"template": value.template, "args": {k: _text(v) if isinstance(v, str) else v for k, v in value.args.items()}}
    return value


def _msg(value: Any) -> Any:
    if isinstance(value, dict):
        return Msg(value["template"], **{k: _msg(v) for k, v in value["args"].items()})
    return value


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "line": p.line, "column": p.column, "field": _text(p.field), "message": _text(p.message),
             "hint": _text(p.hint)} for p in problems]


def problems_of(job: Job) -> list[Problem]:
    return [Problem(p["file"], _msg(p["message"]), p["line"], p["column"], _msg(p["field"]), _msg(p["hint"]))
            for p in job.problems]


def final_rounds(user: AbstractBaseUser) -> list[Round]:
    """The final rounds an impact or recompute run covers: those the user sees; an analyst sees no body, so
    theirs are every body's, for results shown anonymised (as the portfolio's aggregates are)."""
    if scoping.portfolio_view(user) == "aggregates":
        return list(scoping.portfolio_rounds(user).order_by("body__slug", "number"))
    return list(scoping.rounds(user).filter(status=Round.Status.FINAL).order_by("body__slug", "number"))


def queue_impact(user: AbstractBaseUser, candidate: Path, anonymise: bool, label: str, remove: bool = False,
                 warnings: int = 0) -> Job:
    """Every final round ``user`` sees, under the candidate; ``remove``: an unpacked upload, deleted once used."""
    ids = [r.pk for r in final_rounds(user)]
    return Job.objects.create(kind=Job.Kind.IMPACT, created_by=user, rounds=ids, total=len(ids),
                              params={"kb": str(candidate), "label": label, "anonymise": anonymise, "remove": remove,
                                      "lint_warnings": warnings})


def outdated_rounds(user: AbstractBaseUser | None) -> list[int]:
    """Final rounds (that ``user`` sees; every one for the command line) with no result of the installed
    knowledge base."""
    final = final_rounds(user) if user is not None else list(Round.objects.filter(status=Round.Status.FINAL).order_by("pk"))
    return [r.pk for r in timeline.outdated(final)]


def queue_recompute(user: AbstractBaseUser) -> Job | None:
    ids = outdated_rounds(user)
    return Job.objects.create(kind=Job.Kind.RECOMPUTE, created_by=user, rounds=ids, total=len(ids)) if ids else None


def check_candidate(path: Path) -> tuple[api.KnowledgeBase, list[Any]]:
    """A candidate knowledge base loaded (AdvisorError, located, when it does not) and its lint findings;
    an error among them stops an impact run."""
    candidate = api.load_kb(path)
    return candidate, api.lint(path)


def claim() -> Job | None:
    """The oldest queued job, now running for this worker; None when the queue is empty."""
    for job in Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "id")[:5]:
        if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING,
                                                                          started_at=timezone.now()):
            job.refresh_from_db()
            return job
    return None


def _progress(job: Job) -> Callable[[int], None]:
    def tell(n: int) -> None:
        job.done = n
        if job.pk is not None:
            Job.objects.filter(pk=job.pk).update(done=n)
    return tell


def _rounds_of(job: Job) -> list[Round]:
    by_pk = {r.pk: r for r in Round.objects.filter(pk__in=job.rounds).select_related("body")}
    return [by_pk[pk] for pk in job.rounds if pk in by_pk]   # a body deleted since is left out


def recompute(job: Job) -> dict[str, Any]:
    tell, made = _progress(job), 0
    for n, round_ in enumerate(_rounds_of(job), 1):
        with transaction.atomic():
            before = round_.results.count()
            timeline.recompute(round_)
            made += round_.results.count() - before
        tell(n)
    return {"recomputed": made, "kb_version": rounds.kb().version}


def impact(job: Job) -> dict[str, Any]:
    """Every round under the installed and the candidate knowledge base; nothing of the bodies is stored."""
    try:
        candidate = api.load_kb(job.params["kb"])
    finally:
        if job.params.get("remove"):
            shutil.rmtree(job.params["kb"], ignore_errors=True)
    found = _rounds_of(job)
    keys = {str(r.pk): r for r in found}
    result = api.rules_impact(rounds.kb(), candidate, [(str(r.pk), rounds.assessment(r)) for r in found], _progress(job))
    changes = []
    for c in result.changes:
        r = keys[c.file]
        changes.append({"round": r.pk, "body": r.body.pk, "number": r.number, **{k: v for k, v in c.__dict__.items() if k != "file"}})
    return {"old": result.old_version, "new": result.new_version, "summary": result.summary,
            "prerequisites": result.prerequisites, "changes": changes, "names": _names(result, rounds.kb(), candidate)}


def _names(result: Any, *kbs: api.KnowledgeBase) -> dict[str, dict[str, str]]:
    """The title of every weakness and action the changes name, from the knowledge base that has it."""
    ids = {x for c in result.changes for x in [*c.weaknesses_added, *c.weaknesses_removed, *c.actions_added,
                                                *c.actions_removed, *c.stage_changed, *c.months_changed]}
    out: dict[str, dict[str, str]] = {}
    for x in sorted(ids):
        for k in reversed(kbs):
            item = k.weaknesses.get(x) or k.actions.get(x)
            if item is not None:
                out[x] = item.title.model_dump()
                break
    return out


RUNNERS: dict[str, Callable[[Job], dict[str, Any]]] = {Job.Kind.RECOMPUTE: recompute, Job.Kind.IMPACT: impact}


def run(job: Job) -> Job:
    """Run a claimed job to its end: done with its result, or failed with the problems that stopped it.
    A bug is logged with its traceback and fails the job, and the worker goes on with the next."""
    try:
        job.result, job.status = RUNNERS[job.kind](job), Job.Status.DONE
    except AdvisorError as err:
        job.status, job.problems = Job.Status.FAILED, problems_json(err.problems)
    except Exception:  # noqa: BLE001 - a worker outlives one job's bug; the traceback goes to its log
        traceback.print_exc(file=sys.stderr)
        job.status, job.problems = Job.Status.FAILED, problems_json([Problem("job", "internal error: see the worker's log")])
    job.finished_at = timezone.now()
    if job.pk is not None:
        job.save(update_fields=["status", "result", "problems", "finished_at", "done"])
    return job


def anonymous_labels(job: Job) -> dict[int, str]:
    """``Body 1``, ``Body 2``…: numbered in an order that depends on the job, not on names or ids."""
    bodies = sorted({c["body"] for c in (job.result or {}).get("changes", [])},
                    key=lambda b: hashlib.sha256(f"{job.pk}:{b}".encode()).hexdigest())
    return {b: str(i) for i, b in enumerate(bodies, 1)}
