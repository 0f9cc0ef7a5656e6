"""A fixed-window request budget per API key, driven by an injectable clock.

A window opens with a key's first request and lasts ``window`` seconds. Without a
limit the emulator still reports a generous quota, so clients always see the headers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

UNLIMITED = 10_000


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int
    retry_after: int | None
    """Seconds to wait, set only when the request is over budget."""

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    def __init__(self, limit: int | None, window: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def take(self, key: str) -> Quota:
        """Spends one request of ``key``'s budget and reports what is left."""
        now = self.clock()
        start, used = self._windows.get(key, (now, 0))
        if now >= start + self.window:
            start, used = now, 0
        used += 1
        self._windows[key] = (start, used)
        ends = start + self.window
        reset = math.ceil(ends)
        if self.limit is None:
            return Quota(UNLIMITED, UNLIMITED, reset, None)
        over = used > self.limit
        retry_after = max(1, math.ceil(ends - now)) if over else None
        return Quota(self.limit, max(0, self.limit - used), reset, retry_after)
