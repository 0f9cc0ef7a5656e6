"""Rate limits: what the server says, and (optionally) keeping under it ourselves.

Always on: after every attempt the server's ``X-RateLimit-*`` / ``Retry-After`` headers
are kept as a ``RateLimitSnapshot`` (``client.rate_limit``); error responses count too,
a 429 carries the most useful headers of all.

Opt-in: a ``Limiter`` that every attempt must pass before it is sent. ``TokenBucket``
allows ``burst`` requests at once and ``requests_per_minute`` on average, shared by
every task using the client. With ``adaptive=True`` the middleware also tells the
limiter to hold all requests when the server reports its window spent
(``X-RateLimit-Remaining: 0`` until ``X-RateLimit-Reset``) or answers 429 with
``Retry-After``, so a pool of workers slows down before the server starts refusing.

The limiter sits behind the small ``Limiter`` protocol so that a limiter shared by
several processes (say, backed by Redis) can replace ``TokenBucket`` without any
change here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

import msgspec

from .._http import Handler, Request, Response
from ..errors import APIError, UserError, parse_int, parse_seconds


class RateLimitSnapshot(msgspec.Struct, frozen=True):
    """The server's rate-limit headers as last seen; a field is None when not sent."""

    limit: int | None
    remaining: int | None
    reset_at: int | None
    """Unix time (seconds) at which the window resets."""
    retry_after: float | None
    observed_at: float
    """Unix time when the response carrying these headers arrived."""


def snapshot_from_headers(
    headers: Mapping[str, str], now: Callable[[], float] = time.time
) -> RateLimitSnapshot | None:
    """A snapshot of the rate-limit headers, or None when the response has none."""
    limit = headers.get("x-ratelimit-limit")
    remaining = headers.get("x-ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset")
    retry = headers.get("retry-after")
    if limit is None and remaining is None and reset is None and retry is None:
        return None
    return RateLimitSnapshot(
        limit=parse_int(limit),
        remaining=parse_int(remaining),
        reset_at=parse_int(reset),
        retry_after=parse_seconds(retry),
        observed_at=now(),
    )


_TOLERANCE = 1e-6


class Limiter(Protocol):
    """What the middleware needs from a limiter."""

    async def acquire(self) -> None:
        """Wait until one request may be sent, and count it."""

    def hold_until(self, unix_time: float) -> None:
        """Let no request through before ``unix_time`` (the server's window reset)."""

    def hold_for(self, seconds: float) -> None:
        """Let no request through for ``seconds`` from now (the server's Retry-After)."""


class TokenBucket:
    """``burst`` tokens, refilled at ``requests_per_minute``; one token per request.

    Waiters are served first come, first served (an ``asyncio.Lock`` queues them in
    order), and a token is taken only at the moment a waiter proceeds, so a waiter
    cancelled while it waits takes nothing. ``clock`` (unix seconds) and ``sleep`` can be
    replaced, which is how the tests drive it without real waiting.
    """

    def __init__(
        self,
        requests_per_minute: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if isinstance(requests_per_minute, bool) or not (
            isinstance(requests_per_minute, (int, float)) and requests_per_minute > 0
        ):
            raise UserError(
                f"requests_per_minute must be a positive number, got {requests_per_minute!r}"
            )
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            raise UserError(f"burst must be an integer >= 1, got {burst!r}")
        self.rate = requests_per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self.sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._held_until = 0.0
        self._queue = asyncio.Lock()

    def _refill(self, now: float) -> None:
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        async with self._queue:
            while True:
                now = self.clock()
                self._refill(now)
                wait = self._held_until - now
                # The tolerance absorbs float rounding of refills on unix-time clocks,
                # where a missing 1e-11 of a token would otherwise never arrive.
                if wait <= 0 and self._tokens >= 1 - _TOLERANCE:
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                await self.sleep(max(wait, (1 - self._tokens) / self.rate))

    def hold_until(self, unix_time: float) -> None:
        self._held_until = max(self._held_until, unix_time)

    def hold_for(self, seconds: float) -> None:
        self.hold_until(self.clock() + seconds)


class ServerHold:
    """A limiter with no budget of its own that only follows the server's feedback."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._held_until = 0.0

    async def acquire(self) -> None:
        while (wait := self._held_until - self.clock()) > 0:
            await self.sleep(wait)

    def hold_until(self, unix_time: float) -> None:
        self._held_until = max(self._held_until, unix_time)

    def hold_for(self, seconds: float) -> None:
        self.hold_until(self.clock() + seconds)


class RateLimitMiddleware:
    """Reads the server's rate-limit headers; throttles through ``limiter`` if given.

    ``adaptive`` feeds the server's verdicts to the limiter (it needs one: use
    ``ServerHold()`` to follow the server without a budget of your own).
    """

    name = "rate_limit"

    def __init__(self, limiter: Limiter | None = None, *, adaptive: bool = False) -> None:
        if adaptive and limiter is None:
            raise UserError("adaptive rate limiting needs a limiter (e.g. ServerHold())")
        self.limiter = limiter
        self.adaptive = adaptive
        self.snapshot: RateLimitSnapshot | None = None

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        if self.limiter is not None:
            await self.limiter.acquire()
        try:
            response = await call_next(request)
        except APIError as error:
            self._observe(error.headers, error.status)
            raise
        self._observe(response.headers, response.status)
        return response

    def _observe(self, headers: Mapping[str, str], status: int) -> None:
        snapshot = snapshot_from_headers(headers)
        if snapshot is None:
            return
        self.snapshot = snapshot
        if not self.adaptive or self.limiter is None:
            return
        if status == 429 and snapshot.retry_after is not None:
            self.limiter.hold_for(snapshot.retry_after)
        elif snapshot.remaining == 0 and snapshot.reset_at is not None:
            self.limiter.hold_until(snapshot.reset_at)
