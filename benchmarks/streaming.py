"""Streaming: SSE messages parsed and decoded per second, ours vs the peer's reader.

``sse_server`` (its own process and core) replays one large pre-rendered stream: N
message events with a heartbeat after every 100. Each contender takes a ticket, opens
the stream with ``reconnect=False`` and reads it to the end, counting the messages it
yields (heartbeats are consumed, never yielded, by both). Reported per contender:
messages per CPU second of the client process (the figure the goal is about) and per
wall second, and how many times our CPU per message each contender spends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import bimpeai

from bimpe_async import AsyncBimpeAI

from .loops import run_on
from .measure import Rounds, measured, rotated
from .servers import server_process
from .settings import Settings

OURS = "bimpe_async"
PEER = "peer"
API_KEY = "sk_benchmark"

Reader = Callable[[str, str, str], Awaitable[int]]


async def counted(messages: AsyncIterator[object]) -> int:
    count = 0
    async for _ in messages:
        count += 1
    return count


async def ours(base_url: str, agent_id: str, conversation_id: str) -> int:
    async with AsyncBimpeAI(API_KEY, base_url=base_url) as client:
        stream = client.conversations.messages.stream(agent_id, conversation_id, reconnect=False)
        async with stream:
            return await counted(stream)


async def peer(base_url: str, agent_id: str, conversation_id: str) -> int:
    async with bimpeai.AsyncBimpeAI(api_key=API_KEY, base_url=base_url) as client:
        messages = client.conversations.messages
        return await counted(messages.stream(agent_id, conversation_id, reconnect=False))


READERS: dict[str, Reader] = {OURS: ours, PEER: peer}


async def measure_all(server: dict[str, Any], settings: Settings) -> dict[str, Any]:
    events = int(server["events"])
    where = (server["base_url"], server["agent_id"], server["conversation_id"])
    cpu, wall = Rounds(), Rounds()
    for round_number in range(settings.size(full=5, quick=1)):
        cpu_costs, wall_costs = {}, {}
        for name in rotated(list(READERS), round_number):
            with measured() as clock:
                count = await READERS[name](*where)
            if count != events:
                raise RuntimeError(f"{name} yielded {count} messages of {events}")
            cpu_costs[name], wall_costs[name] = clock.cpu / events, clock.wall / events
        cpu.add(cpu_costs)
        wall.add(wall_costs)
    return {
        name: {
            "messages_per_cpu_s": 1 / cpu.median(name),
            "messages_per_wall_s": 1 / wall.median(name),
            "times_ours": cpu.times(name, OURS),
        }
        for name in READERS
    }


def run(settings: Settings) -> dict[str, Any]:
    events = str(settings.size(full=50_000, quick=300))
    with server_process("sse_server", events, placement=settings.placement) as server:
        results = {loop: run_on(loop, measure_all(server, settings)) for loop in settings.loops}
    return {"events": int(events), "loops": results}
