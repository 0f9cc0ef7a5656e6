"""A minimal server that answers every request with the same pre-encoded bytes.

The request-path benchmark measures what a client spends per request, so its server
must do as little as possible and run in its own process, on another core:
``python -m benchmarks.fixed_server``. A GET answers a page of ``LIST_SIZE`` agents,
anything else one agent (what ``POST /agents`` returns).

Under ``RATE_LIMITED`` the same answers carry ``X-RateLimit-Limit``, ``-Remaining`` and
``-Reset``, as the real API sends on every response: a client that reads them pays for
it there, and nowhere else (the plain answers carry none).
"""

from __future__ import annotations

import asyncio
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from . import payloads
from .servers import serve_app

LIST_SIZE = 10
"""Agents on the list page: small, so the request path, not decoding, dominates."""

RATE_LIMITED = "/rate-limited"
"""Base-URL path under which every answer carries rate-limit headers."""

LIST_BODY = payloads.agents_page(LIST_SIZE)
ONE_BODY = payloads.envelope(payloads.agent(0))


def rate_limit_headers() -> dict[str, str]:
    """Plenty left in a window that resets in an hour: a client never has to wait."""
    return {
        "X-RateLimit-Limit": "100000",
        "X-RateLimit-Remaining": "99999",
        "X-RateLimit-Reset": str(int(time.time()) + 3600),
    }


def answer(headers: dict[str, str] | None) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        body = LIST_BODY if request.method == "GET" else ONE_BODY
        return web.Response(body=body, content_type="application/json", headers=headers)

    return handle


def app() -> web.Application:
    application = web.Application()
    application.router.add_route("*", RATE_LIMITED + "/{tail:.*}", answer(rate_limit_headers()))
    application.router.add_route("*", "/{tail:.*}", answer(None))
    return application


if __name__ == "__main__":
    asyncio.run(serve_app(app(), {"list_size": LIST_SIZE}))
