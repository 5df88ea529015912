"""Where an integration's configuration comes from, and whether a call is sent, simulated or refused: written once.

Each value is taken from the constructor argument, else from Django settings (when Django is installed and
configured), else from the environment variable of the same name that the guide uses (`LOOPS_API_KEY`, ...).

The one rule (`decide`), the same for Loops, Stripe and Twilio:

* **Debug mode** is `debug_mode=True` passed to a client, or, when it is not passed, `DEBUG` or `TESTING` on.
  Only in debug mode is anything simulated: logged (never a credential) and answered with a simulated success
  carrying `simulated: True`, with no network call.
* A service switched off (`<SERVICE>_ENABLED` set and false) or missing a setting it needs simulates in debug mode;
  outside it every call is a failure dict, code `disabled` or `not_configured`, and the Django app's start-up
  checks say so. A production app never believes it charged a customer or sent a message that it did not.
* A configured service sends, except that `debug_mode=True` simulates, and so does `DEBUG` on (when `debug_mode`
  is not passed) unless `<SERVICE>_BASE_URL` points the client at a sandbox: that is the realistic development
  mode. `debug_mode=False` never simulates.

S3 and Redis are stores, not senders: a simulated upload would lose the file, so they never simulate; without
their settings they answer `not_configured` in every mode and the start-up checks say so.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from sdk_runtime.values import fill, frozen_value

from .results import DISABLED, NOT_CONFIGURED

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


def enabled(enabled_setting: str) -> bool:
    """`<SERVICE>_ENABLED`: True unless it is set and false (an empty string, as the guide's settings can compute
    it, is false)."""
    return flag(enabled_setting, default=True)


SEND = "send"
SIMULATE = "simulate"


@frozen_value
class Refusal:
    """Why every call of a client is refused: a result code (`disabled`, `not_configured`) and a message that
    names the setting to change."""

    __slots__ = ("code", "message")
    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        fill(self, code=code, message=message)


def decide(
    service: str,
    *,
    debug_mode: bool | None,
    enabled_setting: str,
    missing: Sequence[str],
    base_url: str | None,
) -> str | Refusal:
    """`SEND`, `SIMULATE` or a `Refusal`, by the rule of this module's docstring.

    Args:
        service: How messages name the service (`Stripe`).
        debug_mode: The client's `debug_mode` argument (None when not passed).
        enabled_setting: The setting that switches the service off (`STRIPE_ENABLED`).
        missing: The settings the service still needs; empty when it is configured.
        base_url: The `<SERVICE>_BASE_URL` in force (a sandbox), or empty.
    """
    debug = is_development() if debug_mode is None else debug_mode
    if not enabled(enabled_setting):
        if debug:
            return SIMULATE
        return Refusal(DISABLED, f"{service} is switched off ({enabled_setting} is false): nothing was sent")
    if missing:
        if debug:
            return SIMULATE
        return Refusal(NOT_CONFIGURED, f"{service} is not configured: set {', '.join(missing)}")
    if debug_mode or (debug_mode is None and flag("DEBUG") and not base_url):
        return SIMULATE
    return SEND
