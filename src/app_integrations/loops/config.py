"""Loops' settings as seed 002 names them, read through `app_integrations.settings`."""

from __future__ import annotations

from ..settings import secret_list, text

DEFAULT_BASE_URL = "https://app.loops.so/api/v1"
API_KEY_SETTING = "LOOPS_API_KEY"
BASE_URL_SETTING = "LOOPS_BASE_URL"
ENABLED_SETTING = "LOOPS_ENABLED"
WEBHOOK_SECRET_SETTING = "LOOPS_WEBHOOK_SECRET"  # noqa: S105  (a setting name)


def missing_settings() -> list[str]:
    """The settings Loops still needs (for the start-up check)."""
    return [] if text(API_KEY_SETTING) else [API_KEY_SETTING]


def credentials_set() -> bool:
    """Whether any Loops credential is set (a switched-off service with one is a contradiction worth a warning)."""
    return bool(text(API_KEY_SETTING))


def webhook_secrets() -> list[str]:
    """`LOOPS_WEBHOOK_SECRET`: one `whsec_...` secret, or several while rotating."""
    return secret_list(WEBHOOK_SECRET_SETTING)


def webhook_problem() -> str | None:
    """What stops Loops webhooks from being verified, or None."""
    return None if webhook_secrets() else f"set {WEBHOOK_SECRET_SETTING}"
