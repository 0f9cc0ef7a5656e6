"""Follow many conversations' live message streams at once, and shut down cleanly.

``python examples/stream_consumer.py`` follows the 40 most recently active
conversations and prints each new message. With ``BIMPEAI_API_KEY`` set it follows
your account until Ctrl-C or SIGTERM; without it, an embedded emulator with demo
data, where a few simulated customers write in and the demo stops by itself.

The shape to copy:

- **One task per conversation**, all on one shared client. Each stream reconnects by
  itself (fresh ticket, resuming after the last message it handed out), so a task
  only ends when its stream fails for good (retries spent, 404, ...) or its handler
  raises: that is logged and the other conversations carry on.
- **A pool big enough for the streams.** Each open stream holds one connection for
  as long as it is followed, and aiohttp's default pool has 100, shared with the
  client's other calls (stream tickets included). So the client gets a session sized
  for the streams it follows, plus room for calls.
- **Positions to resume from.** ``last_seen`` holds, per conversation, the id of the
  last message whose handler finished. Store it, and pass it as ``after=`` on the next
  start to pick up exactly where this run stopped.
- **Clean shutdown.** ``stop()`` lets a handler that is running finish (and record
  its position), cancels the streams that are waiting for a message (which closes
  their connections at once), and returns when every task is done.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
from collections.abc import Awaitable, Callable

import aiohttp

from bimpe_async import AsyncBimpeAI, StreamMessageEvent
from bimpe_async.testing import Emulator

logger = logging.getLogger("stream_consumer")

MessageHandler = Callable[[str, StreamMessageEvent], Awaitable[None]]
"""``handle(agent_id, message)``; it may be called again for a message after a restart
(when it was interrupted before it finished), so make it idempotent."""

FOLLOWED = 40


class StreamConsumer:
    """Follows conversations' live streams, one task each, until ``stop()``."""

    def __init__(self, client: AsyncBimpeAI, handle: MessageHandler) -> None:
        self.client = client
        self.handle = handle
        self.last_seen: dict[str, str] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._handling: set[str] = set()
        self._stopping = False

    @property
    def following(self) -> int:
        return len(self._tasks)

    def follow(self, agent_id: str, conversation_id: str, *, after: str | None = None) -> None:
        """Start following a conversation after message id (or timestamp) ``after``."""
        if self._stopping:
            raise RuntimeError("this consumer is stopping")
        if conversation_id not in self._tasks:
            task = asyncio.create_task(self._follow(agent_id, conversation_id, after))
            self._tasks[conversation_id] = task
            task.add_done_callback(lambda _: self._tasks.pop(conversation_id, None))

    async def stop(self) -> None:
        """Stop following everything; returns when every stream is closed."""
        self._stopping = True
        tasks = dict(self._tasks)
        for conversation_id, task in tasks.items():
            if conversation_id not in self._handling:
                task.cancel()  # waiting for a message: nothing is lost by stopping now
        await asyncio.gather(*tasks.values(), return_exceptions=True)

    async def _follow(self, agent_id: str, conversation_id: str, after: str | None) -> None:
        stream = self.client.conversations.messages.stream(agent_id, conversation_id, after=after)
        try:
            async with stream as live:
                async for message in live:
                    self._handling.add(conversation_id)
                    try:
                        await self.handle(agent_id, message)
                    finally:
                        self._handling.discard(conversation_id)
                    self.last_seen[conversation_id] = message.id
                    if self._stopping:
                        break
        except Exception:  # the stream failed for good, or the handler did
            logger.exception("stopped following %s", conversation_id)


async def recently_active(client: AsyncBimpeAI, count: int) -> list[tuple[str, str, str]]:
    """Up to ``count`` (agent id, conversation id, last message time), most recent first."""
    found: list[tuple[str, str, str]] = []
    async for agent in await client.agents.list(limit=100):
        page = await client.conversations.list(agent.id, sort="-last_message_at", limit=count)
        found += [(agent.id, c.id, c.last_message_at or c.created_at) for c in page.data]
    found.sort(key=lambda item: item[2], reverse=True)
    return found[:count]


async def print_message(agent_id: str, message: StreamMessageEvent) -> None:
    print(f"{message.conversation_id} {message.role:>9}: {message.message}")


async def consume(client: AsyncBimpeAI, consumer: StreamConsumer, stop: asyncio.Event) -> None:
    """Follow the most recently active conversations, from now on, until ``stop`` is set."""
    for agent_id, conversation_id, last_message_at in await recently_active(client, FOLLOWED):
        # A timestamp as `after` starts with what comes next, skipping the history.
        consumer.follow(agent_id, conversation_id, after=last_message_at)
    print(f"following {consumer.following} conversations")
    try:
        await stop.wait()
    finally:
        await consumer.stop()
    print(f"stopped; positions to resume from: {len(consumer.last_seen)} conversations")


def session_for_streams(streams: int) -> aiohttp.ClientSession:
    """A session with a connection for every stream, and 20 more for the other calls."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=streams + 20))


async def follow_your_account() -> None:
    """Until Ctrl-C or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        async with (
            session_for_streams(FOLLOWED) as session,
            AsyncBimpeAI.from_env(http_client=session) as client,
        ):
            await consume(client, StreamConsumer(client, print_message), stop)
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signal_number)


async def demo(emulator: Emulator, customer_messages: int = 10) -> None:
    """Simulated customers write in; stops once their messages were all printed."""
    stop = asyncio.Event()
    printed = 0

    async def handle(agent_id: str, message: StreamMessageEvent) -> None:
        nonlocal printed
        await print_message(agent_id, message)
        printed += 1
        if printed == customer_messages:
            stop.set()

    async with (
        session_for_streams(FOLLOWED) as session,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, http_client=session) as client,
    ):
        consuming = asyncio.create_task(consume(client, StreamConsumer(client, handle), stop))
        # Whether a stream is connected yet or not does not matter: each one starts
        # after its conversation's last message time, so it replays what it missed.
        customers = random.Random(7).sample(await recently_active(client, FOLLOWED), k=3)
        for number in range(customer_messages):
            agent_id, conversation_id, _ = customers[number % len(customers)]
            text = f"customer message {number + 1}"
            await client.conversations.messages.send(agent_id, conversation_id, message=text)
        await consuming


async def main() -> None:
    if os.environ.get("BIMPEAI_API_KEY"):
        await follow_your_account()
    else:
        async with Emulator(seed=True) as emulator:
            await demo(emulator)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
