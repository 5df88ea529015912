"""Argument checks every integration makes before sending; each raises `InvalidArgument` with a clear message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .results import InvalidArgument

# Deliberately plain: one @, no spaces or control characters, a dotted domain of letters, digits and hyphens.
_EMAIL = re.compile(
    r"^[^@\s\x00-\x1f\x7f]{1,64}@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def email(name: str, value: object) -> str:
    """`value` as an e-mail address, or `InvalidArgument` naming the parameter."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{name} must be a non-empty e-mail address")
    candidate = value.strip()
    if len(candidate) > 320 or not _EMAIL.match(candidate):
        raise InvalidArgument(f"{name} is not a valid e-mail address")
    return candidate


def non_empty(name: str, value: object, max_length: int = 255) -> str:
    """`value` as a non-empty string of at most `max_length` characters."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{name} must be a non-empty string")
    if len(value) > max_length:
        raise InvalidArgument(f"{name} must be at most {max_length} characters")
    if _CONTROL.search(value):
        raise InvalidArgument(f"{name} must not contain control characters")
    return value


# C0 controls but tab, newline and carriage return (which a description may hold), and DEL: never meant in text sent.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def mapping(name: str, value: object) -> dict[str, Any]:
    """`value` as a dict with string keys (None means empty)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise InvalidArgument(f"{name} must be a dict with string keys")
    return dict(value)


def no_unknown(method: str, given: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse keyword arguments a method does not know, instead of silently dropping them."""
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise InvalidArgument(
            f"{method}() got unsupported argument{'s' if len(unknown) > 1 else ''} {names}; "
            f"supported: {', '.join(allowed)}"
        )


# E.164: a plus, a country code that does not start with 0, at most 15 digits in all.
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


def e164(name: str, value: object) -> str:
    """`value` as an E.164 phone number (`+12125551234`), or `InvalidArgument` naming the parameter."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{name} must be a phone number in E.164 format, such as +12125551234")
    if not _E164.match(value.strip()):
        raise InvalidArgument(f"{name} is not in E.164 format (a + and 2 to 15 digits, such as +12125551234)")
    return value.strip()


def http_url(name: str, value: object, max_length: int = 2000) -> str:
    """`value` as an absolute http(s) URL of at most `max_length` characters."""
    if not isinstance(value, str) or len(value) > max_length or not _HTTP_URL.match(value):
        raise InvalidArgument(f"{name} must be an absolute http(s) URL of at most {max_length} characters")
    return value


_HTTP_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
