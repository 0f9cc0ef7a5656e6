"""A minimal server that answers every request with the same pre-encoded bytes.

The request-path benchmark measures what a client spends per request, so its server
must do as little as possible and run in its own process, on another core:
``python -m benchmarks.fixed_server``. A GET answers a page of ``LIST_SIZE`` agents,
anything else one agent (what ``POST /agents`` returns).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from . import payloads
from .servers import serve_app

LIST_SIZE = 10
"""Agents on the list page: small, so the request path, not decoding, dominates."""

LIST_BODY = payloads.agents_page(LIST_SIZE)
ONE_BODY = payloads.envelope(payloads.agent(0))


async def handle(request: web.Request) -> web.Response:
    body = LIST_BODY if request.method == "GET" else ONE_BODY
    return web.Response(body=body, content_type="application/json")


def app() -> web.Application:
    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", handle)
    return application


if __name__ == "__main__":
    asyncio.run(serve_app(app(), {"list_size": LIST_SIZE}))
