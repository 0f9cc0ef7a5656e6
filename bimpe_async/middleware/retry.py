"""Retry failed attempts with tenacity: which errors, how long to wait, how often.

Retried: connection errors and timeouts, 408, 429 and 5xx except 501. Never retried:
409, 501 and every other 4xx, nor a call whose client was closed meanwhile
(``ClientClosedError``) or whose timeout ran out in a client-side queue (the rate
limiter's, ``LimiterTimeoutError``, or the connection pool's, ``PoolTimeoutError``).
The wait grows exponentially from ``initial`` seconds up to ``maximum`` with jitter;
a ``Retry-After`` header replaces it (capped at ``maximum`` too). ``max_retries``
comes from the call's options (client default 2).

Every call also has an overall deadline: ``total_timeout`` when the middleware is
given one, else the call's ``timeout * (max_retries + 1)``. Each attempt gets
``request.deadline`` = its own timeout from now, but never past the call's deadline
(so everything an attempt does, a wait in the rate limiter included, counts against
its timeout), and no retry is started when its backoff would end past the deadline:
the last error is raised instead. With ``timeout=None`` and no ``total_timeout``
nothing is bounded, as asked.

Everything below this middleware in the chain runs once per attempt; everything
above runs once per call.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from .._checks import check_timeout
from .._http import Handler, Request, Response
from ..errors import (
    APIConnectionError,
    APIError,
    ClientClosedError,
    LimiterTimeoutError,
    PoolTimeoutError,
    RateLimitError,
    parse_seconds,
)
from .logging import mask_url

logger = logging.getLogger("bimpe_async")


def is_retryable(error: BaseException) -> bool:
    """Whether a failed attempt may be tried again (the wire rules of the API)."""
    if isinstance(error, APIConnectionError):
        # Retrying these would only meet the closed client, or the same queue, again.
        return not isinstance(error, (ClientClosedError, LimiterTimeoutError, PoolTimeoutError))
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
    """Retries through tenacity; replace ``sleep`` in tests to record waits instead.

    ``total_timeout`` (seconds) bounds every call, all attempts and waits included;
    by default a call may take its ``timeout * (max_retries + 1)``.
    """

    name = "retry"

    def __init__(
        self,
        backoff: Backoff | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        *,
        total_timeout: float | None = None,
    ) -> None:
        check_timeout("total_timeout", total_timeout)
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.total_timeout = total_timeout

    def _call_deadline(self, request: Request, now: float) -> float | None:
        """The loop time by which the whole call must be over (None: unbounded)."""
        options = request.options
        total = self.total_timeout
        if total is None and options.timeout is not None:
            total = options.timeout * (options.max_retries + 1)
        ends = request.deadline  # one set by an outer middleware still applies
        if total is not None and (ends is None or now + total < ends):
            ends = now + total
        return ends

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        """This middleware in front of ``call_next``, as one function (see ``Chain``)."""

        async def retried(request: Request) -> Response:
            now = asyncio.get_running_loop().time()
            call_ends = self._call_deadline(request, now)
            request.deadline = _attempt_deadline(now, request.options.timeout, call_ends)
            # The first attempt runs outside tenacity: building a retry controller costs
            # more than the rest of the chain together, and most calls succeed first time.
            try:
                return await call_next(request)
            except Exception as error:
                if request.options.max_retries <= 0 or not is_retryable(error):
                    raise
                return await self._retry(request, call_next, call_ends, error)

        return retried

    async def _retry(
        self,
        request: Request,
        call_next: Handler,
        call_ends: float | None,
        first_failure: BaseException | None,
    ) -> Response:
        """The attempts after a first one that failed with ``first_failure``."""
        clock = asyncio.get_running_loop().time

        async def attempt() -> Response:
            # tenacity is handed the first attempt's outcome as its own attempt 1, so
            # its counting, waits and stop rule see the call's whole history.
            nonlocal first_failure
            if first_failure is not None:
                replayed, first_failure = first_failure, None
                raise replayed
            request.attempt += 1
            request.deadline = _attempt_deadline(clock(), request.options.timeout, call_ends)
            return await call_next(request)

        attempts = stop_after_attempt(request.options.max_retries + 1)

        def stop(state: RetryCallState) -> bool:
            # No retry whose backoff would end past the call's deadline.
            upcoming: float = getattr(state, "upcoming_sleep", 0.0)
            return attempts(state) or (call_ends is not None and clock() + upcoming >= call_ends)

        retrying = AsyncRetrying(
            stop=stop,
            wait=self.backoff,
            retry=retry_if_exception(is_retryable),
            sleep=self.sleep,
            before_sleep=lambda state: _log_retry(request, state),
            reraise=True,
        )
        return await retrying(attempt)


def _attempt_deadline(now: float, timeout: float | None, call_ends: float | None) -> float | None:
    """The loop time by which an attempt starting ``now`` must be over."""
    if call_ends is not None and timeout is not None:
        return min(now + timeout, call_ends)
    return call_ends


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
