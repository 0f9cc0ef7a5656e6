"""A circuit breaker: stop calling a server that keeps failing, and fail fast instead.

Closed (normal): calls go through. After ``failure_threshold`` consecutive failed calls
it opens: for ``reset_timeout`` seconds every call fails at once with
``CircuitOpenError``, sending nothing. Then it is half-open: the next call goes through
as a trial while any others still fail fast; if the trial succeeds the circuit closes,
if it fails it opens again for another ``reset_timeout``.

A failure is what retrying is for (``is_retryable``): connection errors, timeouts,
408, 429 and 5xx other than 501. Any other answer, a 404 say, shows the server working
and resets the count; an error that is no answer at all (a bug in a middleware further
in, say) leaves the count as it is.

Install it just outside ``retry``, so it judges whole calls (a call counts as failed
only once its retries are spent) and failing fast skips the backoff waits too::

    breaker = CircuitBreaker(failure_threshold=5, reset_timeout=30.0)
    client = AsyncBimpeAI(key, middleware=lambda chain: chain.insert_before("retry", breaker))

``CircuitOpenError`` is a ``BimpeAIError`` but not an ``APIConnectionError``, so
``retry`` never retries it, wherever the breaker is placed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from bimpe_async import APIError, BimpeAIError, Request, Response
from bimpe_async.middleware import Handler, is_retryable

State = Literal["closed", "open", "half_open"]


class CircuitOpenError(BimpeAIError):
    """The circuit is open: the call was not sent. ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CircuitBreaker:
    """Fails calls fast while the server is failing; ``clock`` is replaceable for tests."""

    name = "circuit_breaker"

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be at least 1, got {failure_threshold!r}")
        if reset_timeout <= 0:
            raise ValueError(f"reset_timeout must be positive, got {reset_timeout!r}")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.clock = clock
        self._failures = 0
        self._last_failure = ""
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        return "open" if self._seconds_until_trial() > 0 else "half_open"

    def _seconds_until_trial(self) -> float:
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.reset_timeout - self.clock())

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        state = self.state
        if state == "open" or (state == "half_open" and self._trial_in_flight):
            raise self._open_error(request)
        trial = state == "half_open"
        if trial:
            self._trial_in_flight = True
        try:
            response = await call_next(request)
        except Exception as error:
            if is_retryable(error):
                self._record_failure(error)
            elif isinstance(error, APIError):
                self._record_success()  # the server answered, so it is working
            raise
        finally:
            # Also on cancellation: a cancelled trial proves nothing, and the next
            # call becomes the trial instead.
            if trial:
                self._trial_in_flight = False
        self._record_success()
        return response

    def _record_success(self) -> None:
        self._failures = 0
        self._opened_at = None

    def _record_failure(self, error: Exception) -> None:
        # The count is only reset by a success, so a failed trial is always past the
        # threshold and opens the circuit again, for a fresh ``reset_timeout``.
        self._failures += 1
        self._last_failure = f"{type(error).__name__}: {error}"
        if self._failures >= self.failure_threshold:
            self._opened_at = self.clock()

    def _open_error(self, request: Request) -> CircuitOpenError:
        wait = self._seconds_until_trial()
        when = f"a trial call is allowed in {wait:.1f} s" if wait else "a trial call is in flight"
        return CircuitOpenError(
            f"{request.method} {request.path.partition('?')[0]} not sent: the circuit is open "
            f"after {self._failures} consecutive failures (last: {self._last_failure}); {when}",
            retry_after=wait,
        )
