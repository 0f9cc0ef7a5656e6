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
``ServerHold`` (what ``adaptive_rate_limit=True`` alone uses) also paces the callers
it releases after a hold, by the budget the server reports (see its docstring).

Waits are bounded twice. A hold the server asks for is capped at ``max_hold``
(default 60 s): a ``Retry-After: 86400`` or a reset a day ahead must not park every
call for a day. And the wait in the limiter is part of the attempt: it may last only
what is left of the attempt's timeout (``request.deadline``), after which the call
fails with ``LimiterTimeoutError`` (nothing was sent; not retried).

The limiter sits behind the small ``Limiter`` protocol so that a limiter shared by
several processes (say, backed by Redis) can replace ``TokenBucket`` without any
change here; one that also wants each attempt's outcome implements
``FeedbackLimiter``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, runtime_checkable

import msgspec

from .._checks import check_positive_int, check_positive_number
from .._http import Handler, Request, Response
from .._waits import within as _within
from ..errors import APIError, LimiterTimeoutError, UserError, parse_int, parse_seconds

DEFAULT_MAX_HOLD = 60.0
"""The longest hold a server's ``Retry-After`` or ``X-RateLimit-Reset`` can impose."""


class RateLimitSnapshot(msgspec.Struct, frozen=True):
    """The server's rate-limit headers as last seen; a field is None when not sent."""

    limit: int | None
    remaining: int | None
    reset_at: int | None
    """Unix time (seconds) at which the window resets."""
    retry_after: float | None
    observed_at: float
    """Unix time when the response carrying these headers arrived."""


def carries_rate_limit(headers: Mapping[str, str]) -> bool:
    """Whether a response says anything about rate limits."""
    return (
        "x-ratelimit-remaining" in headers
        or "retry-after" in headers
        or "x-ratelimit-limit" in headers
        or "x-ratelimit-reset" in headers
    )


def parse_snapshot(headers: Mapping[str, str], observed_at: float) -> RateLimitSnapshot:
    """The snapshot of ``headers``, received at unix time ``observed_at``."""
    return RateLimitSnapshot(
        limit=parse_int(headers.get("x-ratelimit-limit")),
        remaining=parse_int(headers.get("x-ratelimit-remaining")),
        reset_at=parse_int(headers.get("x-ratelimit-reset")),
        retry_after=parse_seconds(headers.get("retry-after")),
        observed_at=observed_at,
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


@runtime_checkable
class FeedbackLimiter(Limiter, Protocol):
    """A limiter that is also told how each attempt it let through ended."""

    def release(self, status: int | None, remaining: int | None) -> None:
        """The attempt admitted by a matching ``acquire()`` is over.

        ``status`` is the response's status (None when there was no response) and
        ``remaining`` its ``X-RateLimit-Remaining`` (None when not sent). Called
        exactly once per successful ``acquire()``, whatever happened, cancellation
        included.
        """


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
        check_positive_number("requests_per_minute", requests_per_minute)
        check_positive_int("burst", burst)
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
    """A limiter with no budget of its own: it follows what the server reports.

    It holds every request while the server says its window is spent (a 429, or
    ``X-RateLimit-Remaining: 0`` until the reset). Then it does not let every held
    caller go at once, which would spend the new window in one burst and draw the
    next round of 429s: it admits one request, and once its answer arrives, as many
    as that answer's ``X-RateLimit-Remaining`` allows, less those already in flight;
    each further answer renews that count. A client's first requests are paced the
    same way (one, then what the server grants); a server whose answers carry no
    rate-limit headers is not held back after that first answer.

    No jitter is added: after a hold each client sends a single probe, not a burst,
    so clients sharing a key do not stampede. Waiters are served in arrival order,
    and one cancelled while waiting takes nothing. ``clock`` (unix seconds) and
    ``sleep`` can be replaced, as the tests do.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._held_until = 0.0
        self._budget: int | None = 0
        """Requests that may start now; None: the server reports no limit."""
        self._in_flight = 0
        self._queue = asyncio.Lock()
        self._changed = asyncio.Event()

    def _admissible(self) -> bool:
        if self._held_until > self.clock():
            return False
        # With nothing in flight no answer is coming to renew the budget: probe.
        return self._budget is None or self._budget > 0 or self._in_flight == 0

    async def acquire(self) -> None:
        if self._budget is None and not self._queue.locked() and self._admissible():
            self._in_flight += 1
            return
        async with self._queue:
            while not self._admissible():
                wait = self._held_until - self.clock()
                if wait > 0:
                    await self.sleep(wait)
                else:
                    self._changed.clear()
                    await self._changed.wait()
            if self._budget:
                self._budget -= 1
            self._in_flight += 1

    def release(self, status: int | None, remaining: int | None) -> None:
        self._in_flight -= 1
        if status == 429:
            self._budget = 0
        elif status is not None:
            self._budget = None if remaining is None else max(0, remaining - self._in_flight)
        self._changed.set()

    def hold_until(self, unix_time: float) -> None:
        self._held_until = max(self._held_until, unix_time)
        self._budget = 0
        self._changed.set()

    def hold_for(self, seconds: float) -> None:
        self.hold_until(self.clock() + seconds)


class RateLimitMiddleware:
    """Reads the server's rate-limit headers; throttles through ``limiter`` if given.

    ``adaptive`` feeds the server's verdicts to the limiter (it needs one: use
    ``ServerHold()`` to follow the server without a budget of your own), each hold
    capped at ``max_hold`` seconds. ``clock`` (unix seconds) stamps the snapshots and
    measures the cap.
    """

    name = "rate_limit"

    def __init__(
        self,
        limiter: Limiter | None = None,
        *,
        adaptive: bool = False,
        max_hold: float = DEFAULT_MAX_HOLD,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if adaptive and limiter is None:
            raise UserError("adaptive rate limiting needs a limiter (e.g. ServerHold())")
        check_positive_number("max_hold", max_hold)
        self.limiter = limiter
        self.adaptive = adaptive
        self.max_hold = max_hold
        self.clock = clock
        self._snapshot: RateLimitSnapshot | None = None
        self._unparsed: tuple[Mapping[str, str], float] | None = None
        self._feedback = limiter if isinstance(limiter, FeedbackLimiter) else None

    @property
    def snapshot(self) -> RateLimitSnapshot | None:
        """The rate-limit headers of the latest response that carried any.

        With no limiter to act on them, the headers are only kept as they arrive
        and parsed here, when someone asks: most calls are never followed by a look.
        """
        if self._unparsed is not None:
            headers, observed_at = self._unparsed
            self._snapshot = parse_snapshot(headers, observed_at)
            self._unparsed = None
        return self._snapshot

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        """This middleware in front of ``call_next``, as one function (see ``Chain``)."""

        async def observed(request: Request) -> Response:
            limiter = self.limiter
            if limiter is not None:
                return await self._limited(limiter, request, call_next)
            try:
                response = await call_next(request)
            except APIError as error:
                if carries_rate_limit(error.headers):
                    self._unparsed = (error.headers, self.clock())
                raise
            if carries_rate_limit(response.headers):
                self._unparsed = (response.headers, self.clock())
            return response

        return observed

    async def _limited(self, limiter: Limiter, request: Request, call_next: Handler) -> Response:
        await _acquire(limiter, request)
        status: int | None = None
        snapshot: RateLimitSnapshot | None = None
        try:
            response = await call_next(request)
            status = response.status
            snapshot = self._observe(limiter, response.headers, status)
            return response
        except APIError as error:
            status = error.status
            snapshot = self._observe(limiter, error.headers, status)
            raise
        finally:
            if self._feedback is not None:
                self._feedback.release(status, None if snapshot is None else snapshot.remaining)

    def _observe(
        self, limiter: Limiter, headers: Mapping[str, str], status: int
    ) -> RateLimitSnapshot | None:
        if not carries_rate_limit(headers):
            return None
        snapshot = self._snapshot = parse_snapshot(headers, self.clock())
        self._unparsed = None
        if not self.adaptive:
            return snapshot
        if status == 429 and snapshot.retry_after is not None:
            limiter.hold_for(min(snapshot.retry_after, self.max_hold))
        elif snapshot.remaining == 0 and snapshot.reset_at is not None:
            limiter.hold_until(min(snapshot.reset_at, snapshot.observed_at + self.max_hold))
        return snapshot


async def _acquire(limiter: Limiter, request: Request) -> None:
    """Pass ``limiter`` within what is left of the attempt's time."""
    seconds = request.time_left()
    if seconds is None:
        await limiter.acquire()
        return
    if not await _within(max(seconds, 0.0), limiter.acquire()):
        raise LimiterTimeoutError(
            f"{request.method} {request.path} timed out after {max(seconds, 0.0):.3g} s "
            "waiting in the client-side rate limiter (the server asked to slow down); "
            "nothing was sent."
        )
