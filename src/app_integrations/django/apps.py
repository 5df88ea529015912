"""The app config: its label, and the system checks it registers when Django starts."""

from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """`app_integrations.django`, labelled `app_integrations` (the label `django` would clash with Django's own)."""

    name = "app_integrations.django"
    label = "app_integrations"
    verbose_name: str = "Third-party integrations"
    default_auto_field: str = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks; rebuild the shortcuts' shared clients whenever a setting changes."""
        from django.core.signals import setting_changed

        from .. import shared_clients
        from . import checks  # noqa: F401  (registers on import)

        setting_changed.connect(shared_clients.reset, dispatch_uid="app_integrations.shared_clients.reset")
