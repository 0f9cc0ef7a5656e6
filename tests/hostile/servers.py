"""Loopback servers for the hostile cases: each answers every request one way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

Answer = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Hostile:
    """A loopback server that answers every request with ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.hits = 0
        self.finished = 0
        """Handlers that ran to their end (a client that hung up stops them early)."""
        self.base_url = ""

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        response = await self.answer(request)
        self.finished += 1
        return response

    async def __aenter__(self) -> Hostile:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._runner.cleanup()


Serve = Callable[[Answer], Awaitable[Hostile]]
