"""Loops' settings as seed 002 names them, read through `app_integrations.settings`."""

from __future__ import annotations

from ..settings import flag, text

DEFAULT_BASE_URL = "https://app.loops.so/api/v1"


def enabled() -> bool:
    """`LOOPS_ENABLED` (default on)."""
    return flag("LOOPS_ENABLED", default=True)


def missing_settings() -> list[str]:
    """The settings an enabled Loops still needs (for the start-up check)."""
    if not enabled():
        return []
    return [] if text("LOOPS_API_KEY") else ["LOOPS_API_KEY"]
