"""Tokens Vault confirmed, remembered briefly so verifying the same token again costs microseconds.

The bound: a token Vault confirmed is trusted for `token_cache_ttl` seconds (never past its `exp`). Sessions and
users ended through the same client are forgotten at once (`forget_session`, `forget_user`); an end made elsewhere
(another process, the dashboard) is seen within `token_cache_ttl`. A TTL of 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from .token_options import MAX_TOKEN_BYTES

if TYPE_CHECKING:
    from .types import TokenPayload, User

MAX_CACHED_TOKENS = 4096


class _Entry:
    __slots__ = ("exp", "session_id", "until", "user", "user_id")

    def __init__(self, until: float, exp: int, user: User, user_id: str, session_id: str | None) -> None:
        self.until, self.exp, self.user, self.user_id, self.session_id = until, exp, user, user_id, session_id


class VerifiedTokens:
    """Tokens Vault confirmed, by SHA-256 of the token: bounded, each kept until `token_cache_ttl` or its `exp`.

    A confirmation is only stored when no session or user was forgotten while it was being asked for (`epoch()`
    before asking, `put(..., epoch)` after), so a verify racing a revocation cannot put a revoked token back.
    """

    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()
        self._generation = 0
        self._epoch = 0
        self._lock = threading.Lock()

    def get(self, token: str, generation: int) -> User | None:
        """The confirmed user, if the entry is still good and the key set has not changed since."""
        if generation != self._generation:
            with self._lock:
                self._entries.clear()
                self._generation = generation
            return None
        if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
            return None  # never hash an oversized value; the full check will refuse it
        entry = self._entries.get(hashlib.sha256(token.encode()).digest())
        if entry is None or time.time() >= min(entry.until, entry.exp):
            return None
        return entry.user

    def epoch(self) -> int:
        """A marker to pass to `put`: it changes whenever a session or user is forgotten."""
        return self._epoch

    def put(self, token: str, payload: TokenPayload, user: User, generation: int, epoch: int | None = None) -> None:
        """Remember a confirmed token, unless a session or user was forgotten since `epoch` was read (None: always)."""
        if self._ttl <= 0:
            return
        with self._lock:
            if epoch is not None and epoch != self._epoch:
                return
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            entry = _Entry(time.time() + self._ttl, payload.exp, user, payload.sub, payload.sid)
            self._entries[hashlib.sha256(token.encode()).digest()] = entry
            while len(self._entries) > MAX_CACHED_TOKENS:
                self._entries.popitem(last=False)

    def forget_session(self, session_id: str) -> None:
        """Drop every token of this session (it was revoked)."""
        self._forget(lambda entry: entry.session_id == session_id)

    def forget_user(self, user_id: str) -> None:
        """Drop every token of this user (their sessions ended, or they were deleted)."""
        self._forget(lambda entry: entry.user_id == user_id or entry.user.id == user_id)

    def _forget(self, matches: Callable[[_Entry], bool]) -> None:
        with self._lock:
            self._epoch += 1
            for key in [key for key, entry in self._entries.items() if matches(entry)]:
                del self._entries[key]
