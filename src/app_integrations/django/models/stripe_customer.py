"""Which Stripe customer belongs to which user: one each, so a user's customer is reused, never duplicated."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class StripeCustomer(models.Model):
    """The Stripe customer (`cus_...`) of one user; both sides unique."""

    user: models.OneToOneField[AbstractBaseUser, AbstractBaseUser] = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer"
    )
    user_id: Any  # the user's primary key, whose type is the user model's
    customer_id: models.CharField[str, str] = models.CharField(max_length=255, unique=True)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "app_integrations"

    def __str__(self) -> str:
        return f"{self.customer_id} (user {self.user_id})"
