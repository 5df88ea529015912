"""Seed 002's `apps.common.models`: the integrations' models (`from apps.common.models import SMS`)."""

from app_integrations.django.models import SMS

__all__ = ["SMS"]
