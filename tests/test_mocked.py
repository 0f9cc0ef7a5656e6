"""Fine-grained wire rules through aioresponses (run by the tox env ``mocked``).

aioresponses patches aiohttp below our chain, so every middleware still runs; it only
works with aiohttp < 3.14, hence its own environment.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest

from bimpe_async import (
    APIConnectionError,
    APIError,
    APINotImplementedError,
    APITimeoutError,
    AsyncBimpeAI,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
)

from .conftest import SleepRecorder, record_sleeps

aioresponses_module = pytest.importorskip("aioresponses")

pytestmark = pytest.mark.aioresponses

BASE = "https://api.example.test"
AGENTS = re.compile(r"^https://api\.example\.test/api/v1/console/agents(\?.*)?$")
OK_PAGE = {
    "message": "ok",
    "data": [],
    "meta": {
        "total_count": 0,
        "page_count": 0,
        "current_page": 1,
        "limit": 20,
        "has_next_page": False,
        "has_previous_page": False,
    },
}


@pytest.fixture
def mocked() -> Iterator[Any]:
    with aioresponses_module.aioresponses() as mock:
        yield mock


@pytest.fixture
async def api() -> AsyncIterator[AsyncBimpeAI]:
    async with AsyncBimpeAI("sk_test_mocked", base_url=BASE) as client:
        yield client


@pytest.fixture
def waits(api: AsyncBimpeAI) -> SleepRecorder:
    return record_sleeps(api)


@pytest.mark.parametrize(
    ("status", "code", "error_class"),
    [
        (400, "bad_request", BadRequestError),
        (400, "validation_error", ValidationError),
        (401, "api_key_missing", AuthenticationError),
        (403, "insufficient_scope", PermissionDeniedError),
        (404, "not_found", NotFoundError),
        (409, "conflict", ConflictError),
        (418, None, APIError),
        (429, "rate_limited", RateLimitError),
        (500, "internal_error", InternalServerError),
        (501, "not_implemented", APINotImplementedError),
        (503, None, InternalServerError),
    ],
)
async def test_status_maps_to_error_class(
    mocked: Any,
    api: AsyncBimpeAI,
    waits: SleepRecorder,
    status: int,
    code: str | None,
    error_class: type[APIError],
) -> None:
    body = {"message": "nope", "code": code, "request_id": "req-body"}
    mocked.get(AGENTS, status=status, payload=body, repeat=True)
    with pytest.raises(error_class) as caught:
        await api.agents.list()
    error = caught.value
    assert type(error) is error_class
    assert (error.status, error.code, error.message) == (status, code, "nope")
    assert error.request_id == "req-body"
    assert error.body == body


async def test_list_messages_become_field_errors_and_a_joined_message(
    mocked: Any, api: AsyncBimpeAI
) -> None:
    mocked.post(
        AGENTS,
        status=400,
        payload={
            "message": ["name: is required", "rules.0.trigger: too long", "no colon here"],
            "code": "validation_error",
        },
        headers={"x-request-id": "req-header"},
    )
    with pytest.raises(ValidationError) as caught:
        await api.agents.create(name="x")
    error = caught.value
    assert error.message == "name: is required; rules.0.trigger: too long; no colon here"
    assert error.field_errors == [
        {"path": "name", "message": "is required"},
        {"path": "rules.0.trigger", "message": "too long"},
        {"path": "", "message": "no colon here"},
    ]
    assert error.request_id == "req-header"  # the header wins over the body
    assert "req-header" in str(error)


@pytest.mark.parametrize("body", ["", "<html>bad gateway</html>", "[1]"])
async def test_an_error_without_a_json_envelope_says_http_status(
    mocked: Any, api: AsyncBimpeAI, body: str
) -> None:
    mocked.get(AGENTS, status=404, body=body)
    with pytest.raises(NotFoundError) as caught:
        await api.agents.list()
    assert caught.value.message == "HTTP 404"
    assert caught.value.code is None


async def test_rate_limit_headers_are_parsed_and_unparseable_ones_are_absent(
    mocked: Any, api: AsyncBimpeAI, waits: SleepRecorder
) -> None:
    mocked.get(
        AGENTS,
        status=429,
        payload={"message": "slow down", "code": "rate_limited"},
        headers={
            "Retry-After": "2",
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": "oops",
            "X-RateLimit-Reset": "1700000000",
        },
        repeat=True,
    )
    with pytest.raises(RateLimitError) as caught:
        await api.agents.list()
    error = caught.value
    assert (error.retry_after, error.limit, error.remaining, error.reset_at) == (
        2.0,
        100,
        None,
        1_700_000_000,
    )
    assert waits.delays == [2.0, 2.0]


async def test_rate_limit_snapshot_follows_ordinary_responses(
    mocked: Any, api: AsyncBimpeAI
) -> None:
    assert api.rate_limit is None
    mocked.get(
        AGENTS,
        payload=OK_PAGE,
        headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59"},
    )
    await api.agents.list()
    snapshot = api.rate_limit
    assert snapshot is not None
    assert (snapshot.limit, snapshot.remaining, snapshot.reset_at) == (60, 59, None)


async def test_timeouts_and_connection_errors_are_wrapped_and_retried(
    mocked: Any, api: AsyncBimpeAI, waits: SleepRecorder
) -> None:
    mocked.get(AGENTS, exception=asyncio.TimeoutError(), repeat=True)
    with pytest.raises(APITimeoutError) as timeout:
        await api.agents.list()
    assert isinstance(timeout.value.__cause__, asyncio.TimeoutError)
    assert len(waits.delays) == 2
    mocked.clear()
    mocked.get(AGENTS, exception=aiohttp.ClientConnectionError("reset"), repeat=True)
    with pytest.raises(APIConnectionError) as connection:
        await api.agents.list()
    assert not isinstance(connection.value, APITimeoutError)
    assert "reset" in str(connection.value)
    assert len(waits.delays) == 4


async def test_a_transient_failure_then_success(
    mocked: Any, api: AsyncBimpeAI, waits: SleepRecorder
) -> None:
    mocked.get(AGENTS, status=502, payload={"message": "bad gateway"})
    mocked.get(AGENTS, exception=aiohttp.ServerDisconnectedError())
    mocked.get(AGENTS, payload=OK_PAGE)
    page = await api.agents.list()
    assert page.data == []
    assert len(waits.delays) == 2


async def test_the_request_as_sent(mocked: Any, api: AsyncBimpeAI) -> None:
    mocked.post(
        AGENTS,
        payload={
            "message": "ok",
            "data": {"id": "ag_1", "name": "Ada", "created_at": "t", "updated_at": "t"},
        },
    )
    await api.agents.create(name="Ada", rules=[{"name": "r", "trigger": "t", "response": "x"}])
    ((key, calls),) = mocked.requests.items()
    method, url = key
    assert method == "POST"
    assert str(url) == f"{BASE}/api/v1/console/agents"
    sent = calls[0].kwargs
    assert sent["data"] == (b'{"name":"Ada","rules":[{"name":"r","trigger":"t","response":"x"}]}')
    assert sent["headers"]["Authorization"] == "Bearer sk_test_mocked"
    assert sent["headers"]["Content-Type"] == "application/json"
