"""The middleware test kit: what it records, what it replays, and how it fails."""

from __future__ import annotations

import asyncio

import pytest

from bimpe_async import (
    APIConnectionError,
    APIError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    Request,
    Response,
    ValidationError,
)
from bimpe_async.middleware import Chain, Handler
from bimpe_async.middleware.testkit import (
    BASE_URL,
    MiddlewareHarness,
    after,
    fail,
    make_request,
    respond,
)

from .conftest import wait_until


async def passthrough(request: Request, call_next: Handler) -> Response:
    return await call_next(request)


def test_make_request_builds_what_the_client_would() -> None:
    request = make_request(
        "POST",
        "/agents?limit=5",
        body=b"{}",
        headers={"x-custom": "1"},
        max_retries=0,
        timeout=None,
        idempotency_key="k",
    )
    assert request.url == BASE_URL + "/agents?limit=5"
    assert request.path == "/agents?limit=5"
    assert request.headers["X-Custom"] == "1"  # case-insensitive, like the client's
    assert request.body == b"{}"
    assert request.is_write
    assert request.attempt == 1
    options = request.options
    assert (options.max_retries, options.timeout, options.idempotency_key) == (0, None, "k")
    default = make_request()
    assert (default.method, default.path, default.options.max_retries) == ("GET", "/agents", 2)
    assert default.options.timeout == 30.0


async def test_respond_builds_a_response_for_the_request_it_answers() -> None:
    harness = MiddlewareHarness(
        passthrough, script=[respond(201, json={"data": 1}, headers={"X-Request-Id": "r1"})]
    )
    request = make_request("POST", "/agents")
    response = await harness.run(request)
    assert response.status == 201
    assert response.body == b'{"data":1}'
    assert response.headers["x-request-id"] == "r1"
    assert response.request is request
    assert response.request_id == "r1"


def test_respond_and_fail_refuse_the_other_kind_of_status() -> None:
    with pytest.raises(ValueError, match=r"fail\(404\)"):
        respond(404)
    with pytest.raises(ValueError, match=r"respond\(200\)"):
        fail(200)


@pytest.mark.parametrize(
    ("status", "code", "error_class"),
    [
        (400, None, BadRequestError),
        (400, "validation_error", ValidationError),
        (404, "not_found", NotFoundError),
        (422, None, APIError),
        (503, None, InternalServerError),
    ],
)
async def test_fail_raises_the_class_the_client_would(
    status: int, code: str | None, error_class: type[APIError]
) -> None:
    harness = MiddlewareHarness(passthrough, script=[fail(status, code, message="nope")])
    with pytest.raises(error_class) as caught:
        await harness.run(make_request(headers={"X-Request-Id": "req-1"}))
    assert type(caught.value) is error_class
    assert (caught.value.status, caught.value.code) == (status, code)
    assert caught.value.message == "nope"
    assert caught.value.request_id == "req-1"


async def test_fail_keeps_headers_so_429_carries_retry_after() -> None:
    harness = MiddlewareHarness(
        passthrough, script=[fail(429, headers={"Retry-After": "2", "X-RateLimit-Limit": "60"})]
    )
    with pytest.raises(RateLimitError) as caught:
        await harness.run()
    assert caught.value.retry_after == 2.0
    assert caught.value.limit == 60
    assert caught.value.headers["retry-after"] == "2"


async def test_script_plays_in_order_and_exceptions_are_raised_as_given() -> None:
    reset = APIConnectionError("reset")
    harness = MiddlewareHarness(passthrough, script=[reset, fail(500), respond(204)])
    with pytest.raises(APIConnectionError) as caught:
        await harness.run()
    assert caught.value is reset
    with pytest.raises(InternalServerError):
        await harness.run()
    assert (await harness.run()).status == 204
    assert len(harness.sent) == 3
    assert not harness.script


async def test_sent_is_a_snapshot_taken_when_the_request_arrived() -> None:
    async def rewrite(request: Request, call_next: Handler) -> Response:
        request.headers["X-Stage"] = "before"
        request.extensions["stage"] = "before"
        response = await call_next(request)
        request.headers["X-Stage"] = "after"
        request.extensions["stage"] = "after"
        request.attempt = 9
        request.options.timeout = 1.0
        return response

    harness = MiddlewareHarness(rewrite, script=[respond()])
    request = make_request("PUT", "/agents/a1", body=b"{}")
    await harness.run(request)
    [sent] = harness.sent
    assert sent.headers["x-stage"] == "before"
    assert sent.extensions == {"stage": "before"}
    assert sent.attempt == 1
    assert sent.options.timeout == 30.0
    assert (sent.method, sent.path, sent.url, sent.body) == (
        "PUT",
        "/agents/a1",
        BASE_URL + "/agents/a1",
        b"{}",
    )
    assert request.headers["X-Stage"] == "after"  # the live request did change


async def test_a_chain_runs_outermost_first() -> None:
    async def outer(request: Request, call_next: Handler) -> Response:
        request.headers.add("X-Order", "outer")
        return await call_next(request)

    async def inner(request: Request, call_next: Handler) -> Response:
        request.headers.add("X-Order", "inner")
        return await call_next(request)

    harness = MiddlewareHarness(Chain([outer, inner]), script=[respond()])
    await harness.run()
    assert harness.sent[0].headers.getall("X-Order") == ["outer", "inner"]


async def test_after_holds_the_request_until_the_gate_opens() -> None:
    gate = asyncio.Event()
    harness = MiddlewareHarness(passthrough, script=[after(gate, respond(202))])
    call = asyncio.create_task(harness.run())
    await wait_until(lambda: len(harness.sent) == 1)
    assert not call.done()
    gate.set()
    assert (await call).status == 202


async def test_steps_can_be_appended_between_runs() -> None:
    harness = MiddlewareHarness(passthrough)
    harness.script.append(respond(200))
    assert (await harness.run()).status == 200


async def test_calling_downstream_beyond_the_script_is_an_assertion_error() -> None:
    async def twice(request: Request, call_next: Handler) -> Response:
        await call_next(request)
        return await call_next(request)

    harness = MiddlewareHarness(twice, script=[respond()])
    with pytest.raises(AssertionError, match="called 2 times, but the script had 1 steps"):
        await harness.run()
