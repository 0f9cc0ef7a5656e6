"""Pagination walk: every message of a 10,000-message conversation, 100 per page.

Against the real emulator in its own process (search, sort and envelopes included),
which holds each request ``LATENCY_MS`` first, like a network round trip would:
without that, loopback makes every walk look alike. Contenders:

- ``bimpe_async sequential``: ``await page.to_list()`` (one page at a time);
- ``bimpe_async concurrency=N``: ``await page.to_list(concurrency=N)``, up to N pages
  in flight, still in order;
- ``peer``: ``async for message in page`` of the ``bimpeai`` SDK (sequential; it has
  no concurrent walk).

Reported: wall seconds for the whole walk (what concurrency is for), items per wall
second, client CPU seconds, and how many times our sequential walk's wall time each
contender takes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

import bimpeai

from bimpe_async import AsyncBimpeAI

from .loops import run_on
from .measure import Rounds, measured, rotated
from .servers import server_process
from .settings import Settings

CONCURRENCY = 8
PAGE_SIZE = 100
LATENCY_MS = 10.0

OURS = "bimpe_async sequential"
OURS_CONCURRENT = f"bimpe_async concurrency={CONCURRENCY}"
PEER = "peer"

Walk = Callable[[dict[str, Any]], Awaitable[int]]


async def ours_walk(server: dict[str, Any], concurrency: int) -> int:
    async with AsyncBimpeAI(server["api_key"], base_url=server["base_url"]) as client:
        page = await client.conversations.messages.list(
            server["agent_id"], server["conversation_id"], limit=PAGE_SIZE
        )
        return len(await page.to_list(concurrency=concurrency))


async def ours(server: dict[str, Any]) -> int:
    return await ours_walk(server, 1)


async def ours_concurrent(server: dict[str, Any]) -> int:
    return await ours_walk(server, CONCURRENCY)


async def peer(server: dict[str, Any]) -> int:
    async with bimpeai.AsyncBimpeAI(
        api_key=server["api_key"], base_url=server["base_url"]
    ) as client:
        page = await client.conversations.messages.list(
            server["agent_id"], server["conversation_id"], limit=PAGE_SIZE
        )
        return len([message async for message in page])


WALKS: dict[str, Walk] = {OURS: ours, OURS_CONCURRENT: ours_concurrent, PEER: peer}


async def measure_all(server: dict[str, Any], items: int, settings: Settings) -> dict[str, Any]:
    wall, cpu = Rounds(), Rounds()
    for round_number in range(settings.size(full=3, quick=1)):
        wall_costs, cpu_costs = {}, {}
        for name in rotated(list(WALKS), round_number):
            with measured(collect=not settings.quick) as clock:
                count = await WALKS[name](server)
            if count != items:
                raise RuntimeError(f"{name} walked {count} items of {items}")
            wall_costs[name], cpu_costs[name] = clock.wall, clock.cpu
        wall.add(wall_costs)
        cpu.add(cpu_costs)
    return {
        name: {
            "wall_s": wall.median(name),
            "items_per_wall_s": items / wall.median(name),
            "cpu_s": cpu.median(name),
            "times_ours_sequential": asdict(wall.ratio(name, OURS)),
        }
        for name in WALKS
    }


def run(settings: Settings) -> dict[str, Any]:
    items = settings.size(full=10_000, quick=300)
    latency = 0.0 if settings.quick else LATENCY_MS
    arguments = (str(items), str(latency))
    with server_process("emulator_server", *arguments, placement=settings.placement) as server:
        results = {
            loop: run_on(loop, measure_all(server, items, settings)) for loop in settings.loops
        }
    return {"items": items, "page_size": PAGE_SIZE, "latency_ms": latency, "loops": results}
