"""Scripted misbehaviour: the failures a client must survive, queued by the test.

Each queued fault covers the next ``n`` requests whose decoded path contains its
``path`` (any path when ``None``), whatever their method. A request takes at most one
fault: the oldest queued one that matches.

Message-stream faults have a queue of their own, taken by the stream handler, because
they act on a connection that is already streaming and because a path filter cannot
tell ``.../stream`` from ``.../stream-ticket``. Each covers the next ``n`` stream
connections, whatever their outcome.
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


@dataclass(frozen=True)
class RefuseStream:
    """Answer the stream request with ``status`` and an error envelope."""

    status: int
    headers: Mapping[str, str]


@dataclass(frozen=True)
class CutStream:
    """End the stream after ``events`` message events.

    Cleanly, or with ``abort`` in the middle of the next message event: ``fraction`` of
    its bytes are sent, then the TCP connection is aborted.
    """

    events: int
    abort: bool
    fraction: float = 0.5


@dataclass(frozen=True)
class StallStream:
    """Send the response headers, then nothing at all (no events, no heartbeats)."""


@dataclass(frozen=True)
class RawStream:
    """Send exactly ``body`` as the event stream, then close it."""

    body: bytes


StreamFault = RefuseStream | CutStream | StallStream | RawStream


@dataclass
class _Queued:
    fault: Fault
    remaining: int
    path: str | None


@dataclass
class _QueuedStream:
    fault: StreamFault
    remaining: int


class Faults:
    """The queue of faults still to be applied, oldest first."""

    def __init__(self) -> None:
        self._queue: list[_Queued] = []
        self._stream_queue: list[_QueuedStream] = []

    def __len__(self) -> int:
        """How many more requests (stream connections included) will be faulted."""
        stream = sum(queued.remaining for queued in self._stream_queue)
        return sum(queued.remaining for queued in self._queue) + stream

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
        self._stream_queue.clear()

    def take(self, path: str) -> Fault | None:
        """The fault for a request to ``path``, counting it down; ``None`` if none applies."""
        for queued in self._queue:
            if queued.path is None or queued.path in path:
                queued.remaining -= 1
                if queued.remaining == 0:
                    self._queue.remove(queued)
                return queued.fault
        return None

    # Message-stream connections

    def _add_stream(self, fault: StreamFault, n: int) -> None:
        if n < 1:
            raise ValueError("n must be at least 1")
        self._stream_queue.append(_QueuedStream(fault, n))

    def refuse_stream(
        self, n: int = 1, status: int = 503, *, headers: Mapping[str, str] | None = None
    ) -> None:
        """Refuse the next ``n`` stream connections with ``status`` (ticket untouched)."""
        self._add_stream(RefuseStream(status, dict(headers or {})), n)

    def cut_stream_after(self, events: int, n: int = 1) -> None:
        """Close the next ``n`` streams cleanly after ``events`` message events each."""
        self._add_stream(CutStream(events, abort=False), n)

    def reset_stream_after(self, events: int, n: int = 1, *, fraction: float = 0.5) -> None:
        """Cut the TCP connection of the next ``n`` streams inside message event
        ``events + 1``, after ``fraction`` of its bytes."""
        if not 0 <= fraction < 1:
            raise ValueError("fraction must be in [0, 1)")
        self._add_stream(CutStream(events, abort=True, fraction=fraction), n)

    def stall_stream(self, n: int = 1) -> None:
        """Let the next ``n`` streams send their headers and then nothing (for timeouts)."""
        self._add_stream(StallStream(), n)

    def respond_stream(self, body: bytes, n: int = 1) -> None:
        """Serve exactly ``body`` as the next ``n`` event streams, then close them."""
        self._add_stream(RawStream(body), n)

    def take_stream(self) -> StreamFault | None:
        """The fault for the stream connection being opened, counting it down."""
        if not self._stream_queue:
            return None
        queued = self._stream_queue[0]
        queued.remaining -= 1
        if queued.remaining == 0:
            del self._stream_queue[0]
        return queued.fault
