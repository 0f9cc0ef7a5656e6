"""Hostile HTTP servers: error bodies that do not parse, bodies that never end, bombs.

Each server is a tiny ``aiohttp.web`` app on 127.0.0.1 port 0 that answers every
request the same way and counts them. Limits are set small (KiB, not GiB) so each test
moves a few MB at most; retry waits are recorded, not slept.
"""

from __future__ import annotations

import asyncio
import math
import zlib

import aiohttp
import pytest
from aiohttp import web

from bimpe_async import (
    APIConnectionError,
    APIError,
    AsyncBimpeAI,
    InternalServerError,
    Request,
    Response,
    UserError,
)
from bimpe_async._http import MAX_ERROR_BODY_BYTES
from bimpe_async.errors import ResponseTooLargeError, error_from_response
from bimpe_async.middleware import Handler

from ..conftest import record_sleeps
from .memory import traced_peak
from .servers import Answer, Hostile, Serve

AIOHTTP_VERSION = tuple(int(part) for part in aiohttp.__version__.split(".")[:2])
API_KEY = "sk_test_hostile"


def client_for(server: Hostile, **options: object) -> AsyncBimpeAI:
    client = AsyncBimpeAI(API_KEY, base_url=server.base_url, **options)  # type: ignore[arg-type]
    record_sleeps(client)
    return client


def status_with(status: int, body: bytes) -> Answer:
    async def answer(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, content_type="application/json")

    return answer


@pytest.mark.parametrize(
    "body",
    [
        b'{"message": "\xff\xfe broken utf-8", "code": "internal_error"}',
        b"\xff\xfe\xfd",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"message": ' * 100_000,
    ],
    ids=["invalid-utf8-in-json", "invalid-utf8", "nested-100k", "nested-unclosed"],
)
async def test_a_503_with_an_unparseable_body_is_retried_as_an_internal_server_error(
    serve: Serve, body: bytes
) -> None:
    server = await serve(status_with(503, body))
    async with client_for(server) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.agents.list()
    assert caught.value.status == 503
    assert caught.value.message == "HTTP 503"
    assert server.hits == 3  # the first attempt and two retries


def test_error_from_response_never_raises_on_odd_envelopes() -> None:
    deep = b'{"message": [' + b"[" * 500 + b"]" * 500 + b', "x"], "request_id": {"no": 1}}'
    error = error_from_response(400, {}, deep, "r1")
    assert error.request_id == "r1"  # a non-string request_id is ignored
    assert error.message.endswith("; x")
    assert len(error.message) < 200  # a nested entry is shown bounded


async def test_an_error_body_is_read_only_up_to_a_bounded_prefix(
    serve: Serve,
) -> None:
    server = await serve(streamed(500, KIBIBYTES_64, 64))  # 4 MiB
    async with client_for(server, max_retries=0) as client:
        with traced_peak() as peak, pytest.raises(InternalServerError) as caught:
            await client.agents.list()
    # 4 MiB sent; the client held a bounded prefix (the in-process server's 64 KiB
    # chunk and aiohttp's read buffer are in the peak too).
    assert peak.bytes < 8 * MAX_ERROR_BODY_BYTES
    assert caught.value.body_truncated
    assert caught.value.body == "x" * MAX_ERROR_BODY_BYTES
    assert caught.value.message == "HTTP 500"


async def test_a_small_error_body_is_not_marked_truncated(
    serve: Serve,
) -> None:
    body = b'{"message": "nope", "code": "conflict"}'
    server = await serve(status_with(409, body))
    async with client_for(server) as client:
        with pytest.raises(APIError) as caught:
            await client.agents.list()
    assert not caught.value.body_truncated
    assert caught.value.body == {"message": "nope", "code": "conflict"}


KIBIBYTES_64 = b"x" * (64 * 1024)
MEBIBYTE = b" " * (1024 * 1024)
"""Chunks the servers send, built once here so that a traced peak counts the client."""


def streamed(status: int, chunk: bytes, count: int) -> Answer:
    """A ``status`` whose body is ``chunk`` sent ``count`` times, as the client reads."""

    async def answer(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        for _ in range(count):
            await response.write(chunk)
            await asyncio.sleep(0)  # the client shares this loop: let it read
        return response

    return answer


def endless_gzip(limit_chunks: int) -> Answer:
    """A 200 whose gzip body inflates by 1 MiB per ~1 KiB sent, up to ``limit_chunks`` MiB."""

    async def answer(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )
        await response.prepare(request)
        packer = zlib.compressobj(wbits=31)
        for _ in range(limit_chunks):
            await response.write(packer.compress(MEBIBYTE) + packer.flush(zlib.Z_SYNC_FLUSH))
            # The client shares this event loop: let it read what was written so far.
            await asyncio.sleep(0)
        await response.write(packer.flush())
        return response

    return answer


async def test_a_gzip_bomb_is_refused_while_reading(
    serve: Serve,
) -> None:
    # 10,000 MiB once inflated; the client must stop at its 256 KiB limit and hang up.
    limit = 256 * 1024
    server = await serve(endless_gzip(10_000))
    async with client_for(server, max_response_bytes=limit) as client:
        with (
            traced_peak() as peak,
            pytest.raises(ResponseTooLargeError, match="max_response_bytes") as caught,
        ):
            await client.agents.list()
    # 10,000 MiB once inflated; the peak is the limit, what one network read inflates
    # to and the in-process server's compressor. aiohttp 3.14 inflates a read in
    # bounded pieces (up to 1 MiB here); older ones inflate a read whole (some MiB).
    inflated_read = 1 if AIOHTTP_VERSION >= (3, 14) else 8
    assert peak.bytes < 12 * limit + inflated_read * 1024 * 1024
    assert caught.value.status == 200
    assert server.hits == 1  # too large is not retried: it would come again
    assert server.finished == 0  # the client hung up long before the end


async def test_a_body_within_the_limit_is_read_whole(
    serve: Serve,
) -> None:
    body = b'{"message": "ok", "data": [], "meta": null}'
    server = await serve(status_with(200, body))
    async with client_for(server, max_response_bytes=len(body)) as client:
        page = await client.agents.list()
    assert page.data == []


async def test_a_header_aiohttp_refuses_is_a_user_error_not_a_raw_value_error(
    serve: Serve,
) -> None:
    async def smuggle(request: Request, call_next: Handler) -> Response:
        request.headers["X-Smuggled"] = "a\r\nInjected: yes"
        return await call_next(request)

    server = await serve(status_with(200, b"{}"))
    async with client_for(server, middleware=[smuggle]) as client:
        with pytest.raises(UserError, match="could not be sent"):
            await client.agents.list()
    assert server.hits == 0


async def test_a_url_without_a_usable_host_is_a_user_error_at_send_time(
    serve: Serve,
) -> None:
    async def unhost(request: Request, call_next: Handler) -> Response:
        request.url = "http:///api/v1/console/agents"
        return await call_next(request)

    server = await serve(status_with(200, b"{}"))
    async with client_for(server, middleware=[unhost]) as client:
        with pytest.raises(UserError):
            await client.agents.list()


async def test_a_server_that_hangs_up_is_a_connection_error(
    serve: Serve,
) -> None:
    async def hang_up(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    server = await serve(hang_up)
    async with client_for(server) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.agents.list()
    assert type(caught.value) is APIConnectionError


@pytest.mark.parametrize("timeout", [math.inf, math.nan])
async def test_a_timeout_aiohttp_cannot_use_is_a_user_error_at_send_time(
    serve: Serve, timeout: float
) -> None:
    async def unbounded(request: Request, call_next: Handler) -> Response:
        request.options.timeout = timeout  # past every argument check
        return await call_next(request)

    server = await serve(status_with(200, b"{}"))
    async with client_for(server, middleware=lambda chain: chain.prepend(unbounded)) as client:
        with pytest.raises(UserError, match="finite"):
            await client.agents.list()
    assert server.hits == 0
