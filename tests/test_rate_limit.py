"""Client-side rate limiting, driven by a fake clock shared with the emulator.

No test here waits for real time: the limiter's sleeps advance the fake clock, and
only once every request already let through has come back to the client (so the
limiter has seen its rate-limit headers). The emulator's request log, stamped with
the same clock, then shows exactly when each request was sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bimpe_async import AsyncBimpeAI, RateLimitError, Request, Response, UserError
from bimpe_async.middleware import Handler, RateLimitMiddleware, ServerHold, TokenBucket
from bimpe_async.testing import Emulator

from .conftest import record_sleeps, wait_until


class FakeTime:
    """A clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.ready: Callable[[], bool] = lambda: True

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await wait_until(self.ready)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def throttled_client(
    emulator: Emulator, time: FakeTime, limiter: TokenBucket | ServerHold, *, adaptive: bool
) -> AsyncBimpeAI:
    in_flight = 0

    async def count_in_flight(request: Request, call_next: Handler) -> Response:
        # Innermost: when it finishes, rate_limit sees the response in the same step.
        nonlocal in_flight
        in_flight += 1
        try:
            return await call_next(request)
        finally:
            in_flight -= 1

    time.ready = lambda: in_flight == 0
    return AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        max_retries=0,
        middleware=lambda chain: chain.replace(
            "rate_limit", RateLimitMiddleware(limiter, adaptive=adaptive)
        ).append(count_in_flight),
    )


async def test_token_bucket_never_exceeds_its_budget_in_any_window() -> None:
    time = FakeTime()
    async with Emulator(clock=time.clock) as emulator:
        bucket = TokenBucket(600, burst=10, clock=time.clock, sleep=time.sleep)
        async with throttled_client(emulator, time, bucket, adaptive=False) as client:
            pages = await asyncio.gather(*(client.agents.list() for _ in range(200)))
    assert len(pages) == 200
    stamps = sorted(r.time for r in emulator.requests)
    assert len(stamps) == 200
    rate = 600 / 60
    for first in range(len(stamps)):
        for last in range(first, len(stamps)):
            allowed = 10 + rate * (stamps[last] - stamps[first]) + 1e-6
            assert last - first + 1 <= allowed, (first, last)
    assert stamps[-1] - stamps[0] == pytest.approx((200 - 10) / rate)


async def test_adaptive_limiting_avoids_the_servers_429s() -> None:
    time = FakeTime()
    async with Emulator(clock=time.clock, rate_limit=30, rate_window=60) as emulator:
        async with AsyncBimpeAI(
            emulator.api_key, base_url=emulator.base_url, max_retries=0
        ) as unlimited:
            results = await asyncio.gather(
                *(unlimited.agents.list() for _ in range(90)), return_exceptions=True
            )
        refused_without = sum(isinstance(r, RateLimitError) for r in results)

    time = FakeTime()
    async with Emulator(clock=time.clock, rate_limit=30, rate_window=60) as emulator:
        bucket = TokenBucket(600, burst=1, clock=time.clock, sleep=time.sleep)
        async with throttled_client(emulator, time, bucket, adaptive=True) as client:
            results = await asyncio.gather(
                *(client.agents.list() for _ in range(90)), return_exceptions=True
            )
        refused_with = sum(isinstance(r, RateLimitError) for r in results)
        assert time.now - 1_000_000.0 >= 120  # it waited out two server windows
    assert refused_without == 60
    assert refused_with == 0


async def test_a_429_with_retry_after_holds_everyone() -> None:
    time = FakeTime()
    async with Emulator(clock=time.clock) as emulator:
        hold = ServerHold(clock=time.clock, sleep=time.sleep)
        async with throttled_client(emulator, time, hold, adaptive=True) as client:
            emulator.faults.fail_next(1, status=429, headers={"Retry-After": "7"})
            with pytest.raises(RateLimitError):
                await client.agents.list()
            await client.agents.list()
    first, second = emulator.requests
    assert second.time - first.time == pytest.approx(7)


async def test_waiters_are_served_in_arrival_order_and_cancelled_ones_take_nothing() -> None:
    time = FakeTime()
    gate = asyncio.Event()

    async def gated_sleep(seconds: float) -> None:
        await gate.wait()
        gate.clear()
        time.now += seconds

    bucket = TokenBucket(60, burst=1, clock=time.clock, sleep=gated_sleep)
    await bucket.acquire()  # the only token
    order: list[int] = []

    async def waiter(number: int) -> None:
        await bucket.acquire()
        order.append(number)

    tasks = [asyncio.create_task(waiter(n)) for n in range(4)]
    await wait_until(lambda: bucket._queue.locked())
    tasks[0].cancel()  # waiting for the lock's first turn: leaves without a token
    tasks[2].cancel()
    for _ in range(2):
        gate.set()
        await wait_until(lambda: not gate.is_set())
    await asyncio.gather(*tasks, return_exceptions=True)
    assert order == [1, 3]
    assert time.now == pytest.approx(1_000_002.0)  # one second per token, none lost


def test_bad_limiter_settings_name_the_argument() -> None:
    with pytest.raises(UserError, match="requests_per_minute"):
        AsyncBimpeAI("sk_test", requests_per_minute=0)
    with pytest.raises(UserError, match="burst"):
        AsyncBimpeAI("sk_test", requests_per_minute=60, burst=0)
    with pytest.raises(UserError, match="limiter"):
        RateLimitMiddleware(adaptive=True)


async def test_client_settings_build_the_limiter(emulator: Emulator) -> None:
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, requests_per_minute=6000, burst=5
    ) as client:
        record_sleeps(client)
        middleware = client.middleware["rate_limit"]
        assert isinstance(middleware, RateLimitMiddleware)
        assert isinstance(middleware.limiter, TokenBucket)
        assert (middleware.limiter.rate, middleware.limiter.burst) == (100, 5)
        assert not middleware.adaptive
        await asyncio.gather(*(client.agents.list() for _ in range(5)))
    adaptive = AsyncBimpeAI("sk_test", adaptive_rate_limit=True).middleware["rate_limit"]
    assert isinstance(adaptive, RateLimitMiddleware)
    assert isinstance(adaptive.limiter, ServerHold)
    assert adaptive.adaptive
