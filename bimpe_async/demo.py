"""A short tour against the embedded emulator: ``python -m bimpe_async.demo``.

It starts the emulator on loopback, then uses the client the way a service would:
create agents, page through them, and survive a flaky server on a write without
creating anything twice.
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

        say("\n1. create five agents")
        for name in ("Ada", "Grace", "Edsger", "Barbara", "Donald"):
            agent = await client.agents.create(name=name, description=f"{name}'s helper")
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
        agent = await client.agents.create(name="Alan")
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

        detail = await client.agents.retrieve(agent.id)
        say(f"\n5. retrieve {detail.id}: status={detail.status}, channels={len(detail.channels)}")
        snapshot = client.rate_limit
        if snapshot is not None:
            say(f"   rate limit: {snapshot.remaining}/{snapshot.limit} left in this window")


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
