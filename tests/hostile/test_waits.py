"""Every wait is bounded: server-imposed holds, the limiter under a call's timeout,
the whole call across retries, and the pace at which held callers are released.

The rate-limit tests run on a fake clock shared with the emulator (see
``test_rate_limit.py``): a limiter's sleeps advance it, and only once every request
already let through has come back. The few real waits are timeouts of 50-80 ms.
"""

from __future__ import annotations

import asyncio

import pytest

from bimpe_async import (
    APITimeoutError,
    AsyncBimpeAI,
    InternalServerError,
    RateLimitError,
    Request,
    Response,
)
from bimpe_async.errors import LimiterTimeoutError
from bimpe_async.middleware import (
    Handler,
    RateLimitMiddleware,
    RetryMiddleware,
    ServerHold,
)
from bimpe_async.testing import Emulator

from ..conftest import record_sleeps, wait_until
from ..test_rate_limit import FakeTime

DAY = 86_400


def paced_client(
    emulator: Emulator, time: FakeTime, limiter: ServerHold | None, *, max_retries: int
) -> AsyncBimpeAI:
    """A client whose limiter and rate-limit clock are ``time``'s; retry waits recorded."""
    in_flight = 0

    async def count_in_flight(request: Request, call_next: Handler) -> Response:
        nonlocal in_flight
        in_flight += 1
        try:
            return await call_next(request)
        finally:
            in_flight -= 1

    time.ready = lambda: in_flight == 0
    middleware = (
        RateLimitMiddleware(limiter, adaptive=True, clock=time.clock)
        if limiter is not None
        else RateLimitMiddleware(clock=time.clock)
    )
    client = AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        max_retries=max_retries,
        middleware=lambda chain: chain.replace("rate_limit", middleware).append(count_in_flight),
    )
    record_sleeps(client)
    return client


async def test_a_day_long_retry_after_holds_the_next_call_at_most_max_hold() -> None:
    time = FakeTime()
    async with Emulator(clock=time.clock) as emulator:
        hold = ServerHold(clock=time.clock, sleep=time.sleep)
        async with paced_client(emulator, time, hold, max_retries=0) as client:
            emulator.faults.fail_next(1, status=429, headers={"Retry-After": str(DAY)})
            with pytest.raises(RateLimitError):
                await client.agents.list()
            await client.agents.list()
    first, second = emulator.requests
    assert second.time - first.time == pytest.approx(60)


async def test_a_window_reset_a_day_ahead_holds_the_next_call_at_most_max_hold() -> None:
    time = FakeTime()
    async with Emulator(clock=time.clock, rate_limit=1, rate_window=DAY) as emulator:
        hold = ServerHold(clock=time.clock, sleep=time.sleep)
        async with paced_client(emulator, time, hold, max_retries=0) as client:
            await client.agents.list()  # spends the window: Remaining 0, Reset in a day
            with pytest.raises(RateLimitError):
                await client.agents.list()
    first, second = emulator.requests
    assert second.time - first.time == pytest.approx(60)


async def test_a_calls_timeout_covers_its_wait_in_the_limiter(emulator: Emulator) -> None:
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, adaptive_rate_limit=True
    ) as client:
        sleeps = record_sleeps(client)
        emulator.faults.fail_next(1, status=429, headers={"Retry-After": str(DAY)})
        with pytest.raises(RateLimitError):
            await client.with_options(max_retries=0).agents.list()
        with pytest.raises(LimiterTimeoutError, match="rate limiter") as caught:
            await client.with_options(timeout=0.05).agents.list()
    assert isinstance(caught.value, APITimeoutError)
    assert len(emulator.requests) == 1  # nothing more was sent
    assert sleeps.delays == []  # and it was not retried


async def test_a_call_never_outlives_its_total_timeout(emulator: Emulator) -> None:
    emulator.faults.delay_next(3, seconds=30)  # a server that does not answer
    async with AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        timeout=10,
        max_retries=2,
        middleware=lambda chain: chain.replace("retry", RetryMiddleware(total_timeout=0.05)),
    ) as client:
        sleeps = record_sleeps(client)
        with pytest.raises(APITimeoutError):
            await client.agents.list()
    # The attempt was cut to the call's 0.05 s, and no retry started after it.
    assert len(emulator.requests) == 1
    assert sleeps.delays == []


async def test_every_attempt_ends_by_the_calls_deadline(emulator: Emulator) -> None:
    emulator.faults.fail_next(3, status=503)
    starts: list[float] = []
    deadlines: list[float | None] = []

    async def spy(request: Request, call_next: Handler) -> Response:
        starts.append(asyncio.get_running_loop().time())
        deadlines.append(request.deadline)
        return await call_next(request)

    async with AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        timeout=10,
        max_retries=2,
        middleware=lambda chain: chain.replace("retry", RetryMiddleware(total_timeout=5)).append(
            spy
        ),
    ) as client:
        record_sleeps(client)
        with pytest.raises(InternalServerError):
            await client.agents.list()
    assert len(starts) == 3
    assert deadlines[0] is not None
    assert deadlines[0] == pytest.approx(starts[0] + 5, abs=0.5)  # not starts[0] + 10
    assert deadlines == [deadlines[0]] * 3  # the retries share the call's deadline


async def test_no_retry_starts_when_its_backoff_would_end_past_the_deadline(
    emulator: Emulator,
) -> None:
    emulator.faults.fail_next(1, status=503, headers={"Retry-After": "5"})
    async with AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        middleware=lambda chain: chain.replace("retry", RetryMiddleware(total_timeout=3)),
    ) as client:
        sleeps = record_sleeps(client)
        with pytest.raises(InternalServerError):
            await client.agents.list()
    assert len(emulator.requests) == 1
    assert sleeps.delays == []


async def test_the_default_deadline_is_the_timeout_times_the_attempts(
    emulator: Emulator,
) -> None:
    seen: list[float] = []

    async def spy(request: Request, call_next: Handler) -> Response:
        left = request.time_left()
        assert left is not None
        seen.append(left)
        return await call_next(request)

    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, timeout=10, middleware=[spy]
    ) as client:
        await client.agents.list()
    assert 9 < seen[0] <= 10  # an attempt has its own timeout, not the call's 30 s


async def test_held_callers_are_released_at_the_pace_the_server_grants() -> None:
    burst = 200
    time = FakeTime()
    async with Emulator(clock=time.clock, rate_limit=20, rate_window=60) as emulator:
        async with paced_client(emulator, time, None, max_retries=2) as client:
            unpaced = await asyncio.gather(
                *(client.agents.list() for _ in range(burst)), return_exceptions=True
            )
        refused_without = sum(r.status == 429 for r in emulator.requests)

    time = FakeTime()
    async with Emulator(clock=time.clock, rate_limit=20, rate_window=60) as emulator:
        hold = ServerHold(clock=time.clock, sleep=time.sleep)
        async with paced_client(emulator, time, hold, max_retries=2) as client:
            paced = await asyncio.gather(
                *(client.agents.list() for _ in range(burst)), return_exceptions=True
            )
        refused_with = sum(r.status == 429 for r in emulator.requests)
        elapsed = time.now - 1_000_000.0

    assert sum(isinstance(r, RateLimitError) for r in unpaced) == burst - 20
    assert refused_without == 3 * (burst - 20)  # every retry round spends itself again
    assert not any(isinstance(r, BaseException) for r in paced)
    assert refused_with == 0
    assert len(emulator.requests) == burst
    assert elapsed == pytest.approx((burst // 20 - 1) * 60, abs=2)  # one window per 20


async def test_server_hold_admits_a_probe_then_what_the_server_grants() -> None:
    time = FakeTime()
    hold = ServerHold(clock=time.clock, sleep=time.sleep)

    async def admitted_now() -> bool:
        waiter = asyncio.create_task(hold.acquire())
        for _ in range(10):
            await asyncio.sleep(0)
        if waiter.done():
            return True
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        return False

    assert await admitted_now()  # first contact: one probe...
    assert not await admitted_now()  # ...and nothing else until it is answered
    hold.release(200, 3)  # the answer: 3 more may go
    assert [await admitted_now() for _ in range(4)] == [True, True, True, False]
    for _ in range(2):
        hold.release(None, None)  # no answers (connection errors): the budget stays spent
    assert not await admitted_now()  # one still in flight
    hold.release(None, None)
    assert await admitted_now()  # nothing in flight: a new probe
    hold.release(200, None)  # a server that reports no limit is not held back
    assert all([await admitted_now() for _ in range(5)])
    hold.release(429, 0)
    assert not await admitted_now()


async def test_a_cancelled_attempt_still_returns_its_slot(emulator: Emulator) -> None:
    emulator.faults.delay_next(1, seconds=30)
    hold = ServerHold()
    async with AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        middleware=lambda chain: chain.replace(
            "rate_limit", RateLimitMiddleware(hold, adaptive=True)
        ),
    ) as client:
        call = asyncio.create_task(client.agents.list())
        await wait_until(lambda: len(emulator.faults) == 0)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert hold._in_flight == 0
        await client.agents.list()  # the probe slot is free again


async def test_total_timeout_given_to_the_client_bounds_every_call(emulator: Emulator) -> None:
    emulator.faults.delay_next(3, seconds=30)  # a server that does not answer
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, timeout=10, total_timeout=0.05
    ) as client:
        sleeps = record_sleeps(client)
        with pytest.raises(APITimeoutError):
            await client.agents.list()
    assert len(emulator.requests) == 1
    assert sleeps.delays == []


async def test_max_hold_given_to_the_client_caps_a_server_imposed_hold() -> None:
    time = FakeTime()
    async with (
        Emulator(clock=time.clock) as emulator,
        AsyncBimpeAI(
            emulator.api_key,
            base_url=emulator.base_url,
            adaptive_rate_limit=True,
            max_hold=5,
            max_retries=0,
        ) as client,
    ):
        rate_limit = client.middleware["rate_limit"]
        assert isinstance(rate_limit, RateLimitMiddleware)
        hold = rate_limit.limiter
        assert isinstance(hold, ServerHold)
        rate_limit.clock = hold.clock = time.clock
        hold.sleep = time.sleep
        emulator.faults.fail_next(1, status=429, headers={"Retry-After": str(DAY)})
        with pytest.raises(RateLimitError):
            await client.agents.list()
        await client.agents.list()
    first, second = emulator.requests
    assert second.time - first.time == pytest.approx(5)
