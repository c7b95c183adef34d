"""Queue, claim and run jobs over many rounds. A job is claimed by one worker with a conditional update
(no two workers run it); it writes its progress as it goes, so the page can show it.

A running job holds a lease that its worker renews (a heartbeat every third of the lease, from a thread
that only writes that time). A worker that dies leaves its job's lease to run out: the next worker to look
at the queue takes it up again (once, by default), or marks it failed and says why. A worker that was only
slow and finds its job taken over writes nothing (every write names the attempt it belongs to).
Old finished jobs and unpacked candidate uploads no job needs are removed by ``cleanup`` (docs/web-scaling.md).

The worker runs one job at a time in one thread: durable_rules engines are not thread-safe and are compiled
once per knowledge-base hash per process (docs/web.md, ../design/durable-rules.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ... import api
from ...errors import N_, AdvisorError, Msg, Problem
from .. import scoping
from ..assessments import services as rounds
from ..assessments.models import Round
from ..timeline import services as timeline
from .models import Job, lease


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


def max_attempts() -> int:
    """Runs of a job before a stopped worker fails it (``ADVISOR_JOB_ATTEMPTS``: 2, taken up again once)."""
    return max(1, int(getattr(settings, "ADVISOR_JOB_ATTEMPTS", 2)))


def _mine(job: Job) -> Any:
    """The job's row while this run still holds it: running, and this attempt."""
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


def reap(now: dt.datetime | None = None) -> list[Job]:
    """Running jobs whose worker stopped (their lease ran out): queued again while attempts are left, otherwise
    failed with the reason; each change is a conditional update, so two workers reaping at once agree."""
    now = now or timezone.now()
    changed = []
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        if not job.lease_expired(now):
            continue
        last = job.heartbeat_at or job.started_at
        if job.attempts < max_attempts():
            done = _mine(job).filter(heartbeat_at=job.heartbeat_at).update(
                status=Job.Status.QUEUED, heartbeat_at=None, done=0, lost_at=now)
        else:
            reason = N_("the worker running this job stopped (no sign of it since {at}); attempts: {n}, the most allowed",
                        at=timezone.localtime(last).strftime("%Y-%m-%d %H:%M"), n=job.attempts)
            hint = N_("start the job again from the knowledge-base page; if it stops again, read the worker's log")
            done = _mine(job).filter(heartbeat_at=job.heartbeat_at).update(
                status=Job.Status.FAILED, finished_at=now, lost_at=now, problems=problems_json([Problem("job", reason, hint=hint)]))
            if done:
                _remove_upload(job)
        if done:
            job.refresh_from_db()
            changed.append(job)
    return changed


def claim() -> Job | None:
    """The oldest queued job, now running for this worker; None when the queue is empty. Jobs of stopped
    workers are taken back first."""
    reap()
    for job in Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "id")[:5]:
        now = timezone.now()
        if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1):
            job.refresh_from_db()
            return job
    return None


def beat(job: Job) -> bool:
    """Renew the job's lease; False when it is no longer this run's (taken over, or finished)."""
    return job.pk is None or bool(_mine(job).update(heartbeat_at=timezone.now()))


class Heartbeat:
    """Renews a job's lease every third of it while the job runs, from its own thread (a single step of a
    job, such as compiling a candidate's engines, can outlast a lease; the thread only writes the time)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job.pk}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(lease().total_seconds() / 3):
                if not beat(self.job):
                    return
        finally:
            connection.close()   # this thread's own connection

    def __enter__(self) -> "Heartbeat":
        if self.job.pk is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _progress(job: Job) -> Callable[[int], None]:
    def tell(n: int) -> None:
        job.done = n
        if job.pk is not None:
            _mine(job).update(done=n, heartbeat_at=timezone.now())
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
    candidate = api.load_kb(job.params["kb"])
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


def _remove_upload(job: Job) -> None:
    """An uploaded candidate is unpacked for its job alone: removed once the job has finished."""
    if job.kind == Job.Kind.IMPACT and job.params.get("remove"):
        shutil.rmtree(job.params["kb"], ignore_errors=True)


def run(job: Job) -> Job:
    """Run a claimed job to its end: done with its result, or failed with the problems that stopped it.
    A bug is logged with its traceback and fails the job, and the worker goes on with the next. When the job
    was taken over meanwhile (this worker was too slow to renew its lease), nothing is written."""
    with Heartbeat(job):
        try:
            job.result, job.status = RUNNERS[job.kind](job), Job.Status.DONE
        except AdvisorError as err:
            job.status, job.problems = Job.Status.FAILED, problems_json(err.problems)
        except Exception:  # noqa: BLE001 - a worker outlives one job's bug; the traceback goes to its log
            traceback.print_exc(file=sys.stderr)
            job.status, job.problems = Job.Status.FAILED, problems_json([Problem("job", "internal error: see the worker's log")])
    job.finished_at = timezone.now()
    if job.pk is None:
        return job
    if _mine(job).update(status=job.status, result=job.result, problems=job.problems, finished_at=job.finished_at,
                         done=job.done):
        _remove_upload(job)
    else:
        print(f"job {job.pk}: taken over by another worker while this one ran it; its result is dropped", file=sys.stderr)
        # what the job is now, for the worker's log; the attempt stays this run's, so it renews nothing
        job.status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first() or job.status
    return job


def candidates_root() -> Path:
    return Path(settings.ADVISOR_CANDIDATE_KBS)


def uploads_root() -> Path:
    """Where uploaded candidate knowledge bases are unpacked, one folder each."""
    return candidates_root() / ".uploads"


def cleanup(now: dt.datetime | None = None, keep_days: int | None = None) -> dict[str, int]:
    """Finished jobs older than ``keep_days`` (``ADVISOR_JOB_KEEP_DAYS``, default 30) deleted; unpacked uploads
    that no queued or running job needs, and older than an hour (a request may be checking one), removed.
    Returns how many of each."""
    now = now or timezone.now()
    days = keep_days if keep_days is not None else int(getattr(settings, "ADVISOR_JOB_KEEP_DAYS", 30))
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=now - dt.timedelta(days=days))
    jobs, _ = old.delete()
    needed = {Path(j.params.get("kb", "")).resolve() for j in Job.objects.filter(
        kind=Job.Kind.IMPACT, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]) if j.params.get("remove")}
    removed = 0
    root = uploads_root()
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.resolve() in needed or folder.is_symlink() or not folder.is_dir():
            continue
        if folder.stat().st_mtime > now.timestamp() - UPLOAD_GRACE_SECONDS:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return {"jobs": jobs, "uploads": removed}


#: an unpacked upload younger than this may still be being checked by the request that unpacked it
UPLOAD_GRACE_SECONDS = 3600
#: how often a worker that runs for days cleans up (and once when it starts)
CLEANUP_EVERY_SECONDS = 3600


def worker_loop(once: bool, poll: float, echo: Callable[[Any], None], kind: Callable[[str], Any] = str,
                state: Callable[[str], Any] = str) -> int:
    """Run queued jobs one after another (one thread: durable_rules engines are not thread-safe); with
    ``once``, until the queue is empty. Cleans up at start and every hour. Returns how many jobs ran.
    ``echo`` says a line (a translatable message); ``kind`` and ``state`` name a job's kind and state."""
    ran, cleaned = 0, None
    while True:
        if cleaned is None or time.monotonic() - cleaned > CLEANUP_EVERY_SECONDS:
            gone = cleanup()
            cleaned = time.monotonic()
            if any(gone.values()):
                echo(N_("cleanup: {jobs} old job(s), {uploads} unpacked upload(s) removed", **gone))
        job = claim()
        if job is None:
            if once:
                return ran
            time.sleep(poll)
            continue
        if job.attempts > 1:
            echo(N_("job {id} ({kind}, {rounds} round(s), attempt {n}) started", id=job.pk, kind=kind(job.kind),
                    rounds=job.total, n=job.attempts))
        else:
            echo(N_("job {id} ({kind}, {rounds} round(s)) started", id=job.pk, kind=kind(job.kind), rounds=job.total))
        run(job)
        ran += 1
        echo(N_("job {id} {state}", id=job.pk, state=state(job.status)))


def anonymous_labels(job: Job) -> dict[int, str]:
    """``Body 1``, ``Body 2``…: numbered in an order that depends on the job, not on names or ids."""
    bodies = sorted({c["body"] for c in (job.result or {}).get("changes", [])},
                    key=lambda b: hashlib.sha256(f"{job.pk}:{b}".encode()).hexdigest())
    return {b: str(i) for i, b in enumerate(bodies, 1)}
