"""Read the server's rate-limit headers after every attempt.

The latest values are kept as a ``RateLimitSnapshot`` that the client exposes as
``client.rate_limit``, so a worker pool can see how close it is to the limit. Error
responses count too: a 429 carries the most useful headers of all.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import msgspec

from .._http import Handler, Request, Response
from ..errors import APIError, parse_int, parse_seconds


class RateLimitSnapshot(msgspec.Struct, frozen=True):
    """The server's rate-limit headers as last seen; a field is None when not sent."""

    limit: int | None
    remaining: int | None
    reset_at: int | None
    """Unix time (seconds) at which the window resets."""
    retry_after: float | None
    observed_at: float
    """``time.time()`` when the response carrying these headers arrived."""


def snapshot_from_headers(headers: Mapping[str, str]) -> RateLimitSnapshot | None:
    """A snapshot of the rate-limit headers, or None when the response has none."""
    limit = headers.get("x-ratelimit-limit")
    remaining = headers.get("x-ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset")
    retry = headers.get("retry-after")
    if limit is None and remaining is None and reset is None and retry is None:
        return None
    return RateLimitSnapshot(
        limit=parse_int(limit),
        remaining=parse_int(remaining),
        reset_at=parse_int(reset),
        retry_after=parse_seconds(retry),
        observed_at=time.time(),
    )


class RateLimitHeadersMiddleware:
    name = "rate_limit"

    def __init__(self) -> None:
        self.snapshot: RateLimitSnapshot | None = None

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        try:
            response = await call_next(request)
        except APIError as error:
            self._observe(error.headers)
            raise
        self._observe(response.headers)
        return response

    def _observe(self, headers: Mapping[str, str]) -> None:
        snapshot = snapshot_from_headers(headers)
        if snapshot is not None:
            self.snapshot = snapshot
