"""Rate limits: a storm of concurrent calls against a small server budget.

``CALLS`` calls start at once against the emulator enforcing ``BUDGET`` requests per
``WINDOW`` seconds, with the client's defaults otherwise (30 s timeout, 2 retries).
Three clients take the storm:

- ``none``: no client-side limiter; the server's 429s are retried;
- ``fixed``: a token bucket at the server's budget (``BUDGET`` per ``WINDOW``,
  ``burst=1``), not adaptive;
- ``adaptive``: ``adaptive_rate_limit=True`` alone.

Reported per client: the 429s the server sent, how the calls ended, the longest
wait in the client-side limiter (one attempt) against the timeout, and the longest
call against its deadline (timeout x attempts). It runs on a virtual clock
(``virtual_time``), so minutes of windows take a second of CPU and timeouts fire
exactly on time; the emulator and the SDK's limiters read the same clock.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any

from bimpe_async import APITimeoutError, AsyncBimpeAI, RateLimitError, Request, Response
from bimpe_async.errors import LimiterTimeoutError
from bimpe_async.middleware import Chain, Handler, RateLimitMiddleware, ServerHold, TokenBucket
from bimpe_async.testing import Emulator

from .settings import Settings
from .virtual_time import run_virtual, unix

CALLS = 1_000
BUDGET = 30
WINDOW = 1.0
TIMEOUT = 30.0
MAX_RETRIES = 2
NONE = "none"
FIXED = "fixed"
ADAPTIVE = "adaptive"
STRATEGIES = (NONE, FIXED, ADAPTIVE)


def _chain(strategy: str, budget: int, window: float) -> Callable[[Chain], Chain]:
    """How the strategy changes the built-in chain (adaptive needs no change)."""
    if strategy == FIXED:
        # Built here rather than from requests_per_minute= so that it reads the
        # virtual clock from the start.
        bucket = TokenBucket(budget * 60 / window, 1, clock=unix)
        return lambda chain: chain.replace("rate_limit", RateLimitMiddleware(bucket, clock=unix))
    if strategy in (NONE, ADAPTIVE):
        return lambda chain: chain
    raise ValueError(f"unknown strategy {strategy!r}")


class LimiterWaits:
    """Two middleware around ``rate_limit`` that time each attempt's wait in it."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._entered: dict[int, float] = {}

    async def before(self, request: Request, call_next: Handler) -> Response:
        clock = asyncio.get_running_loop().time
        self._entered[id(request)] = clock()
        try:
            return await call_next(request)
        finally:
            entered = self._entered.pop(id(request), None)
            if entered is not None:  # the limiter never let it through
                self.longest = max(self.longest, clock() - entered)

    async def after(self, request: Request, call_next: Handler) -> Response:
        entered = self._entered.pop(id(request))
        self.longest = max(self.longest, asyncio.get_running_loop().time() - entered)
        return await call_next(request)

    def around_rate_limit(self, chain: Chain) -> Chain:
        return chain.insert_before("rate_limit", self.before).insert_after("rate_limit", self.after)


def _outcome(result: object) -> str:
    if not isinstance(result, BaseException):
        return "ok"
    if isinstance(result, RateLimitError):
        return "429"
    if isinstance(result, LimiterTimeoutError):
        return "limiter timeout"
    if isinstance(result, APITimeoutError):
        return "timeout"
    return type(result).__name__


async def storm(
    strategy: str,
    *,
    calls: int = CALLS,
    budget: int = BUDGET,
    window: float = WINDOW,
    timeout: float = TIMEOUT,
    max_retries: int = MAX_RETRIES,
) -> dict[str, Any]:
    """``calls`` concurrent calls through one client; run it on a ``VirtualTimeLoop``."""
    clock = asyncio.get_running_loop().time
    waits = LimiterWaits()
    async with Emulator(rate_limit=budget, rate_window=window, clock=unix) as emulator:
        client = AsyncBimpeAI(
            emulator.api_key,
            base_url=emulator.base_url,
            timeout=timeout,
            max_retries=max_retries,
            middleware=lambda chain: waits.around_rate_limit(
                _chain(strategy, budget, window)(chain)
            ),
            adaptive_rate_limit=strategy == ADAPTIVE,
        )
        # The SDK reads unix time for the server's resets: give it the virtual one.
        rate_limit = client.middleware["rate_limit"]
        assert isinstance(rate_limit, RateLimitMiddleware)
        rate_limit.clock = unix
        if isinstance(rate_limit.limiter, ServerHold):
            rate_limit.limiter.clock = unix
        longest_call = 0.0

        async def call() -> None:
            nonlocal longest_call
            started = clock()
            try:
                await client.agents.list()
            finally:
                longest_call = max(longest_call, clock() - started)

        started = clock()
        async with client:
            results = await asyncio.gather(*(call() for _ in range(calls)), return_exceptions=True)
        elapsed = clock() - started
        refused = sum(request.status == 429 for request in emulator.requests)
        sent = len(emulator.requests)
    return {
        "calls": calls,
        "sent": sent,
        "refused_429": refused,
        "outcomes": dict(Counter(map(_outcome, results))),
        "longest_limiter_wait_s": waits.longest,
        "timeout_s": timeout,
        "longest_call_s": longest_call,
        "deadline_s": timeout * (max_retries + 1),
        "virtual_s": elapsed,
    }


def run(settings: Settings) -> dict[str, Any]:
    calls = settings.size(full=CALLS, quick=100)
    results = {strategy: run_virtual(storm(strategy, calls=calls)) for strategy in STRATEGIES}
    return {"calls": calls, "budget": BUDGET, "window_s": WINDOW, "strategies": results}
