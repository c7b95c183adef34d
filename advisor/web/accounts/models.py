"""Who a user is beyond a body: their language and a cross-body role (coordinator, policy analyst)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    class Role(models.TextChoices):
        NONE = "", "none"
        COORDINATOR = "coordinator", "coordinator"
        ANALYST = "analyst", "policy analyst"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=2, choices=[("kk", "kk"), ("ru", "ru"), ("en", "en")], default="ru")
    role = models.CharField(max_length=20, choices=Role.choices, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.user} ({self.role or 'body user'})"


class LoginAttempt(models.Model):
    """Failed sign-ins, counted per user name and per address to throttle guessing (across worker processes)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
