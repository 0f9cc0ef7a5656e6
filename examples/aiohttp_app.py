"""An aiohttp.web service that calls BimpeAI: one client for the app's whole life.

``python examples/aiohttp_app.py`` serves http://127.0.0.1:8080 (``GET /agents``,
``GET /agents/{agent_id}``, ``POST /agents/{agent_id}/conversations/{conversation_id}/replies``
with ``{"text": ...}``). With ``BIMPEAI_API_KEY`` set it calls your account; without
it, an embedded emulator holding demo data.

The shape to copy:

- **The client lives in ``cleanup_ctx``**: created when the app starts, stored under
  a typed ``AppKey``, shared by every request handler, closed when the app stops.
  Never create a client per request: each one would open its own connection pool.
- **The API's errors become the service's own statuses** in one middleware: 404 stays
  404, a rate limit becomes 503 with ``Retry-After``, anything else the API did wrong
  is a 502. Retries already happened inside the client.
- **Idempotency end to end**: an ``Idempotency-Key`` sent by this service's caller is
  passed on, so a reply the caller retries is still sent once.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from aiohttp import web

from bimpe_async import AsyncBimpeAI, BimpeAIError, NotFoundError, RateLimitError
from bimpe_async.testing import Emulator

BIMPE = web.AppKey("bimpe", AsyncBimpeAI)

Connect = Callable[[], AbstractAsyncContextManager[AsyncBimpeAI]]
"""Makes the client, e.g. ``AsyncBimpeAI.from_env`` (a client is its own context manager)."""

routes = web.RouteTableDef()


@routes.get("/agents")
async def list_agents(request: web.Request) -> web.Response:
    page = await request.app[BIMPE].agents.list(page=int(request.query.get("page", "1")))
    return web.json_response(
        [{"id": agent.id, "name": agent.name, "status": agent.status} for agent in page.data]
    )


@routes.get("/agents/{agent_id}")
async def get_agent(request: web.Request) -> web.Response:
    agent = await request.app[BIMPE].agents.retrieve(request.match_info["agent_id"])
    channels = [channel.type for channel in agent.channels]
    return web.json_response({"id": agent.id, "name": agent.name, "channels": channels})


@routes.post("/agents/{agent_id}/conversations/{conversation_id}/replies")
async def reply(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except ValueError:
        body = None
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        return web.json_response({"detail": 'send {"text": "..."}'}, status=400)
    message = await request.app[BIMPE].conversations.messages.send(
        request.match_info["agent_id"],
        request.match_info["conversation_id"],
        message=text,
        role="assistant",
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return web.json_response({"id": message.id}, status=201)


@web.middleware
async def api_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except NotFoundError as error:
        return web.json_response({"detail": error.message}, status=404)
    except RateLimitError as error:
        headers = {"Retry-After": str(round(error.retry_after or 1))}
        return web.json_response({"detail": "busy, try again"}, status=503, headers=headers)
    except BimpeAIError as error:
        return web.json_response({"detail": type(error).__name__}, status=502)


def create_app(connect: Connect = AsyncBimpeAI.from_env) -> web.Application:
    async def bimpe_client(app: web.Application) -> AsyncIterator[None]:
        async with connect() as client:
            app[BIMPE] = client
            yield

    app = web.Application(middlewares=[api_errors])
    app.cleanup_ctx.append(bimpe_client)
    app.add_routes(routes)
    return app


@asynccontextmanager
async def emulated() -> AsyncIterator[AsyncBimpeAI]:
    """A client on an embedded emulator holding demo data."""
    async with (
        Emulator(seed=True) as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client,
    ):
        yield client


def main() -> None:
    connect = AsyncBimpeAI.from_env if os.environ.get("BIMPEAI_API_KEY") else emulated
    web.run_app(create_app(connect), host="127.0.0.1", port=8080)


if __name__ == "__main__":
    main()
