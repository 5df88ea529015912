"""What the verifier knows about the JWKS, and when to fetch it again (pure, no I/O, no PyJWT at import).

Refresh rules: the set is fresh for `ttl` seconds; an unknown kid forces at most one
refetch per `cooldown` window, so random kids cannot cause a fetch storm; when fetching fails the last good keys
keep working for `grace` seconds past their expiry; a key missing from a successful fetch stops verifying at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .jwks import VerificationKey
    from .types import JWKS

logger: logging.Logger = logging.getLogger("vault_auth")


class KeyCache:
    """What the verifier knows about the JWKS, and the rules for refreshing it (all times from `time.monotonic`)."""

    __slots__ = ("cooldown", "failed_at", "fetched_at", "generation", "grace", "keys", "last_forced", "ttl")
    ttl: float
    cooldown: float
    grace: float
    keys: dict[str, VerificationKey]
    fetched_at: float | None
    last_forced: float | None
    failed_at: float | None
    generation: int

    def __init__(
        self,
        ttl: float,
        cooldown: float = 30.0,
        grace: float = 3600.0,
        keys: dict[str, VerificationKey] | None = None,
        fetched_at: float | None = None,
        last_forced: float | None = None,
        failed_at: float | None = None,
        generation: int = 0,
    ) -> None:
        self.ttl, self.cooldown, self.grace = ttl, cooldown, grace
        self.keys = {} if keys is None else keys
        self.fetched_at, self.last_forced, self.failed_at = fetched_at, last_forced, failed_at
        self.generation = generation

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"KeyCache({fields})"

    def is_fresh(self, now: float) -> bool:
        """Keys were fetched less than `ttl` ago."""
        return self.fetched_at is not None and now - self.fetched_at < self.ttl

    def is_usable(self, now: float) -> bool:
        """Keys may still verify: fresh, or expired but within the grace period (used when refreshing fails)."""
        return self.fetched_at is not None and now - self.fetched_at < self.ttl + self.grace

    def may_force(self, now: float) -> bool:
        """An unknown kid may trigger a refetch: none was forced, nor a fetch done, within the cooldown."""
        recent = [t for t in (self.last_forced, self.fetched_at) if t is not None and now - t < self.cooldown]
        return not recent

    def begin_refresh(self, now: float, force: bool) -> bool:
        """Whether to fetch now (called under the refresh lock, so one caller fetches and the rest reuse it).

        A forced refresh (unknown kid) happens at most once per cooldown; a due refresh is skipped when another
        caller just refreshed, and backs off for a cooldown after a failed fetch.
        """
        if force:
            if not self.may_force(now):
                return False
            self.last_forced = now
            return True
        recently_failed = self.failed_at is not None and now - self.failed_at < self.cooldown
        return not self.is_fresh(now) and not recently_failed

    def fetch_failed(self, now: float, url: str = "the JWKS URL", cause: str = "unknown cause") -> None:
        """Record a failed fetch (the last good keys stay in use while `is_usable`).

        The first failure of an outage is logged as a warning with the URL and the cause (neither holds a secret);
        further failures of the same outage only at debug level, and the first success after it says so.
        """
        first = self.failed_at is None
        self.failed_at = now
        fallback = "using the last good keys" if self.is_usable(now) else "no usable keys, verification answers 503"
        logger.log(
            logging.WARNING if first else logging.DEBUG,
            "JWKS fetch from %s failed (%s); %s; retrying at most every %.0f s",
            url, cause, fallback, self.cooldown,
        )  # fmt: skip

    def store(self, jwks: JWKS, now: float) -> None:
        """Adopt a freshly fetched key set; a change of keys bumps `generation` (verified tokens are forgotten)."""
        from .jwks import usable_keys  # PyJWT and cryptography load on the first fetch, not at import

        keys = usable_keys(jwks)
        if self.failed_at is not None:
            logger.info("JWKS fetch succeeded again; signing keys are usable")
        if keys.keys() != self.keys.keys():
            self.generation += 1
        self.keys = keys
        self.fetched_at = now
        self.failed_at = None
