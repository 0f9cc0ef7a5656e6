"""Retry failed attempts with tenacity: which errors, how long to wait, how often.

Retried: connection errors and timeouts, 408, 429 and 5xx except 501. Never retried:
409, 501 and every other 4xx, nor a call whose client was closed meanwhile
(``ClientClosedError``). The wait grows exponentially from ``initial`` seconds
up to ``maximum`` with jitter; a ``Retry-After`` header replaces it (capped at
``maximum`` too). ``max_retries`` comes from the call's options (client default 2).

Everything below this middleware in the chain runs once per attempt; everything
above runs once per call.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from .._http import Handler, Request, Response
from ..errors import (
    APIConnectionError,
    APIError,
    ClientClosedError,
    RateLimitError,
    parse_seconds,
)
from .logging import mask_url

logger = logging.getLogger("bimpe_async")


def is_retryable(error: BaseException) -> bool:
    """Whether a failed attempt may be tried again (the wire rules of the API)."""
    if isinstance(error, APIConnectionError):
        return not isinstance(error, ClientClosedError)
    if isinstance(error, APIError):
        status = error.status
        return status == 408 or status == 429 or (status >= 500 and status != 501)
    return False


def retry_after(error: BaseException) -> float | None:
    """The server's requested wait in seconds, if the error carries one."""
    if isinstance(error, RateLimitError):
        return error.retry_after
    if isinstance(error, APIError):
        return parse_seconds(error.headers.get("retry-after"))
    return None


class Backoff:
    """A tenacity wait: exponential with equal jitter, overridden by ``Retry-After``."""

    def __init__(self, initial: float = 0.5, maximum: float = 8.0) -> None:
        self.initial = initial
        self.maximum = maximum

    def delay(self, retry_number: int, error: BaseException | None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based)."""
        requested = retry_after(error) if error is not None else None
        if requested is not None:
            return min(requested, self.maximum)
        ceiling = min(self.maximum, self.initial * 2.0 ** (retry_number - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        return self.delay(state.attempt_number, error)


class RetryMiddleware:
    """Retries through tenacity; replace ``sleep`` in tests to record waits instead."""

    name = "retry"

    def __init__(
        self,
        backoff: Backoff | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.backoff = backoff or Backoff()
        self.sleep = sleep

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        # The first attempt runs outside tenacity: building a retry controller costs
        # more than the rest of the chain together, and most calls succeed first time.
        try:
            return await call_next(request)
        except Exception as error:
            if request.options.max_retries <= 0 or not is_retryable(error):
                raise
            first_failure: BaseException | None = error

        async def attempt() -> Response:
            # tenacity is handed the first attempt's outcome as its own attempt 1, so
            # its counting, waits and stop rule see the call's whole history.
            nonlocal first_failure
            if first_failure is not None:
                replayed, first_failure = first_failure, None
                raise replayed
            request.attempt += 1
            return await call_next(request)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(request.options.max_retries + 1),
            wait=self.backoff,
            retry=retry_if_exception(is_retryable),
            sleep=self.sleep,
            before_sleep=lambda state: _log_retry(request, state),
            reraise=True,
        )
        return await retrying(attempt)


def _log_retry(request: Request, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    path = mask_url(request.path)
    logger.info(
        "retrying %s %s after %s on attempt %d; waiting %.2f s",
        request.method,
        path,
        type(error).__name__,
        state.attempt_number,
        wait,
        extra={
            "bimpe_method": request.method,
            "bimpe_path": path,
            "bimpe_attempt": state.attempt_number,
            "bimpe_retry_wait": wait,
            "bimpe_request_id": request.headers.get("X-Request-Id"),
        },
    )
