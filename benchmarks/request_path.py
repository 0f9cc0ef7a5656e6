"""Request path: the client's CPU time per request, for GET list and POST create.

Against ``fixed_server`` (pre-encoded answers, its own process and core), at
concurrency 1, 64 and 512, four contenders make the same calls:

- ``bimpe_async``: our client as users get it, default middleware chain;
- ``bimpe_async, empty chain``: our client with no middleware at all, which shows what
  the chain costs;
- ``floor``: raw aiohttp plus msgspec decoding into the same models, no SDK: the least
  any aiohttp client can spend on the same exchange;
- ``peer``: the ``bimpeai`` SDK (httpx, pydantic) with its defaults.

The cost is process CPU time divided by requests, so neither the server nor the other
work on a shared machine is counted. Every contender keeps its client (and so its
connection pool) open for the whole run, is warmed up once per concurrency level, and
is measured in turn with the others; the median of the rounds is reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any

import aiohttp
import bimpeai
import msgspec

from bimpe_async import AsyncBimpeAI
from bimpe_async.middleware import Chain
from bimpe_async.models import Agent
from bimpe_async.models.common import Envelope

from .fixed_server import LIST_SIZE
from .loops import run_on
from .measure import Rounds, measured, rotated
from .servers import server_process
from .settings import Settings

Operation = Callable[[], Awaitable[object]]
Operations = dict[str, Operation]
Contender = Callable[[str], AbstractAsyncContextManager[Operations]]

GET_LIST = "GET list"
POST_CREATE = "POST create"
OURS = "bimpe_async"
OURS_EMPTY = "bimpe_async, empty chain"
FLOOR = "floor: aiohttp + msgspec"
PEER = "peer"

API_KEY = "sk_benchmark"
PREFIX = "/api/v1/console"
NAME = "Benchmark agent"
DESCRIPTION = "Made by the request-path benchmark."
WORKFLOW_ID = "wf_0000000000000001"

TARGET_CPU = 0.25
"""CPU seconds one measurement aims for in a full run."""
MAX_WAVES = 2000


def our_operations(client: AsyncBimpeAI) -> Operations:
    return {
        GET_LIST: partial(client.agents.list, limit=LIST_SIZE),
        POST_CREATE: partial(
            client.agents.create,
            name=NAME,
            description=DESCRIPTION,
            agent_workflow_id=WORKFLOW_ID,
        ),
    }


@asynccontextmanager
async def ours(base_url: str) -> AsyncIterator[Operations]:
    async with AsyncBimpeAI(API_KEY, base_url=base_url) as client:
        yield our_operations(client)


@asynccontextmanager
async def ours_empty_chain(base_url: str) -> AsyncIterator[Operations]:
    # A complete Chain replaces the built-in one: this client runs no middleware at all.
    async with AsyncBimpeAI(API_KEY, base_url=base_url, middleware=Chain([])) as client:
        yield our_operations(client)


@asynccontextmanager
async def floor(base_url: str) -> AsyncIterator[Operations]:
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
    list_decoder = msgspec.json.Decoder(Envelope[list[Agent]])
    one_decoder = msgspec.json.Decoder(Envelope[Agent])
    new_agent = msgspec.json.encode(
        {"name": NAME, "description": DESCRIPTION, "agent_workflow_id": WORKFLOW_ID}
    )
    async with aiohttp.ClientSession() as session:

        async def exchange(
            method: str,
            url: str,
            body: bytes | None,
            decoder: msgspec.json.Decoder[Any],
            headers: dict[str, str],
        ) -> object:
            async with session.request(method, url, data=body, headers=headers) as response:
                content = await response.read()
                if response.status >= 300:
                    raise RuntimeError(f"{method} {url} answered {response.status}")
            return decoder.decode(content).data

        yield {
            GET_LIST: partial(
                exchange,
                "GET",
                f"{base_url}{PREFIX}/agents?page=1&limit={LIST_SIZE}",
                None,
                list_decoder,
                headers,
            ),
            POST_CREATE: partial(
                exchange,
                "POST",
                f"{base_url}{PREFIX}/agents",
                new_agent,
                one_decoder,
                {**headers, "Content-Type": "application/json"},
            ),
        }


@asynccontextmanager
async def peer(base_url: str) -> AsyncIterator[Operations]:
    async with bimpeai.AsyncBimpeAI(api_key=API_KEY, base_url=base_url) as client:
        yield {
            GET_LIST: partial(client.agents.list, limit=LIST_SIZE),
            POST_CREATE: partial(
                client.agents.create, name=NAME, description=DESCRIPTION, workflow_id=WORKFLOW_ID
            ),
        }


CONTENDERS: dict[str, Contender] = {
    OURS: ours,
    OURS_EMPTY: ours_empty_chain,
    FLOOR: floor,
    PEER: peer,
}


async def cpu_per_request(operation: Operation, concurrency: int, waves: int) -> float:
    """CPU seconds per request: ``concurrency`` callers, each making ``waves`` requests."""

    async def caller() -> None:
        for _ in range(waves):
            await operation()

    with measured() as clock:
        await asyncio.gather(*(caller() for _ in range(concurrency)))
    return clock.cpu / (waves * concurrency)


async def calibrated_waves(operation: Operation, concurrency: int, settings: Settings) -> int:
    """Warm the pool up, then pick how many waves make one measurement long enough.

    A cheap contender makes more requests than an expensive one, so each measurement
    costs about ``TARGET_CPU`` seconds whatever the contender.
    """
    seconds = await cpu_per_request(operation, concurrency, 1)
    if settings.quick:
        return 1
    return max(1, min(MAX_WAVES, round(TARGET_CPU / (seconds * concurrency))))


async def measure_all(base_url: str, settings: Settings) -> dict[str, Any]:
    levels = (1, 64) if settings.quick else (1, 64, 512)
    async with AsyncExitStack() as stack:
        operations = {
            name: await stack.enter_async_context(contender(base_url))
            for name, contender in CONTENDERS.items()
        }
        cells = [(op, level) for op in (GET_LIST, POST_CREATE) for level in levels]
        waves = {
            (op, level, name): await calibrated_waves(calls[op], level, settings)
            for op, level in cells
            for name, calls in operations.items()
        }
        rounds = {cell: Rounds() for cell in cells}
        for round_number in range(settings.size(full=5, quick=1)):
            for (op, level), cell_rounds in rounds.items():
                costs = {}
                for name in rotated(list(operations), round_number):
                    operation = operations[name][op]
                    costs[name] = await cpu_per_request(operation, level, waves[op, level, name])
                cell_rounds.add(costs)
    results: dict[str, Any] = {}
    for (op, level), cell_rounds in rounds.items():
        results.setdefault(op, {})[str(level)] = {
            name: {
                "cpu_us_per_request": cell_rounds.median(name) * 1e6,
                "times_floor": cell_rounds.times(name, FLOOR),
                "times_ours": cell_rounds.times(name, OURS),
            }
            for name in operations
        }
    return results


def run(settings: Settings) -> dict[str, Any]:
    with server_process("fixed_server", placement=settings.placement) as server:
        base_url = server["base_url"]
        return {loop: run_on(loop, measure_all(base_url, settings)) for loop in settings.loops}
