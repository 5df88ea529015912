"""A one-time login link (the integrations guide's login code e-mail): issued once, used at most once, expiring."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class LoginToken(models.Model):
    """The server-side record of one login link.

    Only a SHA-256 of the link's secret is stored, so a database read does not yield usable links. `used_at` is set
    by one conditional UPDATE, so two clicks racing on the same link log in at most once.
    """

    user: models.ForeignKey[AbstractBaseUser, AbstractBaseUser] = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_id: Any  # the user's primary key, whose type is the user model's
    secret_hash: models.CharField[str, str] = models.CharField(max_length=64, unique=True)
    next_url: models.CharField[str, str] = models.CharField(max_length=2000, blank=True, default="")
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    expires_at: models.DateTimeField[datetime, datetime] = models.DateTimeField()
    used_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "app_integrations"
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        state = "used" if self.used_at else "unused"
        return f"login link for user {self.user_id} ({state})"
