"""Closing a busy client, and using a client from the wrong event loop.

The server here holds every request until the test lets it answer, so "in flight"
is a state the test controls, not a race it hopes to win.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bimpe_async import AsyncBimpeAI, UserError
from bimpe_async.errors import ClientClosedError
from bimpe_async.testing import Emulator

from ..conftest import SleepRecorder, wait_until
from .servers import Hostile

OK_PAGE = b'{"message": "ok", "data": [], "meta": null}'


class HeldServer:
    """Answers ``statuses`` in turn (then 200s), each only once ``release`` is set."""

    def __init__(self, *statuses: int) -> None:
        self.release = asyncio.Event()
        self.statuses = list(statuses)

    async def answer(self, request: web.Request) -> web.StreamResponse:
        await self.release.wait()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, body=OK_PAGE, content_type="application/json")


@pytest.fixture
async def held() -> AsyncIterator[tuple[HeldServer, Hostile]]:
    behaviour = HeldServer()
    async with Hostile(behaviour.answer) as server:
        yield behaviour, server


def _client_tasks() -> set[asyncio.Task[object]]:
    return {
        task
        for task in asyncio.all_tasks()
        if task is not asyncio.current_task()
        and not task.done()
        and task.get_coro().__qualname__ != "RequestHandler.start"  # type: ignore[union-attr]
    }


async def test_aclose_lets_the_calls_in_flight_finish(
    held: tuple[HeldServer, Hostile],
) -> None:
    behaviour, server = held
    before = _client_tasks()
    client = AsyncBimpeAI("sk_test", base_url=server.base_url)
    calls = [asyncio.create_task(client.agents.list()) for _ in range(100)]
    await wait_until(lambda: server.hits == 100)
    closing = asyncio.create_task(client.aclose())
    await wait_until(lambda: client._sessions.closed)
    with pytest.raises(UserError, match="closed"):
        await client.agents.list()  # a call after close sends nothing
    assert not closing.done()  # waiting for the hundred
    behaviour.release.set()
    pages = await asyncio.gather(*calls)
    await closing
    assert [page.data for page in pages] == [[]] * 100
    assert server.hits == 100
    assert client._session is None
    gc.collect()
    assert _client_tasks() - before == set()


async def test_a_retry_after_close_says_the_call_was_in_flight(
    held: tuple[HeldServer, Hostile],
) -> None:
    behaviour, server = held
    behaviour.statuses = [503]
    behaviour.release.set()
    gate = asyncio.Event()
    client = AsyncBimpeAI("sk_test", base_url=server.base_url)
    retry = client.middleware["retry"]

    async def gated_sleep(seconds: float) -> None:
        await gate.wait()

    retry.sleep = gated_sleep  # type: ignore[attr-defined]
    call = asyncio.create_task(client.agents.list())
    await wait_until(lambda: server.hits == 1 and not behaviour.statuses)
    await client.aclose()  # nothing is being exchanged: closes at once
    gate.set()
    with pytest.raises(ClientClosedError, match="in flight") as caught:
        await call
    assert "attempt 2" in str(caught.value)
    assert server.hits == 1  # not retried on the closed client


async def test_aclose_of_an_unused_client_and_twice_is_harmless() -> None:
    client = AsyncBimpeAI("sk_test")
    await client.aclose()
    await client.aclose()
    with pytest.raises(UserError, match="closed"):
        await client.agents.list()


def test_a_client_used_in_a_second_asyncio_run_is_a_clear_user_error() -> None:
    client = AsyncBimpeAI("sk_test", base_url="http://127.0.0.1:9")

    async def bind() -> None:
        client._get_session()  # the pool now belongs to this run's loop

    asyncio.run(bind())
    with pytest.raises(UserError, match="event loop that has since closed"):
        asyncio.run(client.agents.list())
    asyncio.run(client.aclose())  # closing from another loop still works once it is gone
    assert client._session is None


async def test_a_client_used_from_another_thread_is_a_clear_user_error() -> None:
    async with AsyncBimpeAI("sk_test", base_url="http://127.0.0.1:9") as client:
        client._get_session()

        def elsewhere() -> None:
            asyncio.run(client.agents.list())

        with pytest.raises(UserError, match="another event loop"):
            await asyncio.to_thread(elsewhere)

        def close_elsewhere() -> None:
            asyncio.run(client.aclose())

        with pytest.raises(UserError, match="one client per event loop"):
            await asyncio.to_thread(close_elsewhere)


async def test_a_callers_session_from_another_loop_is_a_clear_user_error() -> None:
    async with aiohttp.ClientSession() as session:

        def elsewhere() -> None:
            async def call() -> None:
                async with AsyncBimpeAI(
                    "sk_test", base_url="http://127.0.0.1:9", http_client=session
                ) as client:
                    await client.agents.list()

            asyncio.run(call())

        with pytest.raises(UserError, match="http_client belongs to another event loop"):
            await asyncio.to_thread(elsewhere)
        assert not session.closed


async def test_closing_the_client_ends_an_open_stream_with_a_clear_error(
    emulator: Emulator,
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
    agent_id = next(iter(emulator.state.agents))
    conversation_id = next(iter(emulator.state.conversations[agent_id]))
    client = AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url)
    stream = client.conversations.messages.stream(agent_id, conversation_id, after="1970-01-01")
    stream.sleep = SleepRecorder()
    async with stream:
        await stream.__anext__()  # the earlier message: the connection is open
        waiting = asyncio.create_task(stream.__anext__())
        await wait_until(lambda: stream._busy)  # blocked reading the open connection
        await client.aclose()
        with pytest.raises(UserError, match="closed"):
            await waiting
