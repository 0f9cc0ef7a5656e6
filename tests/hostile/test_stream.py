"""Hostile event streams: malformed events, absurd ``retry:`` values, endless lines.

The server is a tiny aiohttp app serving the stream-ticket call and the stream GET;
each stream connection plays the next script (a list of byte chunks) and then ends.
Reconnect waits are recorded, not slept; limits are KiB-sized.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

import msgspec
import pytest
from aiohttp import web

from bimpe_async import AsyncBimpeAI, InternalServerError
from bimpe_async.errors import ResponseTooLargeError
from bimpe_async.streaming import MessageStream, SSEParser
from bimpe_async.streaming.policy import MAX_DELAY
from bimpe_async.streaming.sse import EventTooLargeError

from ..conftest import SleepRecorder
from .memory import traced_peak

PREFIX = "/api/v1/console/agents/a_1/conversations/c_1"
Script = list[bytes] | Callable[[web.StreamResponse], object]


def message(number: int, **extra: object) -> bytes:
    event = {
        "id": f"m_{number}",
        "conversation_id": "c_1",
        "role": "user",
        "message": f"hello {number}",
        "created_at": "2024-01-01T00:00:00Z",
        **extra,
    }
    return b"event: message\ndata: " + msgspec.json.encode(event) + b"\n\n"


class StreamServer:
    """Serves tickets, and plays one script per stream connection (then ends it)."""

    def __init__(self, *scripts: list[bytes]) -> None:
        self.scripts = list(scripts)
        self.connections = 0
        self.finished = 0
        self.refusal: tuple[int, bytes] | None = None

    async def ticket(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"message": "ok", "data": {"ticket": "t_1", "expires_in": 60}})

    async def stream(self, request: web.Request) -> web.StreamResponse:
        self.connections += 1
        if self.refusal is not None:
            status, body = self.refusal
            return web.Response(status=status, body=body, content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for chunk in self.scripts.pop(0) if self.scripts else []:
            await response.write(chunk)
            await asyncio.sleep(0)  # the client shares this loop: let it read
        self.finished += 1
        return response


@pytest.fixture
async def stream_server() -> AsyncIterator[tuple[StreamServer, AsyncBimpeAI]]:
    server = StreamServer()
    app = web.Application()
    app.router.add_post(PREFIX + "/stream-ticket", server.ticket)
    app.router.add_get(PREFIX + "/stream", server.stream)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with AsyncBimpeAI("sk_test", base_url=base_url) as client:
            yield server, client
    finally:
        await runner.cleanup()


def open_stream(client: AsyncBimpeAI, **options: object) -> tuple[MessageStream, SleepRecorder]:
    stream = client.conversations.messages.stream("a_1", "c_1", **options)  # type: ignore[arg-type]
    recorder = SleepRecorder()
    stream.sleep = recorder
    return stream, recorder


async def test_malformed_events_are_skipped_and_the_stream_goes_on(
    stream_server: tuple[StreamServer, AsyncBimpeAI], caplog: pytest.LogCaptureFixture
) -> None:
    server, client = stream_server
    nested = b"[" * 100_000 + b"]" * 100_000
    server.scripts = [
        [
            message(1),
            b'event: message\ndata: {"id":"m_x","conversation_id":"c_1","role":"user",'
            b'"message":"\xff\xfe","created_at":"2024-01-01T00:00:00Z"}\n\n',
            b'event: message\ndata: {"id":"m_y","conversation_id":"c_1","role":"user",'
            b'"created_at":"2024-01-01T00:00:00Z","x":' + nested + b"}\n\n",
            b"event: message\ndata: " + nested + b"\n\n",
            b"retry: " + b"9" * 401 + b"\n\n",
            b"retry: " + b"9" * 5001 + b"\n\n",
            b"event: \xff\xfe\nid: \xff\ndata: {}\n\n",
            message(2),
        ]
    ]
    stream, _ = open_stream(client, reconnect=False)
    with caplog.at_level(logging.WARNING, logger="bimpe_async"):
        async with stream:
            ids = [event.id async for event in stream]
    assert ids == ["m_1", "m_2"]
    skipped = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert len(skipped) == 3


def test_absurd_retry_values_are_ignored_by_the_parser() -> None:
    parser = SSEParser()
    parser.feed(b"retry: " + b"9" * 401 + b"\n\n")
    parser.feed(b"retry: " + b"9" * 5001 + b"\n\n")
    assert parser.retry is None
    parser.feed(b"retry: 3600000000\n\n")
    assert parser.retry == 3_600_000_000


async def test_a_retry_of_days_is_capped_when_reconnecting(
    stream_server: tuple[StreamServer, AsyncBimpeAI],
) -> None:
    server, client = stream_server
    server.scripts = [[b"retry: 3600000000\n\n"], [b"retry: 3600000000\n\n"], [message(1)]]
    stream, sleeps = open_stream(client)
    async with stream:
        first = await stream.__anext__()
    assert first.id == "m_1"
    assert len(sleeps.delays) == 2
    assert all(0 < delay <= MAX_DELAY for delay in sleeps.delays)


@pytest.mark.parametrize(
    "chunks",
    [
        # A line that never ends: 4 MiB in 4 KiB pieces against a 64 KiB limit.
        [b"data: "] + [b"x" * 4096] * 1024,
        # Data lines that never dispatch: 4 MiB of 1 KiB lines.
        [b"data: " + b"y" * 1024 + b"\n"] * 4096,
        # A comment that never ends.
        [b":"] + [b"z" * 4096] * 1024,
    ],
    ids=["endless-line", "endless-event", "endless-comment"],
)
async def test_an_event_over_max_event_bytes_ends_the_stream_with_a_clear_error(
    stream_server: tuple[StreamServer, AsyncBimpeAI], chunks: list[bytes]
) -> None:
    server, client = stream_server
    server.scripts = [[message(1), *chunks]]
    stream, sleeps = open_stream(client)
    stream.max_event_bytes = 64 * 1024
    async with stream:
        assert (await stream.__anext__()).id == "m_1"
        with (
            traced_peak() as peak,
            pytest.raises(ResponseTooLargeError, match="max_event_bytes"),
        ):
            await stream.__anext__()
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()
    assert peak.bytes < 8 * stream.max_event_bytes  # of 4 MiB sent
    assert server.connections == 1  # not reconnected: the same event would come again
    assert sleeps.delays == []


def test_the_parser_limit_counts_lines_and_data() -> None:
    parser = SSEParser(max_event_bytes=10)
    assert parser.feed(b"data: 12345678\n\n")[0].data == b"12345678"
    with pytest.raises(EventTooLargeError):
        parser.feed(b"data: 123456\ndata: 123456\n")
    with pytest.raises(EventTooLargeError):
        SSEParser(max_event_bytes=10).feed(b": 0123456789")


async def test_a_refusal_with_a_huge_body_keeps_only_a_prefix(
    stream_server: tuple[StreamServer, AsyncBimpeAI],
) -> None:
    server, client = stream_server
    server.refusal = (503, b"e" * (2 * 1024 * 1024))
    stream, _ = open_stream(client, max_retries=0)
    with pytest.raises(InternalServerError) as caught:
        async with stream:
            await stream.__anext__()
    assert caught.value.body_truncated
    assert len(caught.value.body) == 64 * 1024
