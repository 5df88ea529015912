"""Start-up system checks: every state in which a service would not do what the app expects is said at start-up.

By `app_integrations.settings.decide`, outside debug mode a switched-off or unconfigured service answers every call
with a failure dict (`disabled` / `not_configured`); these checks say so before the first call does. They also
name a configured service whose webhooks cannot be verified (no secret: every delivery is refused), and, in debug
mode, each service that will simulate (an INFO line, so that a `TESTING` left on in production is visible).

IDs: `W001`-`W004` not configured (Loops, Stripe, Twilio, S3); `W011`-`W013` switched off; `W021`-`W023` webhooks
cannot be verified; `I001`-`I003` simulated in debug mode. Silence one with `SILENCED_SYSTEM_CHECKS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.core import checks

from ..settings import SIMULATE, decide, enabled, is_development, text


@dataclass(frozen=True)
class CheckedService:
    """One service as the checks see it: its number in the check IDs and its config module.

    The module has `missing_settings()`; an HTTP service's also has `ENABLED_SETTING`, `BASE_URL_SETTING`,
    `credentials_set()` and `webhook_problem()`.
    """

    number: int
    name: str
    module: str
    sends: bool = True


SERVICES = (
    CheckedService(1, "Loops", "app_integrations.loops.config"),
    CheckedService(2, "Stripe", "app_integrations.stripe.config"),
    CheckedService(3, "Twilio", "app_integrations.twilio.config"),
    CheckedService(4, "S3", "app_integrations.aws.config", sends=False),
)


def _service_messages(service: CheckedService, development: bool) -> list[checks.CheckMessage]:
    config: Any = import_module(service.module)
    missing: list[str] = config.missing_settings()
    if not service.sends:
        if missing and not development:
            return [_not_configured(service, missing)]
        return []
    messages: list[checks.CheckMessage] = []
    decision = decide(
        service.name,
        debug_mode=None,
        enabled_setting=config.ENABLED_SETTING,
        missing=missing,
        base_url=text(config.BASE_URL_SETTING),
    )
    if decision == SIMULATE:
        messages.append(
            checks.Info(
                f"{service.name} simulates every call: debug mode (DEBUG or TESTING) is on",
                hint="Simulated results carry simulated: True; nothing is sent. Outside debug mode they fail.",
                id=f"app_integrations.I00{service.number}",
            )
        )
    if development:
        return messages
    if not enabled(config.ENABLED_SETTING):
        messages.append(_switched_off(service, config))
    elif missing:
        messages.append(_not_configured(service, missing))
    elif (problem := config.webhook_problem()) is not None:
        messages.append(
            checks.Warning(
                f"{service.name} webhooks cannot be verified: {problem}",
                hint="Every delivery is refused (503) until then; the provider retries for a while, then gives up.",
                id=f"app_integrations.W02{service.number}",
            )
        )
    return messages


def _not_configured(service: CheckedService, missing: list[str]) -> checks.CheckMessage:
    return checks.Warning(
        f"{service.name} is not configured: set {', '.join(missing)}",
        hint=f"Without it every {service.name} call returns a failure dict (code not_configured); nothing is sent.",
        id=f"app_integrations.W00{service.number}",
    )


def _switched_off(service: CheckedService, config: Any) -> checks.CheckMessage:
    setting = config.ENABLED_SETTING
    message = f"{service.name} is switched off ({setting} is false)"
    if config.credentials_set():
        message += " although its credentials are set"
        if service.name == "Stripe" and config.webhook_problem():
            # Seed 002's settings: STRIPE_ENABLED = <env> == "true" or (STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET)
            message += f": {setting} computed from the key and an empty STRIPE_WEBHOOK_SECRET is false"
    return checks.Warning(
        message,
        hint=f"Every {service.name} call returns a failure dict (code disabled); nothing is sent or simulated. "
        f"Set {setting}=true to send, or silence app_integrations.W01{service.number} if that is intended.",
        id=f"app_integrations.W01{service.number}",
    )


@checks.register()
def integrations_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The messages of every service: warnings outside debug mode, what simulates inside it."""
    development = is_development()
    messages: list[checks.CheckMessage] = []
    for service in SERVICES:
        messages.extend(_service_messages(service, development))
    return messages
