"""The trail of who gave whom which access, when: memberships, engagements, cross-body roles, new accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..bodies.models import Body


class AccessEvent(models.Model):
    class Kind(models.TextChoices):
        BODY_CREATED = "body_created"
        USER_CREATED = "user_created"
        LINK_ISSUED = "link_issued"
        MEMBER_ADDED = "member_added"
        MEMBER_REMOVED = "member_removed"
        ROLE_CHANGED = "role_changed"
        ENGAGED = "engaged"
        ENGAGEMENT_ENDED = "engagement_ended"
        GLOBAL_ROLE = "global_role"

    #: null for what concerns no body (a new account, a coordinator's role)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.CASCADE, related_name="access_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: the user name it concerns, kept as text so the trail outlives a deleted account
    subject = models.CharField(max_length=150, blank=True)
    old = models.CharField(max_length=60, blank=True)
    new = models.CharField(max_length=60, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
