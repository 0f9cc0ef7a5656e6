"""A response cache for GET calls: fresh for ``ttl`` seconds, at most ``max_entries``.

Install it outermost, so that a hit costs nothing further in: no request id, no
rate-limit token, no retry, no log record, no HTTP::

    cache = ResponseCache(ttl=30.0, max_entries=256)
    client = AsyncBimpeAI(key, middleware=lambda chain: chain.insert_before("request_id", cache))

Only successful GETs are stored, keyed by method and full URL (the query included, so
each page of a list is its own entry); errors are raised, never stored. When full, the
least recently used entry goes. Any write through the client (POST, PUT, PATCH,
DELETE), whatever its outcome, empties the cache, so the client never reads back
its own data as it was before the write. Writes by anyone else are seen once entries
expire: choose ``ttl`` for how stale a read may be.

Two concurrent misses for the same URL both go to the server; the later one's answer
is kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bimpe_async import Request, Response
from bimpe_async.middleware import Handler


@dataclass(frozen=True)
class _Entry:
    expires_at: float
    status: int
    headers: Mapping[str, str]
    body: bytes


class ResponseCache:
    """Serves repeated GETs from memory; ``clock`` (seconds) is replaceable for tests."""

    name = "cache"

    def __init__(
        self,
        ttl: float = 30.0,
        max_entries: int = 256,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl!r}")
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries!r}")
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        if request.method != "GET":
            try:
                return await call_next(request)
            finally:
                self.clear()
        key = (request.method, request.url)
        entry = self._entries.get(key)
        if entry is not None and self.clock() < entry.expires_at:
            self._entries.move_to_end(key)
            return Response(entry.status, entry.headers, entry.body, request)
        response = await call_next(request)
        self._entries[key] = _Entry(
            self.clock() + self.ttl, response.status, response.headers, response.body
        )
        self._entries.move_to_end(key)
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return response
