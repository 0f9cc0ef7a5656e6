"""Connection pools: streams never starve calls, and a full pool says so.

Calls share ``max_connections`` connections; message streams have a pool of their
own (``max_stream_connections``). A call that finds every connection busy waits for
one within its timeout and then fails with ``PoolTimeoutError``, which names the
pool, not the server. The few real waits are timeouts of 50 ms.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bimpe_async import APITimeoutError, AsyncBimpeAI, PoolTimeoutError
from bimpe_async._pool import Exchange, Slots, TrackingConnector, begin_exchange
from bimpe_async.streaming import MessageStream
from bimpe_async.testing import Emulator, Quirks

from ..conftest import SleepRecorder, wait_until
from .servers import Hostile

OK_PAGE = b'{"message": "ok", "data": [], "meta": null}'


@pytest.fixture
async def held() -> AsyncIterator[tuple[asyncio.Event, Hostile]]:
    """A server that answers every request only once the event is set."""
    release = asyncio.Event()

    async def answer(request: web.Request) -> web.StreamResponse:
        await release.wait()
        return web.Response(body=OK_PAGE, content_type="application/json")

    async with Hostile(answer) as server:
        yield release, server
        release.set()


def acquired(session: object) -> int:
    connector = getattr(session, "connector", None)
    return 0 if connector is None else len(connector._acquired)


async def test_open_streams_beyond_the_call_pool_never_starve_calls() -> None:
    async with Emulator(quirks=Quirks(legacy_bodies=True)) as emulator:
        emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
        agent_id = next(iter(emulator.state.agents))
        conversation_id = next(iter(emulator.state.conversations[agent_id]))
        async with AsyncBimpeAI(
            emulator.api_key,
            base_url=emulator.base_url,
            max_connections=2,
            max_stream_connections=5,
            timeout=5,
        ) as client:
            streams: list[MessageStream] = []
            for _ in range(5):  # more open streams than calls have connections
                stream = client.conversations.messages.stream(
                    agent_id, conversation_id, after="1970-01-01"
                )
                stream.sleep = SleepRecorder()
                await stream.__anext__()  # the stored message: the stream is open
                streams.append(stream)
            assert acquired(client._sessions.stream_session) == 5
            pages = await asyncio.gather(*(client.agents.list() for _ in range(10)))
            assert len(pages) == 10
            assert acquired(client._session) == 0  # calls used their own pool
            for stream in streams:
                await stream.aclose()


async def test_a_call_that_finds_the_pool_exhausted_says_so(
    held: tuple[asyncio.Event, Hostile],
) -> None:
    release, server = held
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, max_connections=1) as client:
        busy = asyncio.create_task(client.agents.list())
        await wait_until(lambda: server.hits == 1)
        with pytest.raises(PoolTimeoutError, match="connection pool was exhausted") as caught:
            await client.with_options(timeout=0.05).agents.list()
        assert "max_connections" in str(caught.value)
        assert server.hits == 1  # nothing was sent, and it was not retried
        release.set()
        assert (await busy).data == []
        await client.agents.list()  # the pool works again


async def test_a_slow_server_is_a_timeout_that_blames_the_server_not_the_pool(
    held: tuple[asyncio.Event, Hostile],
) -> None:
    _, server = held
    async with AsyncBimpeAI(
        "sk_test", base_url=server.base_url, max_connections=1, timeout=0.05, max_retries=0
    ) as client:
        with pytest.raises(APITimeoutError, match="waiting for the server's answer") as caught:
            await client.agents.list()
    assert type(caught.value) is APITimeoutError
    assert "pool" not in str(caught.value)


async def test_a_stream_that_finds_the_stream_pool_full_says_which_pool() -> None:
    async with Emulator(quirks=Quirks(legacy_bodies=True)) as emulator:
        emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
        agent_id = next(iter(emulator.state.agents))
        conversation_id = next(iter(emulator.state.conversations[agent_id]))
        async with AsyncBimpeAI(
            emulator.api_key,
            base_url=emulator.base_url,
            max_stream_connections=1,
            timeout=0.05,
        ) as client:
            messages = client.conversations.messages
            async with messages.stream(agent_id, conversation_id, after="1970-01-01") as first:
                await first.__anext__()
                second = messages.stream(agent_id, conversation_id, max_retries=0)
                with pytest.raises(APITimeoutError, match="max_stream_connections") as caught:
                    await second.__anext__()
                assert type(caught.value) is APITimeoutError
                await client.agents.list()  # calls are unaffected


async def test_calls_waiting_for_a_connection_are_served_in_arrival_order(
    held: tuple[asyncio.Event, Hostile],
) -> None:
    release, server = held
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, max_connections=1) as client:
        order: list[int] = []

        async def call(number: int) -> None:
            await client.agents.list()
            order.append(number)

        busy = asyncio.create_task(call(0))
        await wait_until(lambda: server.hits == 1)
        waiting = [asyncio.create_task(call(number)) for number in range(1, 5)]
        await wait_until(lambda: len(client._sessions._slots._waiters) == 4)  # type: ignore[union-attr]
        release.set()
        await asyncio.gather(busy, *waiting)
        assert order == [0, 1, 2, 3, 4]


async def test_a_call_cancelled_while_waiting_for_a_connection_takes_none_with_it(
    held: tuple[asyncio.Event, Hostile],
) -> None:
    release, server = held
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, max_connections=1) as client:
        busy = asyncio.create_task(client.agents.list())
        await wait_until(lambda: server.hits == 1)
        given_up = asyncio.create_task(client.agents.list())
        after = asyncio.create_task(client.agents.list())
        slots = client._sessions._slots
        assert slots is not None
        await wait_until(lambda: len(slots._waiters) == 2)
        given_up.cancel()
        release.set()
        await busy
        assert (await after).data == []
        with pytest.raises(asyncio.CancelledError):
            await given_up
        assert slots.free == 1  # the one slot is back, free
        assert not slots._waiters
        await client.agents.list()


async def test_a_connection_handed_to_a_waiter_cancelled_in_the_same_step_is_passed_on() -> None:
    slots = Slots(1)
    assert slots.take_now()
    first = asyncio.create_task(slots.take())
    second = asyncio.create_task(slots.take())
    await wait_until(lambda: len(slots._waiters) == 2)
    slots.give_back()  # handed to the first waiter...
    first.cancel()  # ...which is cancelled before it runs again
    with pytest.raises(asyncio.CancelledError):
        await first
    await second  # so the slot went on to the second
    assert slots.free == 0
    slots.give_back()
    assert slots.free == 1


async def test_a_task_reuses_its_exchange_record_and_a_child_task_never_shares_a_taken_one() -> (
    None
):
    async def in_own_task() -> None:
        first = begin_exchange()
        first.answered = True
        first.end()
        second = begin_exchange()  # the same record, blanked: nothing allocated
        assert second is first
        assert not second.answered
        # A task started now inherits the taken record, and must get its own.
        child = await asyncio.create_task(_begin())
        assert child is not second
        child.end()
        second.end()

    async def _begin() -> Exchange:
        return begin_exchange()

    await asyncio.create_task(in_own_task())


async def test_connections_the_server_closed_are_forgotten_as_new_ones_are_opened() -> None:
    async def closing(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=OK_PAGE, content_type="application/json", headers={"Connection": "close"}
        )

    async with (
        Hostile(closing) as server,
        AsyncBimpeAI("sk_test", base_url=server.base_url, max_connections=1) as client,
    ):
        for _ in range(7):  # a new connection each time: the server closes every one
            assert (await client.agents.list()).data == []
        connector = client._session.connector
        assert isinstance(connector, TrackingConnector)
        # Remembered until the next prune (at twice the pool's size), never more.
        assert len(connector._handed_out) <= 2
        assert server.hits == 7
