"""Scripted misbehaviour: the failures a client must survive, queued by the test.

Each queued fault covers the next ``n`` requests whose decoded path contains its
``path`` (any path when ``None``), whatever their method. A request takes at most one
fault: the oldest queued one that matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Fail:
    """Answer with ``status`` and an error envelope, or exactly ``body`` when given."""

    status: int
    code: str | None
    message: str | None
    headers: Mapping[str, str]
    body: bytes | None
    after_handler: bool


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering."""

    after_handler: bool


@dataclass(frozen=True)
class Delay:
    """Wait ``seconds`` and then handle the request normally."""

    seconds: float


@dataclass(frozen=True)
class Respond:
    """Send exactly this status, body and headers instead of handling the request."""

    status: int
    body: bytes
    headers: Mapping[str, str]


Fault = Fail | Drop | Delay | Respond


@dataclass
class _Queued:
    fault: Fault
    remaining: int
    path: str | None


class Faults:
    """The queue of faults still to be applied, oldest first."""

    def __init__(self) -> None:
        self._queue: list[_Queued] = []

    def __len__(self) -> int:
        """How many more requests will be faulted."""
        return sum(queued.remaining for queued in self._queue)

    def _add(self, fault: Fault, n: int, path: str | None) -> None:
        if n < 1:
            raise ValueError("n must be at least 1")
        self._queue.append(_Queued(fault, n, path))

    def fail_next(
        self,
        n: int = 1,
        status: int = 503,
        *,
        code: str | None = None,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        path: str | None = None,
        after_handler: bool = False,
    ) -> None:
        """Fail the next ``n`` matching requests with ``status``.

        The body is an error envelope (``code`` defaults from the status) unless ``body``
        is given, which is sent verbatim, e.g. ``b"not json"`` or ``b""``. With
        ``after_handler`` the request is handled first, so its write happens.
        """
        fault = Fail(status, code, message, dict(headers or {}), body, after_handler)
        self._add(fault, n, path)

    def drop_next(
        self, n: int = 1, *, path: str | None = None, after_handler: bool = False
    ) -> None:
        """Close the connection of the next ``n`` matching requests without a response."""
        self._add(Drop(after_handler), n, path)

    def delay_next(self, n: int = 1, seconds: float = 1.0, *, path: str | None = None) -> None:
        """Hold the next ``n`` matching requests for ``seconds`` before handling them."""
        self._add(Delay(seconds), n, path)

    def respond_next(
        self,
        n: int = 1,
        *,
        status: int = 200,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``n`` matching requests with exactly this raw response."""
        self._add(Respond(status, body, dict(headers or {})), n, path)

    def clear(self) -> None:
        self._queue.clear()

    def take(self, path: str) -> Fault | None:
        """The fault for a request to ``path``, counting it down; ``None`` if none applies."""
        for queued in self._queue:
            if queued.path is None or queued.path in path:
                queued.remaining -= 1
                if queued.remaining == 0:
                    self._queue.remove(queued)
                return queued.fault
        return None
