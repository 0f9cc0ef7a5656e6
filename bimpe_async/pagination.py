"""``AsyncPage``: one page of a list endpoint, and the way to every other page.

``async for item in page`` walks every item of this page and all the following ones,
fetching each next page only when the previous one is used up. ``page.pages()`` walks
pages instead of items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

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
        fetch: Callable[[int], Awaitable[AsyncPage[T]]],
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
        if self.meta is None or not self.meta.has_next_page:
            return None
        return await self._fetch(self.meta.current_page + 1)

    async def pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page and every following one, fetched one at a time as you go."""
        page: AsyncPage[T] | None = self
        while page is not None:
            yield page
            page = await page.get_next_page()

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
