"""`with` / `async with` for anything with `close()` / `aclose()`: written once for every client of the family."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class ClosingContext:
    """`with client:` closes the client on exit; subclasses provide `close()`."""

    def close(self) -> None:
        """Release what the object holds."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClosingContext:
    """`async with client:` closes the client on exit; subclasses provide `async aclose()`."""

    async def aclose(self) -> None:
        """Release what the object holds."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
