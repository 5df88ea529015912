"""`apps.common.models.sms.SMS`, where seed 002's template keeps it."""

from app_integrations.django.models import SMS

__all__ = ["SMS"]
