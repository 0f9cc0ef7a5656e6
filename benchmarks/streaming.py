"""Streaming: SSE messages parsed and decoded per CPU second, ours vs the peer's reader.

``sse_server`` (its own process and core) replays one large pre-rendered stream: N
message events with a heartbeat after every 100. Each reader takes a ticket, opens the
stream (``reconnect=False`` for the SDKs) and reads it to the end, counting the
messages it gets (heartbeats are consumed, never handed out). Readers:

- ``bimpe_async``: ``async for message in stream``, one message per step;
- ``bimpe_async batches``: ``async for batch in stream.batches()``, every message of
  one network read per step;
- ``floor``: raw aiohttp ``iter_any`` chunks fed to the SDK's own ``SSEParser`` and
  message events decoded with a plain msgspec decoder: no reconnect bookkeeping, no
  links, no async step per message; the least a reader built on the same parser can
  spend;
- ``peer``: ``async for message in stream`` of the ``bimpeai`` SDK.

Reported per reader: messages per CPU second of the client process and per wall
second, and how many times this reader's CPU per message the peer spends (the
figure the goals are about).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from typing import Any

import aiohttp
import bimpeai
import msgspec

from bimpe_async import AsyncBimpeAI
from bimpe_async.models.common import Envelope
from bimpe_async.models.conversations import StreamMessageEvent, StreamTicket
from bimpe_async.streaming import SSEParser

from .loops import run_on
from .measure import Rounds, measured, rotated
from .servers import server_process
from .settings import Settings
from .sse_server import PREFIX

OURS = "bimpe_async"
OURS_BATCHES = "bimpe_async batches"
FLOOR = "floor: iter_any + SSEParser + msgspec"
PEER = "peer"
API_KEY = "sk_benchmark"
ROUNDS = 7
"""Reads of the whole stream by each reader; the report shows the median."""

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


async def ours_batches(base_url: str, agent_id: str, conversation_id: str) -> int:
    async with AsyncBimpeAI(API_KEY, base_url=base_url) as client:
        stream = client.conversations.messages.stream(agent_id, conversation_id, reconnect=False)
        count = 0
        async with stream.batches() as batches:
            async for batch in batches:
                count += len(batch)
        return count


async def floor(base_url: str, agent_id: str, conversation_id: str) -> int:
    url = base_url + PREFIX.format(agent_id=agent_id, conversation_id=conversation_id)
    ticket_decoder = msgspec.json.Decoder(Envelope[StreamTicket])
    decode = msgspec.json.Decoder(StreamMessageEvent).decode
    parser = SSEParser()
    count = 0
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bearer {API_KEY}"}
        async with session.post(url + "/stream-ticket", headers=headers) as response:
            ticket = ticket_decoder.decode(await response.read()).data.ticket
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        async with session.get(url + f"/stream?ticket={ticket}", headers=headers) as response:
            async for chunk in response.content.iter_any():
                for event in parser.feed(chunk):
                    if event.type == "message":
                        decode(event.data)
                        count += 1
    return count


async def peer(base_url: str, agent_id: str, conversation_id: str) -> int:
    async with bimpeai.AsyncBimpeAI(api_key=API_KEY, base_url=base_url) as client:
        messages = client.conversations.messages
        return await counted(messages.stream(agent_id, conversation_id, reconnect=False))


READERS: dict[str, Reader] = {OURS: ours, OURS_BATCHES: ours_batches, FLOOR: floor, PEER: peer}


async def measure_all(server: dict[str, Any], settings: Settings) -> dict[str, Any]:
    events = int(server["events"])
    where = (server["base_url"], server["agent_id"], server["conversation_id"])
    cpu, wall = Rounds(), Rounds()
    for round_number in range(settings.size(full=ROUNDS, quick=1)):
        cpu_costs, wall_costs = {}, {}
        for name in rotated(list(READERS), round_number):
            with measured(collect=not settings.quick) as clock:
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
            "peer_vs_this": asdict(cpu.ratio(PEER, name)),
        }
        for name in READERS
    }


def run(settings: Settings) -> dict[str, Any]:
    events = str(settings.size(full=50_000, quick=300))
    with server_process("sse_server", events, placement=settings.placement) as server:
        results = {loop: run_on(loop, measure_all(server, settings)) for loop in settings.loops}
    return {"events": int(events), "loops": results}
