"""Shared fixtures: a fresh emulator per test and a client pointed at it.

They are the package's own pytest plugin (``bimpe_async.pytest_plugin``) under shorter
names, so these tests use it the way users do; ``@pytest.mark.bimpe(...)`` configures
the emulator. The client's retry middleware records its waits instead of sleeping, so
retry tests run at full speed and can assert the delays that would have been used.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bimpe_async import AsyncBimpeAI, pytest_plugin
from bimpe_async.middleware import RetryMiddleware
from bimpe_async.testing import Emulator, Quirks


def pytest_configure(config: pytest.Config) -> None:
    # Installed, the package registers its plugin through the pytest11 entry point;
    # from a source checkout (PYTHONPATH=.) it is registered here, under the same name.
    if not config.pluginmanager.has_plugin("bimpe_async"):
        config.pluginmanager.register(pytest_plugin, "bimpe_async")


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
def bimpe_emulator_options() -> dict[str, Any]:
    # Many tests here call the API the 0.1.0 way (an agent from a name alone): the
    # emulator accepts such bodies only with this quirk on.
    return {"quirks": Quirks(legacy_bodies=True)}


@pytest.fixture
def emulator(bimpe_emulator: Emulator) -> Emulator:
    return bimpe_emulator


@pytest.fixture
def client(bimpe_client: AsyncBimpeAI) -> AsyncBimpeAI:
    record_sleeps(bimpe_client)
    return bimpe_client


@pytest.fixture
def sleeps(client: AsyncBimpeAI) -> SleepRecorder:
    retry = client.middleware["retry"]
    assert isinstance(retry, RetryMiddleware)
    assert isinstance(retry.sleep, SleepRecorder)
    return retry.sleep
