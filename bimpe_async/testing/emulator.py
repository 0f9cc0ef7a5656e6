"""The emulator's lifecycle: a real HTTP server on loopback, started and stopped by tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from .app import build_app
from .context import FULL_ACCESS, Context
from .faults import Faults
from .idempotency import IdempotencyStore
from .quirks import Quirks
from .ratelimit import RateLimiter
from .records import RecordedRequest
from .seed import seed_state
from .state import State

SHUTDOWN_TIMEOUT = 0.5
"""Seconds ``stop()`` lets in-flight requests finish; tests should not wait on stragglers."""


class Emulator:
    """An in-process BimpeAI Agent Console API for tests, demos and benchmarks.

    Use it as ``async with Emulator() as emu:`` and point a client at ``emu.base_url``
    with ``emu.api_key``. Everything it holds is plain and inspectable: ``state`` (the
    data), ``requests`` (what arrived), ``faults`` (what should go wrong next) and
    ``quirks`` (switchable server behaviour: workflow placeholders, 0.1.0-era bodies;
    see ``quirks.py``).
    """

    def __init__(
        self,
        *,
        api_key: str = "sk_test_emulator",
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: int | None = None,
        rate_window: float = 60.0,
        clock: Callable[[], float] = time.time,
        seed: bool = False,
        heartbeat_interval: float = 15.0,
        quirks: Quirks | None = None,
    ) -> None:
        self.api_key = api_key
        self.host = host
        self._port = port
        self.clock = clock
        self._heartbeat_interval = heartbeat_interval
        self.state = State(clock)
        self.faults = Faults()
        self.quirks = quirks or Quirks()
        self.requests: list[RecordedRequest] = []
        self._api_keys = {api_key: FULL_ACCESS}
        self._limiter = RateLimiter(rate_limit, rate_window, clock)
        self._idempotency = IdempotencyStore()
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        if seed:
            self.seed()

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server (the client adds the API prefix)."""
        if self._bound_port is None:
            raise RuntimeError("Emulator is not running; call start() or use 'async with'")
        return f"http://{self.host}:{self._bound_port}"

    def add_api_key(self, key: str, scopes: frozenset[str] = frozenset({"read"})) -> None:
        """Accepts another key; without the ``write`` scope its writes get 403."""
        self._api_keys[key] = scopes

    def seed(
        self,
        *,
        agents: int = 25,
        workflows: int = 10,
        conversations_per_agent: int = 80,
        messages_per_conversation: int = 3,
        calls_per_agent: int = 6,
    ) -> None:
        """Fills the store with a reproducible, realistic data set owned by ``api_key``.

        What it holds (integrations of every family, calls, phone numbers, workflows
        with the server's placeholders, ...) is listed in ``seed.py``.
        """
        seed_state(
            self.state,
            owner_key=self.api_key,
            agents=agents,
            workflows=workflows,
            conversations_per_agent=conversations_per_agent,
            messages_per_conversation=messages_per_conversation,
            calls_per_agent=calls_per_agent,
        )

    async def start(self) -> None:
        if self._runner is not None:
            return
        context = Context(
            state=self.state,
            faults=self.faults,
            requests=self.requests,
            api_keys=self._api_keys,
            limiter=self._limiter,
            idempotency=self._idempotency,
            clock=self.clock,
            quirks=self.quirks,
            heartbeat_interval=self._heartbeat_interval,
        )
        # No access log: ``requests`` is the log, and aiohttp's would print stream
        # tickets (credentials) in the URLs it records.
        runner = web.AppRunner(
            build_app(context),
            handler_cancellation=True,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            access_log=None,
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._bound_port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        runner, self._runner, self._bound_port = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
