"""``AsyncPage``: one page of a list endpoint, and the way to every other page.

``async for item in page`` walks every item of this page and all the following ones,
fetching each next page only when the previous one is used up. ``page.pages()`` walks
pages instead of items, and ``await page.to_list()`` collects every item.

Both ``pages()`` and ``to_list()`` take ``concurrency``: with N > 1 up to N of the
following pages are fetched at once (the page count is known from the first page),
still yielded in order. That suits a listing that does not change while it is walked;
pages added meanwhile are picked up one by one at the end.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from .errors import UserError
from .models.common import PaginationMeta

T = TypeVar("T")


class AsyncPage(Generic[T]):
    """A page of results: ``data``, ``meta``, ``request_id`` and the next-page link."""

    __slots__ = ("_fetch", "data", "meta", "request_id")

    def __init__(
        self,
        *,
        data: list[T],
        meta: PaginationMeta | None,
        request_id: str | None,
        fetch: Callable[[int], Awaitable[AsyncPage[T]]] | None = None,
    ) -> None:
        self.data = data
        self.meta = meta
        self.request_id = request_id
        self._fetch = fetch

    @property
    def has_next_page(self) -> bool:
        return self.meta is not None and self.meta.has_next_page

    async def get_next_page(self) -> AsyncPage[T] | None:
        """The following page, or None on the last one."""
        if self.meta is None or not self.meta.has_next_page or self._fetch is None:
            return None
        return await self._fetch(self.meta.current_page + 1)

    async def pages(self, *, concurrency: int = 1) -> AsyncIterator[AsyncPage[T]]:
        """This page and every following one, in order.

        Pages are fetched as you go: one at a time, or up to ``concurrency`` ahead.
        Breaking out of the loop cancels the fetches still in flight.
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise UserError(f"concurrency must be an integer >= 1, got {concurrency!r}")
        page: AsyncPage[T] | None = self
        yield self
        if concurrency > 1 and self.meta is not None and self._fetch is not None:
            async for page in self._fetch_ahead(self.meta, concurrency, self._fetch):
                yield page
        while page is not None:
            page = await page.get_next_page()
            if page is not None:
                yield page

    @staticmethod
    async def _fetch_ahead(
        meta: PaginationMeta, concurrency: int, fetch: Callable[[int], Awaitable[AsyncPage[T]]]
    ) -> AsyncIterator[AsyncPage[T]]:
        """The pages after this one up to ``meta.page_count``, at most N in flight."""
        numbers = iter(range(meta.current_page + 1, meta.page_count + 1))
        in_flight: deque[asyncio.Future[AsyncPage[T]]] = deque(
            asyncio.ensure_future(fetch(number))
            for number in itertools.islice(numbers, concurrency)
        )
        try:
            while in_flight:
                page = await in_flight.popleft()
                for number in itertools.islice(numbers, 1):
                    in_flight.append(asyncio.ensure_future(fetch(number)))
                yield page
        finally:
            for future in in_flight:
                future.cancel()
            if in_flight:
                await asyncio.gather(*in_flight, return_exceptions=True)

    async def to_list(self, *, concurrency: int = 1) -> list[T]:
        """Every item of this page and all the following ones."""
        items: list[T] = []
        async for page in self.pages(concurrency=concurrency):
            items.extend(page.data)
        return items

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.data:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        where = (
            f"page {self.meta.current_page}/{self.meta.page_count}"
            if self.meta is not None
            else "unpaged"
        )
        return f"<AsyncPage {where}, {len(self.data)} items>"
