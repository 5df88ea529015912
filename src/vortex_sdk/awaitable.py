"""`AsyncCall`: what an async method of `Vortex` returns, so that forgetting `await` fails with a useful message.

It is a real coroutine to asyncio (`await`, `asyncio.run`, `create_task`, `gather` all take it), but using it as
if it were the result (iterating it, reading `.groups`, `len(...)`, indexing) raises `NotAwaitedError` naming the
`_sync` twin to call from sync code (the seed's "Common Issues" 4). One never awaited warns the same way.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Coroutine, Generator
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")


class NotAwaitedError(TypeError):
    """An async method's result was used without `await` (call the `_sync` twin from sync code)."""


def hint(method: str) -> str:
    """The message pointing from an async method to its `_sync` twin."""
    return (
        f"Vortex.{method}() is async and returns a coroutine: use `await vortex.{method}(...)` in async code, "
        f"or `vortex.{method}_sync(...)` in sync code"
    )


class AsyncCall(Coroutine[Any, Any, T]):
    """A coroutine for one API call that explains itself when used without `await`."""

    __slots__ = ("_coro", "_method", "_used")

    def __init__(self, coro: Coroutine[Any, Any, T], method: str) -> None:
        self._coro = coro
        self._method = method
        self._used = False

    def __await__(self) -> Generator[Any, None, T]:
        self._used = True  # `await` may drop this wrapper before the coroutine's first step
        return self._coro.__await__()

    def send(self, value: Any) -> Any:
        """Part of the coroutine protocol (used by asyncio)."""
        self._used = True
        return self._coro.send(value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        """Part of the coroutine protocol (used by asyncio)."""
        self._used = True
        return self._coro.throw(typ, val, tb)

    def close(self) -> None:
        """Part of the coroutine protocol (used by asyncio)."""
        self._used = True
        self._coro.close()

    def _misused(self, *args: Any) -> NoReturn:
        self.close()  # the error says it all; no second word from the never-awaited warning
        raise NotAwaitedError(hint(self._method))

    __iter__: Callable[..., NoReturn] = _misused
    __len__: Callable[..., NoReturn] = _misused
    __getitem__: Callable[..., NoReturn] = _misused
    __contains__: Callable[..., NoReturn] = _misused

    def __bool__(self) -> bool:
        # A coroutine is true. Without this, truth falls back to `__len__` and raises: asyncio's task repr on Python
        # 3.12 tests `if task._coro:`, and Ctrl-C handling in `asyncio.run` formats that repr.
        return True

    def __getattr__(self, name: str) -> Any:
        if name.startswith(("_", "cr_")):  # asyncio and inspect look at these on coroutines
            return getattr(self._coro, name)
        self.close()
        raise AttributeError(f"'coroutine' object has no attribute {name!r}. {hint(self._method)}")

    def __repr__(self) -> str:
        return f"<AsyncCall Vortex.{self._method}() (await it)>"

    def __del__(self) -> None:
        coro = getattr(self, "_coro", None)
        if coro is not None and not self._used and inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
            coro.close()  # replaces Python's bare "never awaited" warning with one that says what to do
            warnings.warn(f"never awaited: {hint(self._method)}", RuntimeWarning, stacklevel=2)
