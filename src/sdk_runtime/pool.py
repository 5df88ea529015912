"""The HTTP connection pool a client creates on first use: once under concurrency, and once per event loop.

A client that makes its own pool makes it lazily, so constructing an SDK client costs no TLS set-up. Two things
can go wrong with a lazy pool, and this module is the one place that prevents both:

- Several threads sharing one client race to create the pool; each would make its own and all but one would leak.
  `LazyPool.get` creates it once, under a lock.
- An `httpx.AsyncClient` belongs to the event loop it first ran on. A client used from a second loop (one
  `asyncio.run` per request or per test, a singleton shared by several loops) would hand the new loop connections
  of a dead one, and fail with `RuntimeError: Event loop is closed`. `LoopBoundPool.get` notices the running loop
  is not the pool's and opens a fresh pool for it, dropping the stale one without touching its loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

P = TypeVar("P")


class LazyPool(Generic[P]):
    """Holds a pool made by `factory` on first `get()`; `with_options` copies share the holder, hence the pool."""

    def __init__(self, factory: Callable[[], P]) -> None:
        self._factory = factory
        self._pool: P | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def created(self) -> bool:
        """Whether a pool exists now (nothing is made by asking)."""
        return self._pool is not None

    @property
    def closed(self) -> bool:
        """Whether `take()` was called: the owner closed the pool, so copies sharing it must not make another."""
        return self._closed

    def get(self) -> P:
        """The pool, created on the first call (once, however many threads ask at the same time)."""
        pool = self._pool
        if pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = self._factory()
                pool = self._pool
        return pool

    def take(self) -> P | None:
        """Remove and return the pool (None if none was made), so that closing it happens once."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
        return pool


class LoopBoundPool(LazyPool[P]):
    """A `LazyPool` for async pools: a pool is only handed to the event loop it was made on."""

    def __init__(self, factory: Callable[[], P]) -> None:
        super().__init__(factory)
        self._loop: Any = None

    def get(self) -> P:
        """The pool for the running loop: the current one, or a new one if the loop changed since it was made."""
        loop = _running_loop()
        pool = self._pool
        if pool is not None and (loop is None or self._loop is None or self._loop is loop):
            if self._loop is None:
                self._loop = loop  # made outside a loop and never used: it joins the first loop that uses it
            return pool
        with self._lock:
            if self._pool is None or (loop is not None and self._loop is not None and self._loop is not loop):
                # The stale pool's connections belong to another (usually closed) loop: they cannot be closed from
                # here, and must never be used here. Dropping it is all that is safe.
                self._pool = self._factory()
                self._loop = loop
            return self._pool

    def take(self) -> P | None:
        """Remove and return the pool, if it belongs to the running loop (or to none); a stale pool is dropped."""
        loop = _running_loop()
        with self._lock:
            pool, self._pool = self._pool, None
            owner, self._loop = self._loop, None
            self._closed = True
        if pool is not None and owner is not None and loop is not None and owner is not loop:
            return None
        return pool


def _running_loop() -> Any:
    import asyncio  # here, not at module level: sync-only users never pay for importing asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = ["LazyPool", "LoopBoundPool"]
