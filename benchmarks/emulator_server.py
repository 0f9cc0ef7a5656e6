"""The embedded emulator as a separate process, seeded with one long conversation.

``python -m benchmarks.emulator_server MESSAGES LATENCY_MS`` serves a conversation of
MESSAGES messages through the real emulator (search, sort, pagination, envelopes: a
realistic server), holding every request LATENCY_MS milliseconds first, like a network
round trip would. It prints the base URL, key and ids for the pagination walk.
"""

from __future__ import annotations

import asyncio
import sys

from bimpe_async.testing import Emulator

from .servers import announce

EVERY_REQUEST = 10**9


async def serve(messages: int, latency: float) -> None:
    emulator = Emulator()
    emulator.seed(
        agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=messages
    )
    agent_id = next(iter(emulator.state.agents))
    conversation_id = next(iter(emulator.state.conversations[agent_id]))
    if latency > 0:
        emulator.faults.delay_next(EVERY_REQUEST, latency)
    async with emulator:
        announce(
            {
                "base_url": emulator.base_url,
                "api_key": emulator.api_key,
                "agent_id": agent_id,
                "conversation_id": conversation_id,
            }
        )
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), float(sys.argv[2]) / 1000))
