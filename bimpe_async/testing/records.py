"""What the emulator saw, so tests can assert on the exact bytes a client sent."""

from __future__ import annotations

from dataclasses import dataclass

from multidict import CIMultiDictProxy


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received, and the status it was answered with.

    ``path`` is the raw, still percent-encoded path, so tests can check the client's
    encoding. ``status`` is 0 when no response reached the client (dropped connection,
    or the client went away first) and while the request is still being handled.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: CIMultiDictProxy[str]
    """As received; case-insensitive (``headers["X-Request-Id"]`` and ``["x-request-id"]``)."""
    body: bytes
    time: float
    status: int
