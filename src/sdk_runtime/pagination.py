"""Page-numbered lists: one page's items and facts, plus iteration over every item of every page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import attrs

from .option_keywords import captured_options, options_context
from .serialisation import Serialisable

T = TypeVar("T")


def next_page_number(page: int, has_more: bool, item_count: int) -> int | None:
    """The page to fetch after `page`, or None when the list is done.

    An empty page ends the walk even if the server claims there is more, so a buggy `has_more` cannot loop forever.
    """
    return page + 1 if has_more and item_count > 0 else None


@attrs.define(eq=False)
class Page(Serialisable, Generic[T]):
    """One page of a list.

    `page.data` holds this page's items; `for item in page` (sync clients) or `async for item in page` (async
    clients) walks every item from this page to the last, fetching further pages as needed.

    Attributes:
        data: The items on this page.
        total: How many items the whole list has.
        page: This page's 1-based number.
        per_page: The page size asked for.
        has_more: Whether pages follow this one.
        request_id: The request ID of the call that fetched this page.

    `to_dict()` / `to_json()` give `data` (each item's own `to_dict()`), `total`, `page`, `per_page` and
    `has_more`.
    """

    data: list[T]
    total: int
    page: int
    per_page: int
    has_more: bool
    request_id: str | None = None
    _fetch: Callable[[int], Page[T]] | None = attrs.field(
        default=None, repr=False, alias="fetch", metadata={"serialise": False}
    )
    _afetch: Callable[[int], Awaitable[Page[T]]] | None = attrs.field(
        default=None, repr=False, alias="afetch", metadata={"serialise": False}
    )
    # The per-call options of the call that made this page: the next pages are fetched with them too.
    _options: Any = attrs.field(init=False, factory=captured_options, repr=False, metadata={"serialise": False})

    def has_next_page(self) -> bool:
        """Whether another page follows."""
        return next_page_number(self.page, self.has_more, len(self.data)) is not None

    def get_next_page(self) -> Page[T] | None:
        """The next page (sync clients), or None after the last."""
        number = next_page_number(self.page, self.has_more, len(self.data))
        if number is None:
            return None
        if self._fetch is None:
            raise TypeError("this page came from an async client: use `await page.aget_next_page()`")
        with options_context(self._options):
            return self._fetch(number)

    async def aget_next_page(self) -> Page[T] | None:
        """The next page (async clients), or None after the last."""
        number = next_page_number(self.page, self.has_more, len(self.data))
        if number is None:
            return None
        if self._afetch is None:
            raise TypeError("this page came from a sync client: use `page.get_next_page()`")
        with options_context(self._options):
            return await self._afetch(number)

    def iter_pages(self) -> Iterator[Page[T]]:
        """This page and every page after it (sync clients)."""
        page: Page[T] | None = self
        while page is not None:
            yield page
            page = page.get_next_page()

    async def aiter_pages(self) -> AsyncIterator[Page[T]]:
        """This page and every page after it (async clients)."""
        page: Page[T] | None = self
        while page is not None:
            yield page
            page = await page.aget_next_page()

    def __iter__(self) -> Iterator[T]:
        if self._fetch is None and self.has_next_page():
            raise TypeError("this page came from an async client: use `async for item in page`")
        for page in self.iter_pages():
            yield from page.data

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.aiter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[T]):
    """What an async `list()` returns: `await` it for the first page, or `async for` over every item directly."""

    def __init__(self, first_page: Callable[[], Awaitable[Page[T]]]) -> None:
        self._first_page = first_page
        self._options = captured_options()  # the per-call options of the `list()` call, for when it is awaited

    async def _fetch_first(self) -> Page[T]:
        with options_context(self._options):
            return await self._first_page()

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._fetch_first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._fetch_first()
        async for item in page:
            yield item
