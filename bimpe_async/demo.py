"""A short tour against the embedded emulator: ``python -m bimpe_async.demo``.

It starts the emulator on loopback, then uses the client the way a service would:
create agents from a workflow, page through them, survive a flaky server on a write
without creating anything twice, talk in a conversation and follow it live, then put
an agent live, pause its AI in a conversation and make a test call.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from . import AsyncBimpeAI, NotFoundError
from .testing import Emulator


async def run(out: TextIO = sys.stdout) -> None:
    def say(line: str = "") -> None:
        print(line, file=out)

    async with (
        Emulator() as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client,
    ):
        say(f"emulator listening on {emulator.base_url}")
        say(f"client: {client!r}")
        say(f"middleware: {client.middleware!r}")

        say("\n1. create a workflow, then five agents from it")
        workflow = await client.workflows.create(
            name="Order support", system_prompt="Answer questions about orders, briefly."
        )
        say(f"   workflow {workflow.id}  {workflow.name}")
        ours = set()
        for name in ("Ada", "Grace", "Edsger", "Barbara", "Donald"):
            agent = await client.agents.create(
                workflow_id=workflow.id, name=name, description=f"{name}'s helper"
            )
            ours.add(agent.id)
            say(f"   created {agent.id}  {agent.name}")

        say("\n2. page through them, two per page, sorted by name")
        first = await client.agents.list(limit=2, sort="name")
        async for page in first.pages():
            assert page.meta is not None
            names = ", ".join(agent.name for agent in page.data)
            say(f"   page {page.meta.current_page}/{page.meta.page_count}: {names}")

        say("\n3. a write while the server fails twice with 503")
        emulator.faults.fail_next(2, status=503)
        before = len(emulator.requests)
        agent = await client.agents.create(
            workflow_id=workflow.id, name="Alan", description="Alan's helper"
        )
        ours.add(agent.id)
        attempts = emulator.requests[before:]
        for number, sent in enumerate(attempts, start=1):
            say(
                f"   attempt {number}: {sent.method} -> {sent.status}, "
                f"Idempotency-Key {sent.headers.get('idempotency-key')}"
            )
        total = sum([1 async for _ in await client.agents.list(limit=100)])
        say(f"   created {agent.id} once; the server now holds {total} agents")

        say("\n4. errors are typed")
        try:
            await client.agents.retrieve("ag_does_not_exist")
        except NotFoundError as error:
            say(f"   NotFoundError: {error}")

        say("\n5. a conversation round-trip (on an agent with seeded conversations)")
        emulator.seed(agents=1, workflows=0, conversations_per_agent=3, messages_per_conversation=2)
        support = next(a for a in await (await client.agents.list()).to_list() if a.id not in ours)
        conversation = (await client.conversations.list(support.id, limit=1)).data[0]
        reply = await client.conversations.messages.send(
            support.id, conversation.id, message="Is my order on its way?"
        )
        history = await (
            await client.conversations.messages.list(support.id, conversation.id)
        ).to_list()
        for message in history:
            say(f"   {message.role:>9}: {message.message}")
        refreshed = await client.conversations.retrieve(support.id, conversation.id)
        say(f"   sent {reply.id}; conversation preview is now {refreshed.last_message_preview!r}")

        say("\n6. the live stream replays the history, surviving a cut after one event")
        emulator.faults.cut_stream_after(1)
        streamed = []
        async with client.conversations.messages.stream(support.id, conversation.id) as live:
            async for event in live:
                streamed.append(event)
                say(f"   streamed {event.id} ({event.role}): {event.message}")
                if len(streamed) == len(history):
                    break
        connections = sum(1 for sent in emulator.requests if sent.path.endswith("/stream"))
        say(f"   {len(streamed)} messages over {connections} connections, none lost or repeated")

        say("\n7. go live, pause the AI in the conversation, make a test call")
        live_status = await client.agents.update_live_status(support.id, status="live")
        say(f"   {support.name} is now {live_status.status}")
        paused = await client.conversations.set_ai_status(
            support.id, conversation.id, is_ai_chat_paused=True
        )
        say(f"   AI paused in {conversation.id}: {paused.is_ai_chat_paused}")
        dialled = await client.calls.make(
            support.id, {"destination": "+2348012345678", "is_test_call": True}
        )
        say(f"   test call {dialled.call_id}: {dialled.status}")
        if dialled.call_id is not None:
            call = await client.calls.retrieve(support.id, dialled.call_id)
            say(f"   call {call.id} to {call.destination} is {call.status}")

        snapshot = client.rate_limit
        if snapshot is not None:
            say(f"\n8. rate limit: {snapshot.remaining}/{snapshot.limit} left in this window")


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
