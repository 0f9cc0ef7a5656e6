"""A server that replays one large, pre-rendered message stream, fast.

``python -m benchmarks.sse_server EVENTS`` serves what both SDKs' stream readers need:
``POST .../stream-ticket`` (any call gets a ticket) and ``GET .../stream?ticket=...``,
which writes EVENTS message events (a heartbeat after every 100) in 64 KiB chunks and
ends the stream. The bytes are rendered once at start-up, so serving costs almost
nothing and the readers' parsing and decoding is what the benchmark sees.
"""

from __future__ import annotations

import asyncio
import sys

import msgspec
from aiohttp import web

from . import payloads
from .servers import serve_app

PREFIX = "/api/v1/console/agents/{agent_id}/conversations/{conversation_id}"
CHUNK = 64 * 1024
HEARTBEAT_EVERY = 100
TICKET = payloads.envelope({"ticket": "tk_benchmark", "expires_in": 60})


def render(events: int, conversation_id: str) -> bytes:
    """``events`` message events in W3C SSE framing, with heartbeats among them."""
    parts: list[bytes] = []
    for index in range(events):
        message = payloads.message(index, conversation_id)
        data = msgspec.json.encode(message)
        parts.append(b"id: %s\nevent: message\ndata: %s\n\n" % (message["id"].encode(), data))
        if index % HEARTBEAT_EVERY == HEARTBEAT_EVERY - 1:
            parts.append(b'event: heartbeat\ndata: {"ts": 1700000000}\n\n')
    return b"".join(parts)


def app(events: int, conversation_id: str) -> web.Application:
    body = render(events, conversation_id)

    async def ticket(request: web.Request) -> web.Response:
        return web.Response(body=TICKET, content_type="application/json")

    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for start in range(0, len(body), CHUNK):
            await response.write(body[start : start + CHUNK])
        await response.write_eof()
        return response

    application = web.Application()
    application.router.add_post(PREFIX + "/stream-ticket", ticket)
    application.router.add_get(PREFIX + "/stream", stream)
    return application


if __name__ == "__main__":
    count = int(sys.argv[1])
    conversation = "cv_0000000000000001"
    facts = {"events": count, "agent_id": "ag_0000000000000001", "conversation_id": conversation}
    asyncio.run(serve_app(app(count, conversation), facts))
