"""A high-throughput worker: one shared client, bounded concurrency, graceful shutdown.

``python examples/worker.py`` sends a follow-up message to every webchat conversation
of every agent, up to 16 at a time. With ``BIMPEAI_API_KEY`` set it works on your
account (careful: it really sends); without it, on an embedded emulator holding demo
data. Ctrl-C or SIGTERM stops it taking new jobs and lets the calls in flight finish.

The shape to copy:

- **One client for the whole process**, shared by every task: it holds the connection
  pool, and its retries, rate limiting and idempotency work per call, across tasks.
- **Bounded concurrency**: a semaphore slot is taken before a job's task is created,
  so at most ``concurrency`` calls are in flight and a fast job source cannot pile up
  tasks in memory (the feeder waits for a free slot).
- **A job id as the idempotency key**: a job redone after a crash or a redeploy is
  performed once by the server, however many times it is sent.
- **Graceful shutdown**: ``stop()`` (from a signal handler) or cancelling ``run()``
  stops taking jobs, then waits for the jobs in flight; a second cancellation stops
  waiting.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bimpe_async import AsyncBimpeAI, BimpeAIError
from bimpe_async.testing import Emulator

logger = logging.getLogger("worker")


@dataclass(frozen=True)
class Job:
    """One message to send. ``id`` is yours and stable: it is the idempotency key."""

    id: str
    agent_id: str
    conversation_id: str
    text: str


@dataclass
class Summary:
    done: int = 0
    failed: int = 0


class Worker:
    """Runs jobs ``concurrency`` at a time on one shared client."""

    def __init__(self, client: AsyncBimpeAI, *, concurrency: int = 16) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency!r}")
        self.client = client
        self.summary = Summary()
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._feeder: asyncio.Task[None] | None = None

    async def run(self, jobs: AsyncIterable[Job]) -> Summary:
        """Run ``jobs`` until they run out or ``stop()``; jobs in flight always finish."""
        self._feeder = feeder = asyncio.create_task(self._feed(jobs))
        try:
            await asyncio.wait([feeder])  # unlike `await feeder`, fine with a cancelled one
        finally:
            # Also when run() is cancelled: stop feeding, then let the calls finish.
            feeder.cancel()
            await asyncio.wait([feeder, *self._in_flight])
        if not feeder.cancelled() and (error := feeder.exception()) is not None:
            raise error  # the job source failed
        return self.summary

    def stop(self) -> None:
        """Take no more jobs; ``run()`` returns once the jobs in flight are done."""
        if self._feeder is not None:
            self._feeder.cancel()

    async def _feed(self, jobs: AsyncIterable[Job]) -> None:
        async for job in jobs:
            await self._slots.acquire()
            task = asyncio.create_task(self._process(job))
            self._in_flight.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._slots.release()

    async def _process(self, job: Job) -> None:
        try:
            await self.client.conversations.messages.send(
                job.agent_id, job.conversation_id, message=job.text, idempotency_key=job.id
            )
        except BimpeAIError as error:  # retries are spent; record it and go on
            self.summary.failed += 1
            logger.warning("job %s failed: %s", job.id, error)
        else:
            self.summary.done += 1


async def follow_ups(client: AsyncBimpeAI) -> AsyncIterator[Job]:
    """A job per webchat conversation of every agent, fetched page by page as needed."""
    async for agent in await client.agents.list(limit=100):
        conversations = await client.conversations.list(agent.id, channel="webchat", limit=100)
        async for conversation in conversations:
            yield Job(
                id=f"follow-up-2026-11-{conversation.id}",
                agent_id=agent.id,
                conversation_id=conversation.id,
                text="Is there anything else we can help you with?",
            )


@asynccontextmanager
async def connect() -> AsyncIterator[AsyncBimpeAI]:
    """The real API when BIMPEAI_API_KEY is set, else an embedded emulator with demo data."""
    if os.environ.get("BIMPEAI_API_KEY"):
        async with AsyncBimpeAI.from_env() as client:
            yield client
        return
    async with (
        Emulator(seed=True) as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client,
    ):
        yield client


async def main() -> None:
    async with connect() as client:
        worker = Worker(client, concurrency=16)
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, worker.stop)
        started = time.perf_counter()
        try:
            summary = await worker.run(follow_ups(client))
        finally:
            for signal_number in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signal_number)
        seconds = time.perf_counter() - started
    rate = summary.done / seconds if seconds else 0.0
    print(f"sent {summary.done}, failed {summary.failed} in {seconds:.1f} s ({rate:.0f}/s)")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
