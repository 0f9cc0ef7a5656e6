"""Shared fixtures: a fresh emulator per test and a client pointed at it.

The client's retry middleware records its waits instead of sleeping, so retry tests
run at full speed and can assert the delays that would have been used.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from bimpe_async import AsyncBimpeAI
from bimpe_async.middleware import RetryMiddleware
from bimpe_async.testing import Emulator, Quirks


class SleepRecorder:
    """A stand-in for ``asyncio.sleep`` that only records the requested delays."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def record_sleeps(client: AsyncBimpeAI) -> SleepRecorder:
    recorder = SleepRecorder()
    retry = client.middleware["retry"]
    assert isinstance(retry, RetryMiddleware)
    retry.sleep = recorder
    return recorder


async def wait_until(condition: Callable[[], bool], *, max_loop_turns: int = 100_000) -> None:
    """Yield to the event loop until ``condition`` holds; bounded, never sleeps."""
    for _ in range(max_loop_turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition not reached within the loop-turn bound")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    # Many tests here call the API the 0.1.0 way (an agent from a name alone): the
    # emulator accepts such bodies only with this quirk on.
    async with Emulator(quirks=Quirks(legacy_bodies=True)) as emu:
        yield emu


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AsyncBimpeAI]:
    async with AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as bimpe:
        record_sleeps(bimpe)
        yield bimpe


@pytest.fixture
def sleeps(client: AsyncBimpeAI) -> SleepRecorder:
    retry = client.middleware["retry"]
    assert isinstance(retry, RetryMiddleware)
    assert isinstance(retry.sleep, SleepRecorder)
    return retry.sleep
