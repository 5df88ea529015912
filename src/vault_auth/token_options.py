"""Token verification options, validated at client construction (kept free of PyJWT so importing is cheap)."""

from __future__ import annotations

import math

from sdk_runtime.values import fill, frozen_value

from .errors import ConfigurationError

MAX_LEEWAY = 300.0
MAX_TOKEN_BYTES = 8192  # tokens larger than this are refused before any parsing or hashing


def _parties(value: tuple[str, ...] | list[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple | set | frozenset) or not all(isinstance(p, str) for p in value):
        raise ConfigurationError(f"authorized_parties must be a list of strings, got {type(value).__name__}")
    return tuple(value)


def _number(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigurationError(f"{name} must be a number of seconds from {low:g} to {high:g}, got {value!r}")


@frozen_value
class VerifyOptions:
    """How tokens are checked.

    Attributes:
        issuer: Required exact `iss`, when set.
        audience: Required `aud` (one of a list counts), when set.
        leeway: Clock skew allowed on `exp`/`iat`, 0-300 s (default 60).
        token_cache_ttl: How long a token Vault confirmed is trusted without asking again (never past its `exp`).
        authorized_parties: When set, the token's `azp` must be present and one of these.
        max_token_lifetime: When set, tokens whose `exp - iat` exceeds it (seconds) are refused.
    """

    __slots__ = ("audience", "authorized_parties", "issuer", "leeway", "max_token_lifetime", "token_cache_ttl")
    issuer: str | None
    audience: str | None
    leeway: float
    token_cache_ttl: float
    authorized_parties: tuple[str, ...] | None
    max_token_lifetime: float | None

    def __init__(
        self,
        issuer: str | None = None,
        audience: str | None = None,
        leeway: float = 60.0,
        token_cache_ttl: float = 60.0,
        authorized_parties: tuple[str, ...] | list[str] | None = None,
        max_token_lifetime: float | None = None,
    ) -> None:
        fill(
            self, issuer=issuer, audience=audience, leeway=leeway, token_cache_ttl=token_cache_ttl,
            authorized_parties=_parties(authorized_parties), max_token_lifetime=max_token_lifetime,
        )  # fmt: skip
        self._validate()

    def _validate(self) -> None:
        for name in ("issuer", "audience"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ConfigurationError(f"{name} must be a string or None, got {type(value).__name__}")
        if (
            isinstance(self.leeway, bool)
            or not isinstance(self.leeway, int | float)
            or not 0 <= self.leeway <= MAX_LEEWAY
        ):
            raise ConfigurationError(f"leeway must be between 0 and {MAX_LEEWAY:.0f} seconds, got {self.leeway!r}")
        if self.max_token_lifetime is not None:
            _number("max_token_lifetime", self.max_token_lifetime, 1, math.inf)
        ttl = self.token_cache_ttl
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 <= ttl < math.inf:
            raise ConfigurationError(f"token_cache_ttl must be a finite number of seconds, got {ttl!r}")
