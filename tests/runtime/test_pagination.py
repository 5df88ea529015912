"""Pages: their facts, and iteration over every item of every page with `for` and `async for`."""

from __future__ import annotations

import asyncio

import pytest

from sdk_runtime import AsyncPaginator, Page
from sdk_runtime.pagination import next_page_number

ITEMS = [f"user_{n}" for n in range(7)]


def sync_page(number: int, per_page: int = 3, items: list[str] = ITEMS) -> Page[str]:
    start = (number - 1) * per_page
    chunk = items[start : start + per_page]
    return Page(
        data=chunk,
        total=len(items),
        page=number,
        per_page=per_page,
        has_more=start + per_page < len(items),
        fetch=lambda n: sync_page(n, per_page, items),
    )


async def async_page(number: int, per_page: int = 3) -> Page[str]:
    start = (number - 1) * per_page
    return Page(
        data=ITEMS[start : start + per_page],
        total=len(ITEMS),
        page=number,
        per_page=per_page,
        has_more=start + per_page < len(ITEMS),
        afetch=lambda n: async_page(n, per_page),
    )


def test_a_page_keeps_its_own_facts() -> None:
    page = sync_page(1)
    assert (page.data, page.total, page.page, page.per_page, page.has_more) == (ITEMS[:3], 7, 1, 3, True)


def test_for_walks_every_item_of_every_page() -> None:
    assert list(sync_page(1)) == ITEMS
    assert list(sync_page(2)) == ITEMS[3:]


def test_iter_pages_yields_each_page_once() -> None:
    assert [p.page for p in sync_page(1).iter_pages()] == [1, 2, 3]
    assert sync_page(3).get_next_page() is None


def test_async_for_walks_every_item_of_every_page() -> None:
    async def collect() -> list[str]:
        return [item async for item in await async_page(1)]

    assert asyncio.run(collect()) == ITEMS


def test_async_paginator_is_awaitable_and_async_iterable() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        first = await AsyncPaginator(lambda: async_page(1))
        everything = [item async for item in AsyncPaginator(lambda: async_page(1))]
        return first.data, everything

    assert asyncio.run(scenario()) == (ITEMS[:3], ITEMS)


def test_an_empty_page_ends_the_walk_even_if_the_server_claims_more() -> None:
    page = Page(data=[], total=10, page=4, per_page=3, has_more=True, fetch=lambda n: pytest.fail("no fetch"))
    assert list(page) == []
    assert next_page_number(4, True, 0) is None


def test_mixing_sync_and_async_iteration_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="async for"):
        list(asyncio.run(async_page(1)))
    with pytest.raises(TypeError, match="get_next_page"):
        asyncio.run(sync_page(1).aget_next_page())
