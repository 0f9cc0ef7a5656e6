"""The ``text/event-stream`` parser: bytes in, events out, incrementally.

It follows the WHATWG "event stream interpretation" rules exactly, because the parser
in aiohttp-sse-client2 does not (bare CR line ends, over-stripped spaces and line
feeds, a lost BOM, NUL ids, non-digit ``retry:`` values, and long lines raising; the
corpus in ``tests/test_sse_parser.py`` pins each case).

It works on bytes rather than text: CR and LF never occur inside a multi-byte UTF-8
sequence, so lines can be split before decoding, a character cut across network
chunks needs no special care, and ``data`` reaches the JSON decoder without a
decode/encode round trip.

The reader depends only on ``EventParser``, so a faster implementation can replace
``SSEParser`` without touching anything else.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

_BOM = b"\xef\xbb\xbf"
_CR = 0x0D
_LF = 0x0A


class ServerSentEvent(NamedTuple):
    """One dispatched event.

    ``data`` is the UTF-8 bytes of the data lines joined with LF (decode with
    ``errors="replace"`` for the spec's text); ``id`` is the last event id in effect
    when the event was dispatched ('' if the stream has set none).
    """

    type: str
    data: bytes
    id: str


class EventParser(Protocol):
    """What the stream reader needs from a parser; one instance per connection."""

    @property
    def retry(self) -> int | None:
        """The last valid ``retry:`` value in milliseconds, or None if none arrived."""
        ...

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """The events completed by ``chunk`` (bytes exactly as they arrived)."""
        ...


class SSEParser:
    """An incremental event-stream parser for one connection."""

    __slots__ = ("_data", "_event", "_last_id", "_partial", "_skip_lf", "_started", "retry")

    def __init__(self) -> None:
        self._partial: list[bytes] = []
        """Pieces of a line whose end has not arrived yet."""
        self._skip_lf = False
        """The previous chunk ended with CR: a leading LF completes that CRLF."""
        self._started = False
        """Whether the first line has been seen (only it may carry the BOM)."""
        self._data: list[bytes] = []
        self._event = ""
        self._last_id = ""
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[0] == _LF:
                chunk = chunk[1:]
        if b"\n" not in chunk and b"\r" not in chunk:
            if chunk:
                self._partial.append(chunk)
            return []
        if self._partial:
            self._partial.append(chunk)
            chunk = b"".join(self._partial)
            self._partial = []
        # bytes.splitlines breaks at exactly CRLF, LF and CR (unlike str.splitlines).
        lines = chunk.splitlines()
        last = chunk[-1]
        if last == _CR:
            self._skip_lf = True
        elif last != _LF:
            self._partial.append(lines.pop())
        if not self._started and lines:
            self._started = True
            if lines[0].startswith(_BOM):
                lines[0] = lines[0][len(_BOM) :]
        return self._lines(lines)

    def _lines(self, lines: list[bytes]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        for line in lines:
            if not line:
                if self._data:
                    data = self._data[0] if len(self._data) == 1 else b"\n".join(self._data)
                    events.append(ServerSentEvent(self._event or "message", data, self._last_id))
                    self._data = []
                self._event = ""
                continue
            name, _, value = line.partition(b":")
            if value.startswith(b" "):
                value = value[1:]
            if name == b"data":
                self._data.append(value)
            elif name == b"id":
                if b"\0" not in value:
                    self._last_id = value.decode("utf-8", "replace")
            elif name == b"event":
                self._event = value.decode("utf-8", "replace")
            elif name == b"retry" and value.isdigit():  # ASCII digits only, non-empty
                self.retry = int(value)
            # A comment (empty name) and unknown fields are ignored.
        return events
