"""A FastAPI service that calls BimpeAI: one client, opened and closed by the lifespan.

``python examples/fastapi_app.py`` serves http://127.0.0.1:8000 with uvicorn (docs at
``/docs``); in production, ``uvicorn fastapi_app:app``. With ``BIMPEAI_API_KEY`` set it
calls your account; without it (``python`` only), an embedded emulator holding demo
data. Needs ``pip install fastapi uvicorn``; nothing else in this SDK does.

The shape to copy:

- **The client lives in the lifespan**: created at startup, kept on ``app.state``,
  closed at shutdown, and handed to endpoints by a dependency (``Bimpe``), which is
  also what a test overrides. Never create a client per request: each one would open
  its own connection pool.
- **The API's errors become the service's own statuses** in exception handlers: 404
  stays 404, a rate limit becomes 503 with ``Retry-After``, anything else the API did
  wrong is a 502. Retries already happened inside the client.
- **Idempotency end to end**: an ``Idempotency-Key`` sent by this service's caller is
  passed on, so a reply the caller retries is still sent once.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from bimpe_async import AsyncBimpeAI, BimpeAIError, NotFoundError, RateLimitError
from bimpe_async.testing import Emulator

Connect = Callable[[], AbstractAsyncContextManager[AsyncBimpeAI]]
"""Makes the client, e.g. ``AsyncBimpeAI.from_env`` (a client is its own context manager)."""


def bimpe(request: Request) -> AsyncBimpeAI:
    """The app's one client (a FastAPI dependency)."""
    client: AsyncBimpeAI = request.app.state.bimpe
    return client


Bimpe = Annotated[AsyncBimpeAI, Depends(bimpe)]


class AgentSummary(BaseModel):
    id: str
    name: str
    status: str | None


class AgentOut(BaseModel):
    id: str
    name: str
    channels: list[str]


class ReplyIn(BaseModel):
    text: str


class ReplyOut(BaseModel):
    id: str


router = APIRouter()


@router.get("/agents")
async def list_agents(client: Bimpe, page: int = 1) -> list[AgentSummary]:
    agents = await client.agents.list(page=page)
    return [AgentSummary(id=a.id, name=a.name, status=a.status) for a in agents.data]


@router.get("/agents/{agent_id}")
async def get_agent(client: Bimpe, agent_id: str) -> AgentOut:
    agent = await client.agents.retrieve(agent_id)
    return AgentOut(id=agent.id, name=agent.name, channels=[c.type for c in agent.channels])


@router.post("/agents/{agent_id}/conversations/{conversation_id}/replies", status_code=201)
async def reply(
    client: Bimpe,
    agent_id: str,
    conversation_id: str,
    body: ReplyIn,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> ReplyOut:
    message = await client.conversations.messages.send(
        agent_id,
        conversation_id,
        message=body.text,
        role="assistant",
        idempotency_key=idempotency_key,
    )
    return ReplyOut(id=message.id)


def create_app(connect: Connect = AsyncBimpeAI.from_env) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with connect() as client:
            app.state.bimpe = client
            yield

    app = FastAPI(title="BimpeAI example", lifespan=lifespan)
    app.include_router(router)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": error.message}, status_code=404)

    @app.exception_handler(RateLimitError)
    async def rate_limited(request: Request, error: RateLimitError) -> JSONResponse:
        headers = {"Retry-After": str(round(error.retry_after or 1))}
        return JSONResponse({"detail": "busy, try again"}, status_code=503, headers=headers)

    @app.exception_handler(BimpeAIError)
    async def bad_gateway(request: Request, error: BimpeAIError) -> JSONResponse:
        return JSONResponse({"detail": type(error).__name__}, status_code=502)

    return app


app = create_app()
"""For ``uvicorn fastapi_app:app``: keyed from the environment at startup."""


@asynccontextmanager
async def emulated() -> AsyncIterator[AsyncBimpeAI]:
    """A client on an embedded emulator holding demo data."""
    async with (
        Emulator(seed=True) as emulator,
        AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client,
    ):
        yield client


def main() -> None:
    import uvicorn  # only this entry point serves; the app itself needs no server

    connect = AsyncBimpeAI.from_env if os.environ.get("BIMPEAI_API_KEY") else emulated
    uvicorn.run(create_app(connect), host="127.0.0.1", port=8000)


if __name__ == "__main__":
    main()
