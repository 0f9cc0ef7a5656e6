"""The ``serve`` fixture: hostile servers started for a test and stopped after it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .servers import Answer, Hostile, Serve


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Starts hostile servers for a test and stops them after it."""
    servers: list[Hostile] = []

    async def start(answer: Answer) -> Hostile:
        server = await Hostile(answer).__aenter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.__aexit__()
