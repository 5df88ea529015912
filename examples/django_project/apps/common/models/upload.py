"""`from apps.common.models.upload import Upload`: the integrations' Upload record (`app_integrations.django`)."""

from app_integrations.django.models import Upload

__all__ = ["Upload"]
