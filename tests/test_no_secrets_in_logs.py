"""A full run at DEBUG, every logger: the key and the stream tickets appear nowhere."""

from __future__ import annotations

import logging

import pytest

from bimpe_async import AsyncBimpeAI
from bimpe_async.testing import Emulator, Quirks

from .conftest import record_sleeps

API_KEY = "sk_live_do_not_log_me_123"


async def test_no_log_record_contains_the_key_or_a_ticket(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: ours, aiohttp's, asyncio's
    async with Emulator(
        api_key=API_KEY, heartbeat_interval=0.01, quirks=Quirks(legacy_bodies=True)
    ) as emulator:
        emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=3)
        async with AsyncBimpeAI(API_KEY, base_url=emulator.base_url) as client:
            record_sleeps(client)
            emulator.faults.fail_next(2, status=503)
            agent = await client.agents.create(name="Logged")
            await client.agents.update(agent.id, name="Logged 2", idempotency_key="k-1")
            seeded = (await client.agents.list(search="", sort="created_at")).data[0]
            conversation = (await client.conversations.list(seeded.id)).data[0]
            emulator.faults.cut_stream_after(2)
            stream = client.conversations.messages.stream(seeded.id, conversation.id)
            stream.sleep = record_sleeps(client)
            received = []
            async with stream as live:
                async for message in live:
                    received.append(message)
                    if len(received) == 3:
                        break
    assert len(received) == 3
    tickets = [r.query["ticket"] for r in emulator.requests if "ticket" in r.query]
    assert len(tickets) >= 2  # the cut forced a second connection with a new ticket
    messages = [record.getMessage() for record in caplog.records]
    assert sum("ticket=***" in message for message in messages) >= 2  # stream connections
    assert any(message.startswith("retrying POST /agents") for message in messages)
    for record in caplog.records:
        text = f"{record.getMessage()} {record.__dict__!r}"
        assert API_KEY not in text
        for ticket in tickets:
            assert ticket not in text
