"""The project's user: Django's, plus the Stripe customer it pays as (reused, never duplicated)."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A user; `stripe_customer_id` is set the first time they pay."""

    stripe_customer_id = models.CharField(max_length=255, blank=True, default="", db_index=True)

    class Meta:
        app_label = "common"
