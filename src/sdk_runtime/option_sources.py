"""Where a client's API key and base URL come from, for every SDK of the family: the rule, written once.

    constructor argument  >  Django setting of the same name  >  environment variable  >  default

The Django setting is read only when Django is already imported and its settings are configured (a script that
never imports Django does not pay for it), and a setting or variable that is unset, None or blank counts as
absent. The names are the documented ones: `VAULT_API_KEY` / `VAULT_BASE_URL`, `VORTEX_API_KEY` / `VORTEX_BASE_URL`,
and the integrations' `<SERVICE>_API_KEY` / `<SERVICE>_BASE_URL`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .errors import ConfigurationError
from .values import fill, frozen_value

MISSING: Any = object()
"""What `django_setting` answers when there is no such setting (None is a value a setting can have)."""


def django_setting(name: str) -> Any:
    """`settings.<name>` when Django is imported and configured and has it, else `MISSING`."""
    if "django.conf" not in sys.modules:
        return MISSING
    from django.conf import settings

    if not settings.configured:
        return MISSING
    return getattr(settings, name, MISSING)


def setting(name: str, explicit: Any = None, default: Any = None) -> Any:
    """One option by the family's rule: `explicit` if not None, else the Django setting `name`, else the
    environment variable `name`, else `default`. Blank strings from settings or the environment count as unset."""
    if explicit is not None:
        return explicit
    for value in (django_setting(name), os.environ.get(name)):
        if value is MISSING or value is None or (isinstance(value, str) and not value.strip()):
            continue
        return value
    return default


@frozen_value
class Endpoint:
    """Where a client sends, and with which key (`api_key` is None when no source has one: the caller decides)."""

    __slots__ = ("api_key", "api_key_source", "base_url")
    api_key: str | None
    base_url: str
    api_key_source: str
    """Where the key came from, for error messages: `api_key`, `settings.NAME`, `$NAME`, or `nowhere`."""

    def __init__(self, api_key: str | None, base_url: str, api_key_source: str) -> None:
        fill(self, api_key=api_key, base_url=base_url, api_key_source=api_key_source)


def resolve_endpoint(
    api_key: object, base_url: object, *, api_key_name: str, base_url_name: str, default_base_url: str
) -> Endpoint:
    """The API key and base URL of one client by the family's rule; `ConfigurationError` for a value of the wrong
    type (naming the parameter, never repeating a key)."""
    if api_key is not None and not isinstance(api_key, str):
        raise ConfigurationError(f"api_key must be a string, got {type(api_key).__name__}")
    if base_url is not None and not isinstance(base_url, str):
        raise ConfigurationError(f"base_url must be a string such as 'https://...', got {type(base_url).__name__}")
    key, source = _with_source(api_key_name, api_key, "api_key")
    if key is not None and not isinstance(key, str):
        raise ConfigurationError(f"{source} must be a string, got {type(key).__name__}")
    url, url_source = _with_source(base_url_name, base_url, "base_url")
    if url is None:
        url = default_base_url
    elif not isinstance(url, str):
        raise ConfigurationError(f"{url_source} must be a string URL, got {type(url).__name__}")
    return Endpoint(key, url, source)


def _with_source(name: str, explicit: object, parameter: str) -> tuple[Any, str]:
    if explicit is not None:
        return explicit, parameter
    value = setting(name)
    if value is None:
        return None, "nowhere"
    return value, f"settings.{name}" if django_setting(name) is value else f"${name}"
