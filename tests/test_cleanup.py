"""Nothing is left open after aclose(), a cancelled call or an error.

The suite runs with warnings as errors, so an unclosed aiohttp session or connector
(a ResourceWarning) fails the test that leaked it. These tests also look directly.
"""

from __future__ import annotations

import asyncio
import gc

import pytest

from bimpe_async import APITimeoutError, AsyncBimpeAI, NotFoundError
from bimpe_async.testing import Emulator

from .conftest import wait_until


def _client_tasks() -> set[asyncio.Task[object]]:
    """Live tasks, leaving out the emulator's own per-connection server tasks."""
    return {
        task
        for task in asyncio.all_tasks()
        if task is not asyncio.current_task()
        and not task.done()
        and task.get_coro().__qualname__ != "RequestHandler.start"  # type: ignore[union-attr]
    }


async def test_aclose_releases_session_and_connections(emulator: Emulator) -> None:
    before = _client_tasks()
    client = AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url)
    await asyncio.gather(*(client.agents.list() for _ in range(10)))
    session = client._session
    assert session is not None
    await client.aclose()
    assert session.closed
    assert session.connector is None or session.connector.closed
    gc.collect()
    assert _client_tasks() - before == set()


async def test_a_cancelled_call_leaves_no_connection_behind(emulator: Emulator) -> None:
    emulator.faults.delay_next(1, seconds=30)
    async with AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client:
        call = asyncio.create_task(client.agents.list())
        await wait_until(lambda: len(emulator.faults) == 0)  # the server holds it now
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        session = client._session
        assert session is not None
        assert session.connector is not None
        assert not session.connector._acquired  # no connection still checked out
        page = await client.agents.list()  # the client is still usable
        assert page.data == []


async def test_errors_and_timeouts_leave_no_connection_behind(emulator: Emulator) -> None:
    emulator.faults.delay_next(1, seconds=30)
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, timeout=0.05, max_retries=0
    ) as client:
        with pytest.raises(APITimeoutError):
            await client.agents.list()
        with pytest.raises(NotFoundError):
            await client.agents.retrieve("missing")
        session = client._session
        assert session is not None
        assert session.connector is not None
        assert not session.connector._acquired
