"""`apps.common.models.sms.SMS`, where the integrations guide keeps it."""

from app_integrations.django.models import SMS

__all__ = ["SMS"]
