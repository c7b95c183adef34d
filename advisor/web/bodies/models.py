"""Government bodies and who works with them: office members and leads, consultants engaged for a period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class Body(models.Model):
    class Level(models.TextChoices):
        REPUBLICAN = "republican"
        LOCAL = "local"

    class OfficeType(models.TextChoices):
        CENTRALISED = "centralised"
        DECENTRALISED = "decentralised"

    #: the organisation id of the assessment files (``organisation.id``)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    name_kk = models.CharField(max_length=300)
    name_ru = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300)
    government_level = models.CharField(max_length=20, choices=Level.choices)
    sector = models.CharField(max_length=60)
    office_type = models.CharField(max_length=20, choices=OfficeType.choices)

    class Meta:
        ordering = ["slug"]

    def name(self, lang: str) -> str:
        return str(getattr(self, f"name_{lang}", "") or self.name_ru)

    def __str__(self) -> str:
        return self.slug


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member"
        LEAD = "lead"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "body"], name="one_membership_per_body")]


class Engagement(models.Model):
    """A consultant's engagement with a body: they see its rounds only from ``starts`` to ``ends`` (inclusive)."""

    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="engagements")
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)

    @staticmethod
    def active_on(day: dt.date) -> Q:
        return Q(starts__lte=day) & (Q(ends__isnull=True) | Q(ends__gte=day))
