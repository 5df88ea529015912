"""Where an integration's configuration comes from, and when it simulates instead of sending: written once.

Each value is taken from the constructor argument, else from Django settings (when Django is installed and
configured), else from the environment variable of the same name that seed 002 uses (`LOOPS_API_KEY`, ...).

The debug-mode rule (seed 002's "Debug Mode", made safe):

* `debug_mode=True` or `False` passed to a client decides alone.
* Otherwise a client pointed at a sandbox by `<SERVICE>_BASE_URL` sends for real: that is the realistic
  development mode.
* Otherwise `DEBUG` (Django setting, else environment) on means simulate: log what would be sent (never a
  credential) and answer a simulated success with no network call.
* Empty credentials in a `DEBUG` or `TESTING` environment simulate too. Anywhere else they are a
  `not_configured` failure, and the Django app's system check warns at start-up, so that a production app never
  loses messages to silent simulation.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

_MISSING: Any = object()
_TRUE = frozenset({"1", "true", "yes", "on"})


def django_setting(name: str) -> Any:
    """`settings.<name>` when Django is importable and configured and has it, else the `_MISSING` marker.

    Settings can only be configured once `django.conf` has been imported, so a process that has not imported it
    (a script using only the S3 client) is not made to pay for importing Django here.
    """
    if "django.conf" not in sys.modules:
        return _MISSING
    from django.conf import settings

    if not settings.configured:
        return _MISSING
    return getattr(settings, name, _MISSING)


def setting(name: str, explicit: Any = None, default: Any = None) -> Any:
    """The value of one option: the argument if not None, else the Django setting, else the environment."""
    if explicit is not None:
        return explicit
    value = django_setting(name)
    if value is not _MISSING and value is not None:
        return value
    return os.environ.get(name, default)


def flag(name: str, explicit: bool | None = None, default: bool = False) -> bool:
    """A boolean option; environment strings `1/true/yes/on` (any case) are true."""
    value = setting(name, explicit)
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def text(name: str, explicit: str | None = None, default: str = "") -> str:
    """A string option, stripped; `default` when unset."""
    value = setting(name, explicit)
    return default if value is None else str(value).strip()


def secret_list(name: str, explicit: str | Iterable[str] | None = None) -> list[str]:
    """Several secrets in one option (webhook secrets while one is rolled, a second auth token): a list or tuple
    setting, or a string of them separated by commas or spaces (the environment's only form); blanks dropped."""
    value = setting(name, explicit)
    if not value:
        return []
    items = value.replace(",", " ").split() if isinstance(value, str) else [str(item) for item in value]
    return [item.strip() for item in items if item and item.strip()]


def is_development() -> bool:
    """Whether `DEBUG` or `TESTING` is on: where missing credentials may simulate instead of failing."""
    return flag("DEBUG") or flag("TESTING")


def should_simulate(*, debug_mode: bool | None, base_url_setting: str | None, configured: bool) -> bool:
    """Apply the debug-mode rule of this module's docstring."""
    if debug_mode is not None:
        return debug_mode
    if base_url_setting:
        return False
    if flag("DEBUG"):
        return True
    return not configured and is_development()
