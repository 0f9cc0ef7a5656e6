"""Metrics: requests counted by status, errors by class, and latency totals.

Installed as a plain list it goes innermost, below ``retry``, and so counts every
attempt with its real status (a call that needed a retry after a 503 counts one 503
and one 200), with each HTTP exchange's own latency::

    metrics = MetricsMiddleware()
    client = AsyncBimpeAI(key, middleware=[metrics])
    ...
    print(metrics.snapshot())

Placed outside ``retry`` instead (``chain.insert_before("retry", metrics)``) it counts
calls: only each call's final outcome, with latency that includes the retry waits.

Statuses are those of responses and of API errors; ``errors`` also counts failures
without a status (connection errors, timeouts) and errors raised by middleware further
in. Feed ``snapshot()`` to your metrics system on a timer, or read it in a health check.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bimpe_async import APIError, Request, Response
from bimpe_async.middleware import Handler


@dataclass(frozen=True)
class MetricsSnapshot:
    """The counts so far; a copy, unaffected by later requests."""

    requests: int
    by_status: Mapping[int, int]
    errors: Mapping[str, int]
    """Failed requests by exception class name, e.g. ``{"InternalServerError": 1}``."""
    total_seconds: float
    max_seconds: float

    @property
    def mean_seconds(self) -> float:
        return self.total_seconds / self.requests if self.requests else 0.0


class MetricsMiddleware:
    """Counts what passes through; ``clock`` (seconds) is replaceable for tests.

    A cancelled request is not counted: it has neither a status nor an error.
    """

    name = "metrics"

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self._requests = 0
        self._by_status: Counter[int] = Counter()
        self._errors: Counter[str] = Counter()
        self._total_seconds = 0.0
        self._max_seconds = 0.0

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        started = self.clock()
        try:
            response = await call_next(request)
        except Exception as error:
            status = error.status if isinstance(error, APIError) else None
            self._count(self.clock() - started, status, type(error).__name__)
            raise
        self._count(self.clock() - started, response.status, None)
        return response

    def _count(self, seconds: float, status: int | None, error: str | None) -> None:
        self._requests += 1
        self._total_seconds += seconds
        self._max_seconds = max(self._max_seconds, seconds)
        if status is not None:
            self._by_status[status] += 1
        if error is not None:
            self._errors[error] += 1

    def snapshot(self) -> MetricsSnapshot:
        return MetricsSnapshot(
            requests=self._requests,
            by_status=dict(self._by_status),
            errors=dict(self._errors),
            total_seconds=self._total_seconds,
            max_seconds=self._max_seconds,
        )
