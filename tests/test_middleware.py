"""The chain: order, names, user middleware, and the logging built-in."""

from __future__ import annotations

import logging

import pytest

from bimpe_async import AsyncBimpeAI, NotFoundError, Request, Response, UserError
from bimpe_async.middleware import Chain, Handler, mask_url
from bimpe_async.testing import Emulator


def test_default_order_is_the_documented_one() -> None:
    client = AsyncBimpeAI("sk_test")
    assert client.middleware.names == [
        "request_id",
        "idempotency",
        "auth",
        "retry",
        "rate_limit",
        "logging",
    ]
    assert repr(client.middleware) == (
        "Chain(request_id -> idempotency -> auth -> retry -> rate_limit -> logging)"
    )


def test_names_must_be_unique_and_known() -> None:
    async def tag(request: Request, call_next: Handler) -> Response:
        return await call_next(request)

    with pytest.raises(UserError, match="unique"):
        Chain([tag, tag])
    chain = Chain([tag])
    with pytest.raises(UserError, match=r"\['tag'\]"):
        chain["nope"]
    assert chain.without("tag").names == []


async def test_user_middleware_runs_innermost_once_per_attempt(emulator: Emulator) -> None:
    seen: list[tuple[int, str | None, str | None]] = []

    async def audit(request: Request, call_next: Handler) -> Response:
        headers = request.headers
        seen.append((request.attempt, headers.get("X-Request-Id"), headers.get("Authorization")))
        request.headers["X-Audit"] = "yes"
        response = await call_next(request)
        request.extensions["status"] = response.status
        return response

    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[audit]
    ) as client:
        from .conftest import record_sleeps

        record_sleeps(client)
        assert client.middleware.names[-1] == "audit"
        emulator.faults.fail_next(1, status=503)
        await client.agents.list()
    assert [attempt for attempt, _, _ in seen] == [1, 2]
    assert seen[0][1] == seen[1][1]  # one request id across attempts
    assert seen[0][2] == f"Bearer {emulator.api_key}"
    assert all(r.headers["x-audit"] == "yes" for r in emulator.requests)


async def test_a_middleware_can_short_circuit(emulator: Emulator) -> None:
    async def offline(request: Request, call_next: Handler) -> Response:
        raise NotFoundError("blocked by policy", status=404)

    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[offline]
    ) as client:
        with pytest.raises(NotFoundError, match="blocked by policy"):
            await client.agents.list()
    assert emulator.requests == []


def test_mask_url_hides_secret_query_values() -> None:
    assert mask_url("/x?ticket=abc&after=m_1") == "/x?ticket=***&after=m_1"
    assert mask_url("/x?a=1&api_key=sk_1&token=t") == "/x?a=1&api_key=***&token=***"
    assert mask_url("/agents?page=2") == "/agents?page=2"


async def test_one_debug_record_per_attempt_without_secrets(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    async with AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client:
        from .conftest import record_sleeps

        record_sleeps(client)
        emulator.faults.fail_next(1, status=500)
        with caplog.at_level(logging.DEBUG, logger="bimpe_async"):
            agent = await client.agents.create(name="Ada", idempotency_key="idem-1")
            with pytest.raises(NotFoundError):
                await client.agents.retrieve("missing")
    records = [r for r in caplog.records if hasattr(r, "bimpe_status")]
    assert [(r.bimpe_method, r.bimpe_status, r.bimpe_attempt) for r in records] == [  # type: ignore[attr-defined]
        ("POST", 500, 1),
        ("POST", 201, 2) if records[1].bimpe_status == 201 else ("POST", 200, 2),  # type: ignore[attr-defined]
        ("GET", 404, 1),
    ]
    assert records[0].bimpe_idempotency_key == "idem-1"  # type: ignore[attr-defined]
    assert records[0].bimpe_path == "/agents"  # type: ignore[attr-defined]
    assert all(r.bimpe_duration_ms >= 0 for r in records)  # type: ignore[attr-defined]
    assert agent.name == "Ada"
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__)
        assert emulator.api_key not in text
