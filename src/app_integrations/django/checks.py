"""System checks: warn at start-up about a service that is enabled but not configured (never fail silently)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core import checks

# (check id, service, module with `missing_settings() -> list[str]`): one line per service.
SERVICES = (
    ("app_integrations.W001", "Loops", "app_integrations.loops.config"),
    ("app_integrations.W002", "Stripe", "app_integrations.stripe.config"),
    ("app_integrations.W003", "Twilio", "app_integrations.twilio.config"),
    ("app_integrations.W004", "S3", "app_integrations.aws.config"),
)


@checks.register()
def integrations_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """One warning per enabled service with missing settings, outside DEBUG/TESTING."""
    from ..settings import is_development

    if is_development():
        return []
    warnings: list[checks.CheckMessage] = []
    for check_id, service, module in SERVICES:
        names: list[str] = import_module(module).missing_settings()
        if names:
            warnings.append(
                checks.Warning(
                    f"{service} is not configured: set {', '.join(names)}",
                    hint=f"Without it every {service} call returns a failure dict and nothing is sent.",
                    id=check_id,
                )
            )
    return warnings
