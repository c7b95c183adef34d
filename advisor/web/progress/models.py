"""A body's progress on its roadmap's actions: the stored form of the progress file the CLI reads, plus what
only the office keeps (owner, planned dates, evidence link, why an action was dropped), and who changed what."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..bodies.models import Body


class ActionProgress(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned"
        IN_PROGRESS = "in_progress"
        DONE = "done"
        DROPPED = "dropped"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="action_progress")
    action = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    #: a person or a role, as the office writes it
    owner = models.CharField(max_length=200, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_finish = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    reason = models.TextField(blank=True, help_text="why the action was dropped")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["body", "action"]
        constraints = [models.UniqueConstraint(fields=["body", "action"], name="one_progress_row_per_action")]

    def __str__(self) -> str:
        return f"{self.body.slug} {self.action}: {self.status}"


class ProgressEvent(models.Model):
    """Who changed which field of which action's progress when, from what to what."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="progress_events")
    action = models.CharField(max_length=100)
    field = models.CharField(max_length=30)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
