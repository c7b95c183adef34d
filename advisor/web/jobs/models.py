"""Work over many bodies (recomputing results, a rule edit's impact), queued in the database and done by
``advisor web worker`` outside any request: no broker to run, and one process compiles each engine once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


def lease() -> dt.timedelta:
    """How long a running job stays its worker's without a heartbeat (``ADVISOR_JOB_LEASE_SECONDS``)."""
    return dt.timedelta(seconds=int(getattr(settings, "ADVISOR_JOB_LEASE_SECONDS", 300)))


class Job(models.Model):
    class Kind(models.TextChoices):
        RECOMPUTE = "recompute"
        IMPACT = "impact"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: the rounds the job covers, fixed when it is queued from what its author may see
    rounds = models.JSONField(default=list)
    #: impact: the candidate knowledge base's folder and whether bodies are shown anonymised
    params = models.JSONField(default=dict)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    #: the problems that stopped it, as the library located them (rendered in the reader's language)
    problems = models.JSONField(default=list)
    #: the running worker's last sign of life; a job whose lease ran out was left by a worker that stopped
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: times a worker claimed it (a job taken over from a stopped worker runs again, up to a limit)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: when a worker was found to have stopped while running it (the page says so while it runs again)
    lost_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def stale(self) -> bool:
        """Running, but no sign of its worker for longer than the lease: the worker has most likely stopped."""
        return self.status == self.Status.RUNNING and self.lease_expired()

    def lease_expired(self, now: dt.datetime | None = None) -> bool:
        last = self.heartbeat_at or self.started_at
        return last is not None and last < (now or timezone.now()) - lease()

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)
