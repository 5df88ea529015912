"""The sandbox's state: one SQLite database (in memory unless a file is asked for)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

IDEMPOTENCY_TABLE = """
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body TEXT,
    PRIMARY KEY (scope, key)
)"""


class Store:
    """A thread-safe wrapper around one SQLite connection with rows as dicts."""

    def __init__(self, path: str | None = None) -> None:
        self.path: str = path or ":memory:"
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._lock = threading.RLock()
        self.script(IDEMPOTENCY_TABLE)

    def script(self, sql: str) -> None:
        """Run several statements (schema set-up)."""
        with self._lock:
            self._conn.executescript(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row of a query, or None."""
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Every row of a query."""
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, params).fetchall()]

    def transaction(self) -> _Transaction:
        """`with store.transaction():` runs its statements atomically."""
        return _Transaction(self)

    def reset(self, tables: Sequence[str]) -> None:
        """Empty the given tables and the idempotency store."""
        with self._lock:
            for table in (*tables, "idempotency"):
                self._conn.execute(f"DELETE FROM {table}")  # noqa: S608  (table names are ours, not input)


class _Transaction:
    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> None:
        self._store._lock.acquire()
        self._store._conn.execute("BEGIN")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            self._store._conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self._store._lock.release()
