"""Tokens Vault confirmed, remembered briefly so verifying the same token again costs microseconds."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict

from .token_options import MAX_TOKEN_BYTES
from .types import TokenPayload, User

MAX_CACHED_TOKENS = 4096


class VerifiedTokens:
    """Tokens Vault confirmed, by SHA-256 of the token: bounded, each kept until `token_cache_ttl` or its `exp`."""

    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._entries: OrderedDict[bytes, tuple[float, int, User]] = OrderedDict()
        self._generation = 0

    def get(self, token: str, generation: int) -> User | None:
        """The confirmed user, if the entry is still good and the key set has not changed since."""
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation
            return None
        if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
            return None  # never hash an oversized value; the full check will refuse it
        entry = self._entries.get(hashlib.sha256(token.encode()).digest())
        if entry is None:
            return None
        until, exp, user = entry
        if time.time() >= min(until, exp):
            return None
        return user

    def put(self, token: str, payload: TokenPayload, user: User, generation: int) -> None:
        """Remember a confirmed token."""
        if self._ttl <= 0:
            return
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation
        self._entries[hashlib.sha256(token.encode()).digest()] = (time.time() + self._ttl, payload.exp, user)
        while len(self._entries) > MAX_CACHED_TOKENS:
            self._entries.popitem(last=False)
