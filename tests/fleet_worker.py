"""One process of a test fleet: ``python -m tests.fleet_worker`` (see ``tests/fleet.py``).

It reads one JSON command per line on stdin, builds a client as the command says,
answers ``{"ready": true}``, waits for a ``go`` line (so that every process of the
fleet starts at once), makes its calls concurrently and answers with what happened:
outcomes by exception class, the slowest call, and the warnings logged. An empty
line or end of input ends it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from typing import Any

from bimpe_async import AsyncBimpeAI
from bimpe_async.middleware import Limiter, SharedRateLimit


class Warnings(logging.Handler):
    """Keeps the messages of the warnings the SDK logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def timed(call: Any) -> tuple[str, float]:
    """The call's outcome (``ok`` or its exception's class name) and its duration."""
    started = time.monotonic()
    try:
        await call
        outcome = "ok"
    except Exception as error:
        outcome = type(error).__name__
    return outcome, time.monotonic() - started


async def run(command: dict[str, Any]) -> dict[str, Any]:
    shared = command.get("shared")
    limiter: Limiter | None = None if shared is None else SharedRateLimit(**shared)
    warnings = Warnings()
    logging.getLogger("bimpe_async").addHandler(warnings)
    async with AsyncBimpeAI(
        command["api_key"],
        base_url=command["base_url"],
        max_retries=0,
        timeout=command["timeout"],
        rate_limit=limiter,
        adaptive_rate_limit=limiter is not None,
    ) as client:
        print(json.dumps({"ready": True}), flush=True)
        sys.stdin.readline()
        started = time.monotonic()
        results = await asyncio.gather(
            *(timed(client.agents.list()) for _ in range(command["calls"]))
        )
        seconds = time.monotonic() - started
    logging.getLogger("bimpe_async").removeHandler(warnings)
    outcomes: dict[str, int] = {}
    for outcome, _ in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return {
        "outcomes": outcomes,
        "slowest": max(duration for _, duration in results),
        "seconds": seconds,
        "warnings": warnings.messages,
    }


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            return
        print(json.dumps(asyncio.run(run(json.loads(line)))), flush=True)


if __name__ == "__main__":
    main()
