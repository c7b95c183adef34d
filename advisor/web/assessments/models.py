"""Assessment rounds of a body, their answers per criterion, the audit trail, and stored results.

A body's rounds, numbered, are its history; each result names the knowledge base it was computed with,
so later views (progress, history, portfolio) can compare like with like.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..bodies.models import Body


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        SUBMITTED = "submitted"
        FINAL = "final"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assessed_on = models.DateField()
    assessor = models.CharField(max_length=300, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_rounds")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: the assessment's ``outcomes:`` as the library validated them (indicator id -> value, unit, period, source,
    #: note); figures of one period, so the next round starts without them
    outcomes = models.JSONField(default=dict, blank=True)
    #: the assessment's ``staffing:`` (posts, filled, additional_duties) as the library validated it, or null;
    #: like the outcomes it describes the office at this round's date and is not carried into the next round
    staffing = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["body", "-number"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="one_round_number_per_body")]

    def __str__(self) -> str:
        return f"{self.body.slug} #{self.number}"


class Answer(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    criterion = models.CharField(max_length=100)
    score = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)
    method = models.CharField(max_length=60, blank=True)
    #: bumped on every save; a save based on an older revision still wins, and is told it replaced one
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "criterion"], name="one_answer_per_criterion")]

    @property
    def answered(self) -> bool:
        return self.score is not None or self.not_applicable


class AuditEvent(models.Model):
    """Who changed which field of which criterion (or of the round) when, from what to what."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="audit")
    criterion = models.CharField(max_length=100, blank=True)
    field = models.CharField(max_length=30)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class Result(models.Model):
    """An evaluation and roadmap of a round, as advisor.api computed them, with the knowledge base used."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    kb_version = models.CharField(max_length=80)
    kb_hash = models.CharField(max_length=64)
    #: a digest of the answers and options it was computed from: a changed draft gets a new result
    input_digest = models.CharField(max_length=64)
    options = models.JSONField(default=dict)
    evaluation = models.JSONField()
    roadmap = models.JSONField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "kb_hash", "input_digest"], name="one_result_per_input")]
