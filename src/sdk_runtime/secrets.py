"""Secrets that never show up in `repr`, `str`, logs or error text."""

from __future__ import annotations

from collections.abc import Iterable

REDACTED = "[REDACTED]"
# Shorter values are too likely to occur by chance in ordinary text to be worth scrubbing.
_MIN_REDACTABLE = 6


class Secret:
    """A credential (API key, token, webhook secret) whose value is only reachable through `reveal()`.

    `repr`, `str` and f-strings show a fixed placeholder, so a secret that ends up in a log line, a traceback or
    an error message does not leak. Two secrets compare equal when their values do.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The raw value, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, format_spec: str) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def redact(text: str, secrets: Iterable[Secret | str | None]) -> str:
    """`text` with every occurrence of each secret value replaced by a placeholder."""
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value and len(value) >= _MIN_REDACTABLE:
            text = text.replace(value, REDACTED)
    return text
