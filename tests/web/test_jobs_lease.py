"""A job's lease: a worker that dies leaves its job to be taken up again once, then failed with the reason on
the page; a worker that was only slow writes nothing over the job's new run; the heartbeat keeps a long job
its worker's. And the cleanup of old finished jobs and unpacked candidate uploads (command and worker)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from advisor import api
from tests.conftest import run_cli
from tests.web.conftest import World
from tests.web.test_kb_impact import candidates  # noqa: F401 - fixture

LONG_AGO = dt.timedelta(hours=1)


def coordinator(world: World, lang: str = "ru") -> Client:
    from advisor.web.accounts.models import Profile
    Profile.objects.filter(user=world.users["coordinator"]).update(language=lang)
    c = Client()
    c.force_login(world.users["coordinator"])
    return c


def impact_job(world: World, candidates: Path) -> Any:  # noqa: F811
    from advisor.web.jobs import services
    return services.queue_impact(world.users["coordinator"], candidates / "training-threshold", anonymise=False, label="t")


def worker_dies(job: Any) -> None:
    """The worker that claimed ``job`` stops without a word: its last heartbeat is older than the lease."""
    from advisor.web.jobs.models import Job
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - LONG_AGO)


@pytest.mark.django_db
def test_a_job_left_by_a_dead_worker_runs_again_once_and_the_page_says_so(world: World, candidates: Path) -> None:  # noqa: F811
    from advisor.web.jobs import services
    job = impact_job(world, candidates)
    first = services.claim()
    assert first is not None and first.pk == job.pk and first.attempts == 1 and first.heartbeat_at is not None
    services._progress(first)(1)                     # it had got somewhere
    assert services.reap() == []                     # a live lease is left alone
    worker_dies(first)
    [back] = services.reap()
    assert (back.status, back.done, back.attempts, back.heartbeat_at) == ("queued", 0, 1, None) and back.lost_at
    panel = coordinator(world).get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'id="job-retried"' in panel and "попытка 2 из 2" in panel
    again = services.claim()
    assert again is not None and again.pk == job.pk and again.attempts == 2
    services.run(again)
    job.refresh_from_db()
    assert job.status == "done" and job.result["summary"]["weaknesses_added"] == 1 and job.problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_job_whose_workers_die_twice_fails_with_the_reason_in_the_users_language(world: World, candidates: Path,  # noqa: F811
                                                                                    lang: str) -> None:
    from advisor.web.jobs import services
    from advisor.web.jobs.models import Job
    job = impact_job(world, candidates)
    for _ in range(2):
        claimed = services.claim()
        assert claimed is not None and claimed.pk == job.pk
        worker_dies(claimed)
    assert services.claim() is None                  # reaped as failed: nothing left to run
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None and job.attempts == 2
    [problem] = services.problems_of(job)
    page = coordinator(world, lang).get(f"/jobs/{job.pk}/").content.decode()
    said = problem.render(api.translations(lang).gettext)
    assert said in page and str(problem.message) not in page
    assert {"ru": "попыток: 2", "kk": "әрекеттер: 2"}[lang] in said
    assert 'hx-trigger="every 2s"' not in page       # finished: no more polling
    assert Job.objects.get(pk=job.pk).status == "failed"


@pytest.mark.django_db
def test_a_slow_worker_whose_job_was_taken_over_writes_nothing(world: World, candidates: Path) -> None:  # noqa: F811
    from advisor.web.jobs import services
    job = impact_job(world, candidates)
    slow = services.claim()
    assert slow is not None
    worker_dies(slow)                                # so slow that its lease ran out
    taken = services.claim()                         # another worker takes the job up
    assert taken is not None and taken.attempts == 2 and taken.status == "running"
    services.run(slow)                               # the slow one finishes after all
    job.refresh_from_db()
    assert job.status == "running" and job.result is None and job.attempts == 2
    assert not services.beat(slow) and services.beat(taken)
    services.run(taken)
    job.refresh_from_db()
    assert job.status == "done"


@pytest.mark.django_db
def test_a_running_job_without_heartbeat_says_so_before_any_worker_takes_it(world: World, candidates: Path) -> None:  # noqa: F811
    from advisor.web.jobs import services
    job = impact_job(world, candidates)
    claimed = services.claim()
    panel = coordinator(world).get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'id="job-stale"' not in panel
    worker_dies(claimed)
    panel = coordinator(world).get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'id="job-stale"' in panel and "advisor web worker" in panel


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_job_its_workers(world: World, settings: Any, monkeypatch: Any) -> None:
    """A single step longer than the lease (a candidate's engines compiling) does not lose the job."""
    from advisor.web.jobs import services
    from advisor.web.jobs.models import Job
    settings.ADVISOR_JOB_LEASE_SECONDS = 1           # a heartbeat every third of a second
    seen: list[bool] = []

    def slow(job: Any) -> dict[str, Any]:
        started = Job.objects.get(pk=job.pk).heartbeat_at
        time.sleep(1.6)
        fresh = Job.objects.get(pk=job.pk)
        seen.append(fresh.heartbeat_at > started and not fresh.lease_expired())
        return {"recomputed": 0, "kb_version": "x"}
    monkeypatch.setitem(services.RUNNERS, Job.Kind.RECOMPUTE, slow)
    job = Job.objects.create(kind=Job.Kind.RECOMPUTE, created_by=world.users["coordinator"], rounds=[], total=0)
    claimed = services.claim()
    assert claimed is not None
    services.run(claimed)
    job.refresh_from_db()
    assert seen == [True] and job.status == "done"


@pytest.mark.django_db
def test_cleanup_removes_old_finished_jobs_and_uploads_no_job_needs(world: World, candidates: Path) -> None:  # noqa: F811
    from advisor.web.jobs import services
    from advisor.web.jobs.models import Job
    now = timezone.now()
    user = world.users["coordinator"]

    def job(status: str, days: int) -> Job:
        return Job.objects.create(kind=Job.Kind.RECOMPUTE, created_by=user, status=status,
                                  finished_at=now - dt.timedelta(days=days) if status in ("done", "failed") else None)
    old_done, old_failed, recent, running = job("done", 40), job("failed", 31), job("done", 3), job("running", 0)
    uploads = services.uploads_root()
    needed, orphan, young = (uploads / n for n in ("needed", "orphan", "young"))
    for folder in (needed, orphan, young):
        (folder / "knowledge_base").mkdir(parents=True)
    hours_ago = time.time() - 2 * 3600
    for folder in (needed, orphan):
        os.utime(folder, (hours_ago, hours_ago))
    queued = services.queue_impact(user, needed, anonymise=False, label="kb.zip", remove=True)
    assert services.cleanup(now) == {"jobs": 2, "uploads": 1}
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk, queued.pk}
    assert needed.is_dir() and young.is_dir() and not orphan.exists() and not {old_done.pk, old_failed.pk} & set(
        Job.objects.values_list("pk", flat=True))
    out = run_cli("web", "cleanup", "--days", "1").output
    assert "1 finished job(s) and 0 unpacked upload(s) removed" in out
    assert not Job.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db
def test_the_worker_cleans_up_when_it_starts_and_a_failed_uploads_folder_goes(world: World, candidates: Path) -> None:  # noqa: F811
    from advisor.web.jobs import services
    from advisor.web.jobs.models import Job
    user = world.users["coordinator"]
    Job.objects.create(kind=Job.Kind.RECOMPUTE, created_by=user, status="done", finished_at=timezone.now() - dt.timedelta(days=90))
    folder = services.uploads_root() / "upload"
    (folder / "knowledge_base").mkdir(parents=True)
    job = services.queue_impact(user, folder, anonymise=False, label="kb.zip", remove=True)
    for _ in range(2):                               # the upload's job is left twice by a dying worker
        worker_dies(services.claim())
    out = run_cli("web", "worker", "--once").output
    assert "cleanup: 1 old job(s), 0 unpacked upload(s) removed" in out
    job.refresh_from_db()
    assert job.status == "failed" and not folder.exists()
