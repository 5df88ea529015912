"""The logging switch every SDK of the family reads from its environment (`VAULT_LOG=debug`, `VORTEX_LOG=info`).

As `OPENAI_LOG` and `STRIPE_LOG` do: when the variable is `info`, each request's answer is logged to standard error
(method, URL, status, attempt, time, request ID) and each retry with its wait and reason; `debug` adds the request
headers. Everything written goes through `SecretFilter`: the client's credential, and any value of a header that
carries one, is replaced by a placeholder, wherever in the line it appears.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterable

from .secrets import REDACTED, Secret, redact

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
FORMAT = "[%(asctime)s %(name)s %(levelname)s] %(message)s"
# Credentials that travel in well-known shapes, caught even when the client did not register them.
_CREDENTIAL_PATTERNS = (
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"),
    re.compile(r"(?i)('?(?:authorization|x-api-key|api[_-]?key|token|password|secret)'?\s*[:=]\s*'?)[^',}\s]{6,}"),
)


class SecretFilter(logging.Filter):
    """Rewrites each record's message with registered secrets and credential-shaped values redacted."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: list[Secret | str] = []
        self._lock = threading.Lock()

    def add(self, secrets: Iterable[Secret | str | None]) -> None:
        """Also redact these values (an API key, a webhook secret) from now on."""
        with self._lock:
            for secret in secrets:
                if secret and secret not in self._secrets:
                    self._secrets.append(secret)

    def scrub(self, text: str) -> str:
        """`text` without any registered secret or credential-shaped value."""
        text = redact(text, self._secrets)
        text = _CREDENTIAL_PATTERNS[0].sub(lambda m: f"{m.group(1)} {REDACTED}", text)
        return _CREDENTIAL_PATTERNS[1].sub(lambda m: f"{m.group(1)}{REDACTED}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record, with its message scrubbed (arguments merged in first)."""
        record.msg, record.args = self.scrub(record.getMessage()), None
        return True


class _StandardError(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time of writing (test runners and daemons replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


_HANDLERS: dict[str, tuple[logging.Handler, SecretFilter]] = {}
_LOCK = threading.Lock()


def enable_from_environment(env_var: str, logger_name: str, secrets: Iterable[Secret | str | None] = ()) -> bool:
    """Turn logging of `logger_name` on at the level the environment variable `env_var` names; say whether it did.

    Unset or empty: nothing changes (the application's own logging set-up applies). An unknown value warns once and
    changes nothing. The handler is installed once per logger; `secrets` are added to its filter.
    """
    value = os.environ.get(env_var, "").strip().lower()
    if not value:
        return False
    level = LEVELS.get(value)
    if level is None:
        warnings.warn(f"{env_var}={value!r} is not a log level: use 'debug' or 'info'", RuntimeWarning, stacklevel=3)
        return False
    logger = logging.getLogger(logger_name)
    with _LOCK:
        installed = _HANDLERS.get(logger_name)
        if installed is None:
            handler, secret_filter = _StandardError(), SecretFilter()
            handler.setFormatter(logging.Formatter(FORMAT))
            handler.addFilter(secret_filter)
            logger.addHandler(handler)
            _HANDLERS[logger_name] = installed = (handler, secret_filter)
    installed[1].add(secrets)
    logger.setLevel(level)
    return True


def disable(logger_name: str) -> None:
    """Undo `enable_from_environment` for `logger_name`: remove its handler and give the level back to its parents."""
    with _LOCK:
        installed = _HANDLERS.pop(logger_name, None)
    logger = logging.getLogger(logger_name)
    if installed is not None:
        logger.removeHandler(installed[0])
    logger.setLevel(logging.NOTSET)


__all__ = ["LEVELS", "SecretFilter", "disable", "enable_from_environment"]
