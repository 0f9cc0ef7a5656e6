"""The fleet-wide budget (``SharedRateLimit``) against a real redis-server.

The schedule tests drive the limiters with a fake clock (passed to the Lua script in
place of Redis's) and fake sleeps, so they are exact; two limiters on one key stand
for two processes. The fleet tests run four real worker processes against one
emulator, with and without the shared budget, and with Redis stopped mid-run.

redis-server is started on a free loopback port and stopped afterwards. Without it
(or without the ``redis`` package) these tests are skipped, except in CI
(``CI=true``), where they fail: there, not running them would hide a regression.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any, NoReturn
from uuid import uuid4

import pytest

from bimpe_async import AsyncBimpeAI, BimpeAIError, LimiterTimeoutError, RateLimitError, UserError
from bimpe_async.middleware import RateLimitMiddleware, RedisUnavailableError, SharedRateLimit
from bimpe_async.testing import Emulator
from bimpe_async.testing.redis_server import RedisServer, RedisServerError, free_port

from .conftest import record_sleeps
from .fleet import Fleet, fleet, poll_until
from .test_rate_limit import FakeTime

WORKERS = 4
CALLS = 200
BUDGET = 350
"""The emulator's budget per window, for the whole key."""
WINDOW = 1.0
SHARED_RATE = 240
"""Requests per second the fleet's shared limit allows: with its burst, 250 a window."""
BURST = 10


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; in CI (CI=true) the Redis tests must run")
    pytest.skip(reason)


def started_redis() -> RedisServer:
    try:
        import redis  # noqa: F401
    except ImportError:
        unavailable("the redis package is missing (pip install 'bimpe-async[redis]')")
    server = RedisServer()
    try:
        server.start()
    except RedisServerError as error:
        unavailable(f"no redis-server: {error}")
    return server


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """One redis-server for the module's tests that leave it running."""
    server = started_redis()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A redis-server of the test's own, to stop, freeze or restart."""
    server = started_redis()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def key() -> str:
    return f"test-{uuid4().hex}"


async def settle(*limiters: SharedRateLimit) -> None:
    """Wait for the limiters' background writes (holds, returned slots) to land."""
    await poll_until(lambda: not any(limiter._background for limiter in limiters))


async def ask_redis(url: str, *command: str) -> Any:
    """One command to the test's Redis, on a connection of its own."""
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        return await client.execute_command(*command)
    finally:
        await client.aclose()


def stored(key: str, part: str) -> str:
    """The name of one of the limiter's Redis keys: ``tat``, ``hold`` or ``freed``."""
    return f"bimpe:rate:{{{key}}}:{part}"


class Sleeps:
    """A sleep that records each wait and never ends by itself (only when cancelled)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        await asyncio.get_running_loop().create_future()


# --- the schedule, on a fake clock -----------------------------------------------------


async def test_limiters_on_one_key_share_one_schedule(redis_url: str, key: str) -> None:
    time = FakeTime()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        await time.sleep(seconds)

    def limiter(name: str) -> SharedRateLimit:
        return SharedRateLimit(
            redis_url, key=name, requests_per_minute=60, burst=2, clock=time.clock, sleep=sleep
        )

    async with limiter(key) as a, limiter(key) as b, limiter(f"{key}-other") as other:
        for shared in (a, b, a, b, a, b):
            await shared.acquire()
        assert waits == [1, 1, 1, 1]  # a burst of 2, then one a second, whoever asks
        assert time.now == 1_000_004.0
        await other.acquire()  # another key has a budget of its own
        assert waits == [1, 1, 1, 1]


async def test_waiters_are_served_in_arrival_order_and_cancelled_ones_give_back(
    redis_url: str, key: str
) -> None:
    time = FakeTime()  # never moves: every wait below is counted from the same instant
    sleeps = Sleeps()

    def limiter() -> SharedRateLimit:
        return SharedRateLimit(
            redis_url, key=key, requests_per_minute=60, clock=time.clock, sleep=sleeps
        )

    async with limiter() as a, limiter() as b:
        await a.acquire()  # the only token; from here on, one slot a second
        waiters: dict[str, asyncio.Task[None]] = {}

        async def arrive(name: str, shared: SharedRateLimit) -> float:
            waiters[name] = asyncio.create_task(shared.acquire())
            count = len(sleeps.waits)
            await poll_until(lambda: len(sleeps.waits) > count)
            return sleeps.waits[-1]

        async def leave(name: str) -> None:
            waiters[name].cancel()
            await asyncio.gather(waiters[name], return_exceptions=True)
            await settle(a, b)

        # First come, first served, whichever process each caller is in.
        assert [await arrive(n, a if n[0] == "a" else b) for n in ("a1", "b1", "a2", "b2")] == [
            1,
            2,
            3,
            4,
        ]
        await leave("b1")  # its slot (in 2 s) goes to the next arrival
        assert await arrive("a3", a) == 2
        await leave("b2")  # the last slot: the schedule ends a slot earlier
        assert await arrive("b3", b) == 4
        await leave("a3")  # a slot taken from a leaver is given back the same way
        assert await arrive("b4", b) == 2
        for task in waiters.values():
            task.cancel()
        await asyncio.gather(*waiters.values(), return_exceptions=True)


async def test_a_hold_posted_by_one_process_holds_every_process(redis_url: str, key: str) -> None:
    time = FakeTime()
    waits: list[float] = []
    posted = False

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        await time.sleep(seconds)

    time.ready = lambda: posted

    def limiter() -> SharedRateLimit:
        return SharedRateLimit(
            redis_url, key=key, requests_per_minute=60, clock=time.clock, sleep=sleep
        )

    async with limiter() as a, limiter() as b:
        await b.acquire()
        waiter = asyncio.create_task(b.acquire())  # its slot: in 1 s
        await poll_until(lambda: waits == [1])
        a.hold_for(10)  # say, a 429 with Retry-After: 10 seen by the other process
        await settle(a)
        posted = True
        await waiter
        # When its slot came, the waiter found the hold and went after it.
        assert waits == [1, 9]
        assert time.now == 1_000_010.0


# --- through the client, on real time ---------------------------------------------------


async def test_a_429_in_one_process_holds_the_others_for_at_most_max_hold(
    redis_url: str, key: str
) -> None:
    async with Emulator() as emulator:
        emulator.faults.fail_next(1, status=429, headers={"Retry-After": "86400"})
        clients = [
            AsyncBimpeAI(
                emulator.api_key,
                base_url=emulator.base_url,
                max_retries=0,
                adaptive_rate_limit=True,
                rate_limit=SharedRateLimit(redis_url, key=key, requests_per_minute=6000),
            )
            for _ in range(2)
        ]
        async with clients[0] as first, clients[1] as second:
            with pytest.raises(RateLimitError):
                await first.agents.list()
            limiter = first.middleware["rate_limit"]
            assert isinstance(limiter, RateLimitMiddleware)
            assert isinstance(limiter.limiter, SharedRateLimit)
            await settle(limiter.limiter)
            hold = await ask_redis(redis_url, "GET", stored(key, "hold"))
            assert hold is not None
            with pytest.raises(LimiterTimeoutError, match="rate limiter"):
                await second.with_options(timeout=0.05).agents.list()
    assert len(emulator.requests) == 1  # the other process sent nothing
    left = await ask_redis(redis_url, "PTTL", stored(key, "hold"))
    assert 55_000 < left <= 60_000  # a day asked, max_hold (60 s) granted


async def test_a_call_timed_out_in_the_limiter_gives_its_slot_back(
    redis_url: str, key: str
) -> None:
    limiter = SharedRateLimit(redis_url, key=key, requests_per_minute=6)
    async with (
        Emulator() as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, rate_limit=limiter) as client,
    ):
        await client.agents.list()
        schedule_end = await ask_redis(redis_url, "GET", stored(key, "tat"))
        with pytest.raises(LimiterTimeoutError):
            await client.with_options(timeout=0.05).agents.list()  # its slot: in 10 s
        await settle(limiter)
        assert await ask_redis(redis_url, "GET", stored(key, "tat")) == schedule_end
    assert len(emulator.requests) == 1


async def test_a_caller_cancelled_mid_round_trip_still_gives_its_slot_back(
    redis_server: RedisServer, key: str
) -> None:
    async with SharedRateLimit(
        redis_server.url, key=key, requests_per_minute=6, redis_timeout=5
    ) as limiter:
        await limiter.acquire()
        schedule_end = await ask_redis(redis_server.url, "GET", stored(key, "tat"))
        redis_server.freeze()
        waiter = asyncio.create_task(limiter.acquire())
        for _ in range(10):
            await asyncio.sleep(0)  # the script call is written; no answer comes
        assert not waiter.done()
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        redis_server.thaw()  # the answer reserves a slot, which goes straight back
        await settle(limiter)
        assert await ask_redis(redis_server.url, "GET", stored(key, "tat")) == schedule_end


# --- when Redis fails ------------------------------------------------------------------


async def test_local_policy_falls_back_once_and_returns_to_redis(
    redis_server: RedisServer, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bimpe_async")
    async with SharedRateLimit(
        redis_server.url,
        key=key,
        requests_per_minute=6000,
        burst=8,
        expected_processes=4,
        recheck_interval=0,  # try Redis on every call, to see it come back at once
    ) as limiter:
        await limiter.acquire()
        redis_server.stop()
        for _ in range(5):
            await limiter.acquire()
        assert not limiter.using_redis
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert "could not reach Redis at redis://127.0.0.1" in warnings[0]
        assert "local budget of 1500 requests/minute (6000 / 4 expected processes)" in warnings[0]
        assert (limiter.fallback.rate, limiter.fallback.burst) == (25, 2)

        redis_server.start()  # the same port, as a restarted server
        await limiter.acquire()
        assert limiter.using_redis
        assert await ask_redis(redis_server.url, "GET", stored(key, "tat")) is not None
    assert any("answers again" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("policy", ["local", "fail"])
async def test_a_frozen_redis_delays_admission_by_its_timeout_only(
    redis_server: RedisServer, key: str, policy: str
) -> None:
    async with SharedRateLimit(
        redis_server.url,
        key=key,
        requests_per_minute=6000,
        on_redis_error=policy,  # type: ignore[arg-type]
        redis_timeout=0.1,
    ) as limiter:
        await limiter.acquire()
        redis_server.freeze()
        loop = asyncio.get_running_loop()
        started = loop.time()
        if policy == "local":
            await limiter.acquire()
            assert not limiter.using_redis
        else:
            with pytest.raises(RedisUnavailableError, match="could not reach Redis"):
                await limiter.acquire()
        # One try and one retry on a fresh connection, 0.1 s each at most.
        assert loop.time() - started < 0.5
        redis_server.thaw()


async def test_fail_policy_fails_the_call_clearly_without_retrying(key: str) -> None:
    nowhere = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    limiter = SharedRateLimit(nowhere, key=key, requests_per_minute=60, on_redis_error="fail")
    async with (
        Emulator() as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, rate_limit=limiter) as client,
    ):
        sleeps = record_sleeps(client)
        with pytest.raises(RedisUnavailableError) as caught:
            await client.agents.list()
    assert isinstance(caught.value, BimpeAIError)
    assert "could not reach Redis at redis://:***@127.0.0.1" in str(caught.value)
    assert "s3cret" not in str(caught.value)
    assert emulator.requests == []  # nothing was sent
    assert sleeps.delays == []  # and it was not retried


# --- configuration ---------------------------------------------------------------------


def test_settings_are_checked_before_any_io() -> None:
    url = "redis://127.0.0.1:1/0"
    with pytest.raises(UserError, match="key"):
        SharedRateLimit(url, key="", requests_per_minute=60)
    with pytest.raises(UserError, match="requests_per_minute"):
        SharedRateLimit(url, key="k", requests_per_minute=0)
    with pytest.raises(UserError, match="on_redis_error"):
        SharedRateLimit(url, key="k", requests_per_minute=60, on_redis_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="expected_processes"):
        SharedRateLimit(url, key="k", requests_per_minute=60, expected_processes=0)
    with pytest.raises(UserError, match="Redis URL"):
        SharedRateLimit("http://127.0.0.1/", key="k", requests_per_minute=60)
    limiter = SharedRateLimit("redis://:pw@127.0.0.1:1/0", key="k", requests_per_minute=60)
    assert "pw" not in repr(limiter)
    with pytest.raises(UserError, match="rate_limit"):
        AsyncBimpeAI("sk_test", rate_limit=limiter, requests_per_minute=60)
    with pytest.raises(UserError, match="rate_limit"):
        AsyncBimpeAI("sk_test", rate_limit=object())  # type: ignore[arg-type]


async def test_the_client_uses_the_limiter_given_and_closes_it(redis_url: str, key: str) -> None:
    limiter = SharedRateLimit(redis_url, key=key, requests_per_minute=6000)
    async with (
        Emulator() as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, rate_limit=limiter) as client,
    ):
        middleware = client.middleware["rate_limit"]
        assert isinstance(middleware, RateLimitMiddleware)
        assert middleware.limiter is limiter
        assert not middleware.adaptive  # holds are shared with adaptive_rate_limit=True
        await client.agents.list()
        assert limiter._redis is not None
    assert limiter._redis is None


def test_importing_the_sdk_never_imports_redis() -> None:
    script = (
        "import sys; sys.modules['redis'] = None\n"
        "import bimpe_async, bimpe_async.middleware\n"
        "from bimpe_async.middleware import SharedRateLimit\n"
        "try:\n"
        "    SharedRateLimit('redis://127.0.0.1/0', key='k', requests_per_minute=60)\n"
        "except bimpe_async.UserError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "pip install 'bimpe-async[redis]'" in done.stdout


# --- a fleet of processes on one key ---------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def workers() -> Iterator[Fleet]:
    """The fleet, started with the module: its processes import while the tests above run."""
    with fleet(WORKERS) as started:
        yield started


@pytest.fixture
async def budgeted() -> AsyncIterator[Emulator]:
    """An emulator granting the key ``BUDGET`` requests per ``WINDOW``, all clients together."""
    async with Emulator(rate_limit=BUDGET, rate_window=WINDOW) as emulator:
        yield emulator


def command(emulator: Emulator, shared: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "base_url": emulator.base_url,
        "api_key": emulator.api_key,
        "calls": CALLS,
        "timeout": 20.0,
        "shared": shared,
    }


def shared_limit(url: str, key: str, policy: str) -> dict[str, Any]:
    return {
        "url": url,
        "key": key,
        "requests_per_minute": SHARED_RATE * 60,
        "burst": BURST,
        "on_redis_error": policy,
        "expected_processes": WORKERS,
    }


def outcomes(reports: list[dict[str, Any]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for report in reports:
        for outcome, count in report["outcomes"].items():
            total[outcome] = total.get(outcome, 0) + count
    return total


def busiest_window(emulator: Emulator) -> int:
    """The most requests the emulator received in any ``WINDOW``, sliding."""
    times = sorted(r.time for r in emulator.requests)
    most, first = 0, 0
    for last, stamp in enumerate(times):
        while stamp - times[first] >= WINDOW:
            first += 1
        most = max(most, last - first + 1)
    return most


async def test_a_fleet_sharing_the_limit_stays_under_the_budget(
    workers: Fleet, budgeted: Emulator, redis_url: str, key: str
) -> None:
    reports = await workers.run(command(budgeted, shared_limit(redis_url, key, "local")))
    total = outcomes(reports)
    # No 429: none of the emulator's windows went over the budget. The busiest
    # sliding second is reported beside it: at most 250 leave, a loaded machine
    # bunches their arrivals a little.
    print(f"\nshared limit: {total}, busiest second {busiest_window(budgeted)} of {BUDGET}")
    assert total == {"ok": WORKERS * CALLS}
    assert all(not report["warnings"] for report in reports)


async def test_without_the_shared_limit_the_fleet_meets_429s_from_one_key_budget(
    workers: Fleet, budgeted: Emulator
) -> None:
    reports = await workers.run(command(budgeted, None))
    total = outcomes(reports)
    print(f"\nno shared limit: {total}")
    assert total.get("ok", 0) + total.get("RateLimitError", 0) == WORKERS * CALLS
    # No process sends a budget's worth on its own: the 429s show that the emulator
    # counts the key across processes, as the real server does.
    assert CALLS < BUDGET
    assert total.get("RateLimitError", 0) > 0


async def test_redis_stopped_mid_run_local_policy_carries_on_at_the_local_budget(
    workers: Fleet, budgeted: Emulator, redis_server: RedisServer, key: str
) -> None:
    run = asyncio.create_task(
        workers.run(command(budgeted, shared_limit(redis_server.url, key, "local")))
    )
    await poll_until(lambda: len(budgeted.requests) >= CALLS)
    await asyncio.to_thread(redis_server.stop)  # the emulator keeps serving meanwhile
    reports = await run
    total = outcomes(reports)
    slowest = max(report["slowest"] for report in reports)
    print(f"\nRedis stopped, local policy: {total}, slowest call {slowest:.2f} s")
    assert total.get("ok", 0) >= WORKERS * CALLS - WORKERS * CALLS // 100  # <= 1% refused
    assert set(total) <= {"ok", "RateLimitError"}
    for report in reports:
        assert len(report["warnings"]) == 1
        assert "local budget of 3600 requests/minute" in report["warnings"][0]


async def test_redis_stopped_mid_run_fail_policy_fails_calls_clearly(
    workers: Fleet, budgeted: Emulator, redis_server: RedisServer, key: str
) -> None:
    run = asyncio.create_task(
        workers.run(command(budgeted, shared_limit(redis_server.url, key, "fail")))
    )
    await poll_until(lambda: len(budgeted.requests) >= CALLS)
    await asyncio.to_thread(redis_server.stop)  # the emulator keeps serving meanwhile
    reports = await run
    total = outcomes(reports)
    slowest = max(report["slowest"] for report in reports)
    print(f"\nRedis stopped, fail policy: {total}, slowest call {slowest:.2f} s")
    assert set(total) == {"ok", "RedisUnavailableError"}
    assert total["ok"] >= CALLS
    assert slowest < 10  # nobody hung
