"""Request path: the client's CPU time per request, for GET list and POST create.

Against ``fixed_server`` (pre-encoded answers, its own process and core), at
concurrency 1, 64 and 512, five contenders make the same calls:

- ``bimpe_async``: our client as users get it, default middleware chain;
- ``bimpe_async, empty chain``: our client with no middleware at all, which shows what
  the chain costs;
- ``floor``: raw aiohttp plus msgspec decoding into the same models, no SDK: the least
  any aiohttp client can spend on the same exchange;
- ``floor + 6 do-nothing middleware``: the floor behind six async middleware that only
  pass the request on (as many as our default chain has), bound the way our chain
  binds them: the least a client with such a chain can spend, and so the limit of
  what the SDK can reach while keeping one;
- ``peer``: the ``bimpeai`` SDK (httpx, pydantic) with its defaults.

Three operations: ``GET list`` (a page of 10 agents), ``POST create``, and ``GET list
(X-RateLimit-* sent)``, the same list from a server that adds the rate-limit headers
to every answer as the real API does, so that reading them is paid for too.

The cost is process CPU time divided by requests, so neither the server nor the other
work on a shared machine is counted. Every contender keeps its clients (and so their
connection pools) open for the whole run, is warmed up once per concurrency level, and
is measured in turn with the others; the median of the rounds is reported, with the
range of each ratio.

Within a round, a cell's measurements are interleaved: each contender's requests are
made in ``SLICES`` short runs, taken in turn with the other contenders' (the order
rotating from slice to slice), and its CPU time is the sum of its runs. The machine is
shared, and a slow spell of a few hundred milliseconds would otherwise land on one
contender's whole measurement; spread over slices, it hits all of them alike. (At
concurrency 1, the widest range of the floor behind six do-nothing middleware over the
six cells went from 0.58-1.59x the floor with one measurement per contender to
0.93-1.16x interleaved; at 64 and 512 the ranges stay wide.)
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import asdict
from functools import partial
from typing import Any, NamedTuple

import aiohttp
import bimpeai
import msgspec

from bimpe_async import AsyncBimpeAI
from bimpe_async.middleware import Chain
from bimpe_async.models import Agent, AgentCreateResponse
from bimpe_async.models.common import Envelope

from .fixed_server import LIST_SIZE, RATE_LIMITED
from .loops import run_on
from .measure import Rounds, measured, rotated, slice_share
from .servers import server_process
from .settings import Settings

Operation = Callable[[], Awaitable[object]]
Operations = dict[str, Operation]
Contender = Callable[[str], AbstractAsyncContextManager[Operations]]

GET_LIST = "GET list"
POST_CREATE = "POST create"
GET_LIST_RATE_LIMITED = "GET list (X-RateLimit-* sent)"
OPERATIONS = (GET_LIST, POST_CREATE, GET_LIST_RATE_LIMITED)

OURS = "bimpe_async"
OURS_EMPTY = "bimpe_async, empty chain"
FLOOR = "floor: aiohttp + msgspec"
FLOOR_MIDDLEWARE = "floor + 6 do-nothing middleware"
PEER = "peer"

MIDDLEWARE_LAYERS = 6
"""As many do-nothing middleware as our default chain has middleware."""

API_KEY = "sk_benchmark"
PREFIX = "/api/v1/console"
NAME = "Benchmark agent"
DESCRIPTION = "Made by the request-path benchmark."
WORKFLOW_ID = "wf_0000000000000001"

TARGET_CPU = 0.25
"""CPU seconds one measurement aims for in a full run."""
MAX_WAVES = 2000
ROUNDS = 7
"""Measurements of every cell: its median is what the report shows, so an odd round
on the shared machine moves it less."""
SLICES = 8
"""Short runs one measurement is made of, interleaved with the other contenders'."""


@asynccontextmanager
async def our_client(base_url: str, middleware: Chain | tuple[()]) -> AsyncIterator[Operations]:
    """Our client (``middleware`` as the client takes it: ``()`` keeps the default
    chain), and a second one for the server that sends rate-limit headers."""
    async with (
        AsyncBimpeAI(API_KEY, base_url=base_url, middleware=middleware) as client,
        AsyncBimpeAI(API_KEY, base_url=base_url + RATE_LIMITED, middleware=middleware) as limited,
    ):
        yield {
            GET_LIST: partial(client.agents.list, limit=LIST_SIZE),
            POST_CREATE: partial(
                client.agents.create,
                name=NAME,
                description=DESCRIPTION,
                workflow_id=WORKFLOW_ID,
            ),
            GET_LIST_RATE_LIMITED: partial(limited.agents.list, limit=LIST_SIZE),
        }


def ours(base_url: str) -> AbstractAsyncContextManager[Operations]:
    return our_client(base_url, ())


def ours_empty_chain(base_url: str) -> AbstractAsyncContextManager[Operations]:
    # A complete Chain replaces the built-in one: this client runs no middleware at all.
    return our_client(base_url, Chain([]))


class FloorRequest(NamedTuple):
    """What the floor sends: everything prepared once, nothing built per call."""

    method: str
    url: str
    body: bytes | None
    headers: dict[str, str]
    decoder: msgspec.json.Decoder[Any]


FloorHandler = Callable[[FloorRequest], Awaitable[object]]


async def do_nothing(request: FloorRequest, call_next: FloorHandler) -> object:
    """A middleware that only passes the request on: the least one can cost."""
    return await call_next(request)


def bound(call_next: FloorHandler) -> FloorHandler:
    """``do_nothing`` in front of ``call_next``, bound as our ``Chain`` binds middleware."""

    def handler(request: FloorRequest) -> Awaitable[object]:
        return do_nothing(request, call_next)

    return handler


@asynccontextmanager
async def raw_aiohttp(base_url: str, layers: int) -> AsyncIterator[Operations]:
    """The floor: one aiohttp session, typed msgspec decoding, ``layers`` do-nothing
    middleware in front."""
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
    list_decoder = msgspec.json.Decoder(Envelope[list[Agent]])
    one_decoder = msgspec.json.Decoder(Envelope[AgentCreateResponse])
    new_agent = msgspec.json.encode(
        {"name": NAME, "description": DESCRIPTION, "workflow_id": WORKFLOW_ID}
    )
    query = f"{PREFIX}/agents?page=1&limit={LIST_SIZE}"
    requests = {
        GET_LIST: FloorRequest("GET", base_url + query, None, headers, list_decoder),
        POST_CREATE: FloorRequest(
            "POST",
            f"{base_url}{PREFIX}/agents",
            new_agent,
            {**headers, "Content-Type": "application/json"},
            one_decoder,
        ),
        GET_LIST_RATE_LIMITED: FloorRequest(
            "GET", base_url + RATE_LIMITED + query, None, headers, list_decoder
        ),
    }
    async with aiohttp.ClientSession() as session:

        async def exchange(request: FloorRequest) -> object:
            async with session.request(
                request.method, request.url, data=request.body, headers=request.headers
            ) as response:
                content = await response.read()
                if response.status >= 300:
                    raise RuntimeError(f"{request.method} {request.url} got {response.status}")
            return request.decoder.decode(content).data

        handler: FloorHandler = exchange
        for _ in range(layers):
            handler = bound(handler)
        yield {op: partial(handler, request) for op, request in requests.items()}


def floor(base_url: str) -> AbstractAsyncContextManager[Operations]:
    return raw_aiohttp(base_url, 0)


def floor_middleware(base_url: str) -> AbstractAsyncContextManager[Operations]:
    return raw_aiohttp(base_url, MIDDLEWARE_LAYERS)


@asynccontextmanager
async def peer(base_url: str) -> AsyncIterator[Operations]:
    async with (
        bimpeai.AsyncBimpeAI(api_key=API_KEY, base_url=base_url) as client,
        bimpeai.AsyncBimpeAI(api_key=API_KEY, base_url=base_url + RATE_LIMITED) as limited,
    ):
        yield {
            GET_LIST: partial(client.agents.list, limit=LIST_SIZE),
            POST_CREATE: partial(
                client.agents.create, name=NAME, description=DESCRIPTION, workflow_id=WORKFLOW_ID
            ),
            GET_LIST_RATE_LIMITED: partial(limited.agents.list, limit=LIST_SIZE),
        }


CONTENDERS: dict[str, Contender] = {
    OURS: ours,
    OURS_EMPTY: ours_empty_chain,
    FLOOR: floor,
    FLOOR_MIDDLEWARE: floor_middleware,
    PEER: peer,
}


async def cpu_seconds(
    operation: Operation, concurrency: int, waves: int, *, collect: bool
) -> float:
    """CPU seconds ``concurrency`` callers spend making ``waves`` requests each."""

    async def caller() -> None:
        for _ in range(waves):
            await operation()

    with measured(collect=collect) as clock:
        await asyncio.gather(*(caller() for _ in range(concurrency)))
    return clock.cpu


async def cpu_per_request(
    operation: Operation, concurrency: int, waves: int, settings: Settings
) -> float:
    """CPU seconds per request: ``concurrency`` callers, each making ``waves`` requests."""
    seconds = await cpu_seconds(operation, concurrency, waves, collect=not settings.quick)
    return seconds / (waves * concurrency)


async def interleaved(
    operations: dict[str, Operation], concurrency: int, waves: dict[str, int], settings: Settings
) -> dict[str, float]:
    """CPU seconds per request of each contender, measured in interleaved slices.

    Each contender makes its ``waves`` in up to ``SLICES`` runs (``concurrency``
    callers each time), taken in turn with the others in an order that rotates from
    slice to slice; one full collection comes first, none between the runs.
    """
    slices = 1 if settings.quick else SLICES
    if not settings.quick:
        gc.collect()
    spent = dict.fromkeys(operations, 0.0)
    for number in range(slices):
        for name in rotated(list(operations), number):
            share = slice_share(waves[name], slices, number)
            if share:
                spent[name] += await cpu_seconds(
                    operations[name], concurrency, share, collect=False
                )
    return {name: spent[name] / (waves[name] * concurrency) for name in operations}


async def calibrated_waves(operation: Operation, concurrency: int, settings: Settings) -> int:
    """Warm the pool up, then pick how many waves make one measurement long enough.

    A cheap contender makes more requests than an expensive one, so each measurement
    costs about ``TARGET_CPU`` seconds whatever the contender.
    """
    seconds = await cpu_per_request(operation, concurrency, 1, settings)
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
        cells = [(op, level) for op in OPERATIONS for level in levels]
        waves = {
            (op, level, name): await calibrated_waves(calls[op], level, settings)
            for op, level in cells
            for name, calls in operations.items()
        }
        rounds = {cell: Rounds() for cell in cells}
        for round_number in range(settings.size(full=ROUNDS, quick=1)):
            for (op, level), cell_rounds in rounds.items():
                order = rotated(list(operations), round_number)
                costs = await interleaved(
                    {name: operations[name][op] for name in order},
                    level,
                    {name: waves[op, level, name] for name in order},
                    settings,
                )
                cell_rounds.add(costs)
    results: dict[str, Any] = {}
    for (op, level), cell_rounds in rounds.items():
        results.setdefault(op, {})[str(level)] = {
            name: {
                "cpu_us_per_request": cell_rounds.median(name) * 1e6,
                "times_floor": asdict(cell_rounds.ratio(name, FLOOR)),
                "times_ours": asdict(cell_rounds.ratio(name, OURS)),
            }
            for name in operations
        }
    return results


def run(settings: Settings) -> dict[str, Any]:
    with server_process("fixed_server", placement=settings.placement) as server:
        base_url = server["base_url"]
        return {loop: run_on(loop, measure_all(base_url, settings)) for loop in settings.loops}
