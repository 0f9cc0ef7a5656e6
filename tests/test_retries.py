"""Which failures are retried, how long the client waits, and what stays the same."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bimpe_async import (
    APIConnectionError,
    APIError,
    APINotImplementedError,
    APITimeoutError,
    AsyncBimpeAI,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from bimpe_async.middleware import Backoff
from bimpe_async.testing import Emulator

from .conftest import SleepRecorder, record_sleeps


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (408, APIError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
async def test_retryable_statuses_are_retried_up_to_max_retries(
    client: AsyncBimpeAI,
    emulator: Emulator,
    sleeps: SleepRecorder,
    status: int,
    error_class: type[APIError],
) -> None:
    emulator.faults.fail_next(3, status=status)
    with pytest.raises(error_class) as caught:
        await client.agents.list()
    assert caught.value.status == status
    assert len(emulator.requests) == 3  # the first attempt + 2 retries (default)
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, APIError),
        (501, APINotImplementedError),
    ],
)
async def test_other_statuses_are_never_retried(
    client: AsyncBimpeAI,
    emulator: Emulator,
    sleeps: SleepRecorder,
    status: int,
    error_class: type[APIError],
) -> None:
    emulator.faults.fail_next(1, status=status)
    with pytest.raises(error_class):
        await client.agents.create(name="x")
    assert len(emulator.requests) == 1
    assert sleeps.delays == []


async def test_three_503s_then_success_creates_exactly_one_agent(
    client: AsyncBimpeAI, emulator: Emulator, sleeps: SleepRecorder
) -> None:
    emulator.faults.fail_next(3, status=503)
    agent = await client.agents.create(name="Ada", max_retries=3)
    assert agent.name == "Ada"
    posts = [r for r in emulator.requests if r.method == "POST"]
    assert len(posts) == 4
    keys = {r.headers["idempotency-key"] for r in posts}
    request_ids = {r.headers["x-request-id"] for r in posts}
    assert len(keys) == 1
    assert len(request_ids) == 1
    page = await client.agents.list()
    assert [a.name for a in page.data] == ["Ada"]
    assert len(sleeps.delays) == 3


async def test_a_write_whose_response_was_lost_is_not_repeated(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    # The server performed the write, then the connection died before the answer:
    # the retry carries the same key and gets the original result back.
    emulator.faults.drop_next(1, after_handler=True)
    agent = await client.agents.create(name="Once")
    page = await client.agents.list()
    assert [a.id for a in page.data] == [agent.id]


async def test_connection_drops_are_retried_then_raised(
    client: AsyncBimpeAI, emulator: Emulator, sleeps: SleepRecorder
) -> None:
    # aiohttp itself re-sends an idempotent request once when a reused keep-alive
    # connection turns out dead, so more drops are queued than attempts are made.
    emulator.faults.drop_next(10)
    with pytest.raises(APIConnectionError) as caught:
        await client.agents.list()
    assert not isinstance(caught.value, APITimeoutError)
    assert 3 <= len(emulator.requests) <= 6
    assert all(r.status == 0 for r in emulator.requests)
    assert len(sleeps.delays) == 2


async def test_connection_refused_is_an_api_connection_error() -> None:
    async with Emulator() as emu:
        base_url = emu.base_url
    async with AsyncBimpeAI("sk_test", base_url=base_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError, match="GET /agents"):
            await client.agents.list()


async def test_a_slow_response_is_a_timeout_error(emulator: Emulator) -> None:
    emulator.faults.delay_next(1, seconds=5)
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, timeout=0.05, max_retries=0
    ) as client:
        with pytest.raises(APITimeoutError, match="timed out"):
            await client.agents.list()


async def test_per_call_max_retries_overrides_the_client(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    emulator.faults.fail_next(5, status=500)
    with pytest.raises(InternalServerError):
        await client.agents.create(name="x", max_retries=4)
    assert len(emulator.requests) == 5
    emulator.faults.clear()
    emulator.faults.fail_next(1, status=500)
    with pytest.raises(InternalServerError):
        await client.agents.create(name="y", max_retries=0)
    assert len(emulator.requests) == 6


async def test_retry_after_replaces_the_backoff_and_is_capped(
    client: AsyncBimpeAI, emulator: Emulator, sleeps: SleepRecorder
) -> None:
    emulator.faults.fail_next(1, status=429, headers={"Retry-After": "3"})
    emulator.faults.fail_next(1, status=429, headers={"Retry-After": "120"})
    await client.agents.list()
    assert sleeps.delays == [3.0, 8.0]


async def test_unparseable_retry_after_falls_back_to_backoff(
    client: AsyncBimpeAI, emulator: Emulator, sleeps: SleepRecorder
) -> None:
    emulator.faults.fail_next(1, status=429, headers={"Retry-After": "soon"})
    await client.agents.list()
    assert len(sleeps.delays) == 1
    assert 0.25 <= sleeps.delays[0] <= 0.5


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff()
    for retry_number, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        delays = [backoff.delay(retry_number, None) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered


@pytest.mark.bimpe(rate_limit=2, clock=lambda: 1_000_000.0)
async def test_rate_limit_error_carries_the_headers(emulator: Emulator) -> None:
    async with AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, max_retries=0) as client:
        await client.agents.list()
        await client.agents.list()
        snapshot = client.rate_limit
        assert snapshot is not None
        assert snapshot.limit == 2
        assert snapshot.remaining == 0
        with pytest.raises(RateLimitError) as caught:
            await client.agents.list()
    error = caught.value
    assert error.limit == 2
    assert error.remaining == 0
    assert error.reset_at is not None
    assert error.reset_at >= 1_000_000
    assert error.retry_after is not None
    assert error.retry_after >= 1
    assert error.code in ("rate_limited", "too_many_requests")


async def test_retries_are_logged(
    client: AsyncBimpeAI, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.faults.fail_next(1, status=503)
    with caplog.at_level(logging.INFO, logger="bimpe_async"):
        await client.agents.list()
    retries = [r for r in caplog.records if r.getMessage().startswith("retrying")]
    assert len(retries) == 1
    assert "InternalServerError" in retries[0].getMessage()


async def test_cancelling_during_backoff_stops_at_once(emulator: Emulator) -> None:
    emulator.faults.fail_next(1, status=503)
    async with AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client:
        waiting = asyncio.Event()

        async def blocked_sleep(seconds: float) -> None:
            waiting.set()
            await asyncio.Event().wait()

        record_sleeps(client)
        client.middleware["retry"].sleep = blocked_sleep  # type: ignore[attr-defined]
        call = asyncio.create_task(client.agents.list())
        await waiting.wait()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
    assert len(emulator.requests) == 1
