"""Admission: what the client-side rate limiter costs a call, local bucket vs Redis.

Two limiters, each with a budget no caller ever waits for, so only their own cost is
measured:

- ``local``: ``TokenBucket``, the in-process bucket behind ``requests_per_minute=``;
- ``redis``: ``SharedRateLimit``, the fleet-wide budget: one Lua script round trip to a
  redis-server on loopback (its own process, on the servers' core).

Two measurements, at concurrency 1 (one caller after another) and 64 (callers at
once, as under load):

- ``admission``: ``await limiter.acquire()`` alone;
- ``call``: a whole ``client.agents.list()`` through ``AsyncBimpeAI(rate_limit=...)``
  against ``fixed_server``, which puts the admission next to what a call costs anyway.

Reported: wall microseconds (what a caller waits) and CPU microseconds (what the
client process spends) per admission or call, and how many times the local cost the
Redis one is. Without redis-server or the ``redis`` package the benchmark is reported
skipped, with the reason.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any

from bimpe_async import AsyncBimpeAI
from bimpe_async.middleware import Limiter, SharedRateLimit, TokenBucket
from bimpe_async.testing.redis_server import RedisServer, RedisServerError

from .fixed_server import LIST_SIZE
from .loops import run_on
from .measure import Rounds, measured, rotated
from .servers import server_process
from .settings import Settings

LOCAL = "local"
REDIS = "redis"
LEVELS = (1, 64)
UNLIMITED = 1e12
"""Requests per minute: far more than any run makes, so nobody waits."""
API_KEY = "sk_benchmark"

Operation = Callable[[], Awaitable[object]]


async def per_operation(operation: Operation, concurrency: int, count: int) -> tuple[float, float]:
    """Wall and CPU seconds per operation, ``concurrency`` callers sharing ``count``."""

    async def caller() -> None:
        for _ in range(count // concurrency):
            await operation()

    with measured() as clock:
        await asyncio.gather(*(caller() for _ in range(concurrency)))
    done = count // concurrency * concurrency
    return clock.wall / done, clock.cpu / done


async def compare(operations: dict[str, Operation], count: int, settings: Settings) -> Any:
    """Local and Redis side by side at each concurrency level, in rotating rounds."""
    for operation in operations.values():  # connect, load the script, fill the pools
        await per_operation(operation, 64, 64)
    results: dict[str, Any] = {}
    for level in LEVELS:
        wall, cpu = Rounds(), Rounds()
        for round_number in range(settings.size(full=5, quick=1)):
            wall_costs, cpu_costs = {}, {}
            for name in rotated(list(operations), round_number):
                wall_costs[name], cpu_costs[name] = await per_operation(
                    operations[name], level, count
                )
            wall.add(wall_costs)
            cpu.add(cpu_costs)
        results[str(level)] = {
            "redis_vs_local_wall": wall.times(REDIS, LOCAL),
            "redis_vs_local_cpu": cpu.times(REDIS, LOCAL),
            **{
                name: {"wall_us": wall.median(name) * 1e6, "cpu_us": cpu.median(name) * 1e6}
                for name in operations
            },
        }
    return results


@asynccontextmanager
async def limiters(redis_url: str) -> AsyncIterator[dict[str, Limiter]]:
    """A fresh local bucket and shared limit, neither of which ever makes anyone wait."""
    async with SharedRateLimit(
        redis_url, key=f"benchmark-{os.getpid()}", requests_per_minute=UNLIMITED, burst=10**6
    ) as shared:
        yield {LOCAL: TokenBucket(UNLIMITED, burst=10**6), REDIS: shared}


async def measure_all(redis_url: str, base_url: str, settings: Settings) -> dict[str, Any]:
    async with limiters(redis_url) as bare:
        admission = await compare(
            {name: limiter.acquire for name, limiter in bare.items()},
            settings.size(full=20_000, quick=256),
            settings,
        )
    async with limiters(redis_url) as chosen, AsyncExitStack() as stack:
        calls: dict[str, Operation] = {}
        for name, limiter in chosen.items():
            client = AsyncBimpeAI(API_KEY, base_url=base_url, rate_limit=limiter)
            await stack.enter_async_context(client)
            calls[name] = partial(client.agents.list, limit=LIST_SIZE)
        call = await compare(calls, settings.size(full=4_000, quick=128), settings)
    return {"admission": admission, "call": call}


def run(settings: Settings) -> dict[str, Any]:
    try:
        import redis  # noqa: F401
    except ImportError:
        return {"skipped": "the redis package is not installed (pip install '.[redis]')"}
    server = RedisServer()
    try:
        server.start()
    except RedisServerError as error:
        return {"skipped": str(error)}
    try:
        if settings.placement.server_core is not None and server.pid is not None:
            os.sched_setaffinity(server.pid, {settings.placement.server_core})
        with server_process("fixed_server", placement=settings.placement) as fixed:
            loops = {
                loop: run_on(loop, measure_all(server.url, fixed["base_url"], settings))
                for loop in settings.loops
            }
    finally:
        server.stop()
    return {"levels": [str(level) for level in LEVELS], "loops": loops}
