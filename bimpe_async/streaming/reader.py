"""``MessageStream``: a conversation's live messages, resumed across dropped connections.

Each connection gets a fresh single-use ticket and resumes with ``after=`` the id of
the last message handed to the caller, so a reconnect neither loses nor repeats a
message. Reconnecting is done here rather than by an SSE library, because it needs
exactly that: a new ticket every time, our budget, our backoff, our errors.

The stream is an async iterator and also an async context manager. ``break`` and
task cancellation close the socket at once (a dropped iterator closes it from its
finaliser, synchronously); ``async with`` makes that explicit for callers who keep
a reference to the stream.

A malformed message event (not JSON, invalid UTF-8, nested too deep to decode, the
wrong shape) is logged and skipped, never fatal. An event or line larger than
``max_event_bytes`` is different: its end cannot be found without holding it, and
resuming would replay it, so the stream drops the connection and raises
``ResponseTooLargeError`` at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from types import TracebackType

import msgspec

from ..errors import DECODE_ERRORS, APIConnectionError, BimpeAIError, ResponseTooLargeError
from ..models.base import link_bodies, link_body, prepare_links
from ..models.conversations import StreamMessageEvent
from .connection import StreamConnection, StreamOpener
from .policy import ReconnectPolicy
from .sse import (
    DEFAULT_MAX_EVENT_BYTES,
    EventParser,
    EventTooLargeError,
    ServerSentEvent,
    SSEParser,
)

logger = logging.getLogger("bimpe_async")

_decode = msgspec.json.Decoder(StreamMessageEvent).decode
_decode_many = msgspec.json.Decoder(list[StreamMessageEvent]).decode
prepare_links(StreamMessageEvent)

BATCH_SIZE = 64
"""Most messages in one batch: one read of a replay holds hundreds, and keeping them
all alive at once costs the garbage collector more than the async steps it saves."""


def _message(event: ServerSentEvent) -> StreamMessageEvent | None:
    """The message an event carries; None for other event types and malformed data."""
    if event.type != "message":
        return None  # heartbeats and event types we do not know
    try:
        message = _decode(event.data)
    except DECODE_ERRORS as error:  # one bad event, not a broken stream
        logger.warning(
            "skipped a malformed message event (SSE id %r): %s",
            event.id,
            error,
            extra={"bimpe_event_id": event.id},
        )
        return None
    link_body(message, event.data)
    return message


class MessageStream:
    """The live messages of one conversation, in order, each exactly once.

    Iterate it with ``async for``; prefer ``async with`` around it when the stream
    outlives the loop that reads it. Replace ``sleep`` (before iterating) to record
    backoff waits instead of sleeping, as tests do. ``max_event_bytes`` (default
    4 MiB, settable before iterating) caps one event and one line of the stream.
    """

    def __init__(
        self,
        opener: StreamOpener,
        *,
        after: str | None,
        reconnect: bool,
        max_retries: int,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        parser: Callable[[int], EventParser] = SSEParser,
    ) -> None:
        self._connection: StreamConnection | None = None  # first: __del__ reads it
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self.max_event_bytes = max_event_bytes
        self._opener = opener
        self._after = after
        self._reconnect = reconnect
        self._policy = ReconnectPolicy(max_retries)
        self._new_parser = parser
        self._parser: EventParser = parser(max_event_bytes)
        self._pending: deque[ServerSentEvent] = deque()
        self._finished = False
        self._busy = False

    def __aiter__(self) -> MessageStream:
        return self

    async def __anext__(self) -> StreamMessageEvent:
        if self._finished:
            raise StopAsyncIteration
        if self._busy:
            raise RuntimeError("another task is already waiting for this stream's next message")
        self._busy = True
        try:
            # Every turn returns, reads from the server, or spends the retry budget.
            while True:
                message = self._take_pending()
                if message is not None:
                    return message
                if not await self._read_more():
                    raise StopAsyncIteration
        except BaseException:
            # As with an async generator, an exception (cancellation included) ends it.
            self._finish()
            raise
        finally:
            self._busy = False

    async def aclose(self) -> None:
        """Close the connection; the stream yields nothing more."""
        self._finish()

    async def __aenter__(self) -> MessageStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._finish()

    def __del__(self) -> None:
        # `break` drops the iterator without awaiting anything: close the socket now.
        self._drop_connection()

    def batches(self) -> MessageBatches:
        """The messages in batches: each one holds the messages parsed from one
        network read, handed out together, at most ``BATCH_SIZE`` (64) at a time
        (same order, resume and exactly-once guarantees as iterating the stream).

        For workers that handle messages in bulk: one async step per batch instead
        of one per message. As with the stream, prefer ``async with stream.batches()
        as batches:``, which closes the connection when the block ends; a bare
        ``break`` closes it when the batches object is dropped.
        """
        return MessageBatches(self)

    async def _next_batch(self) -> list[StreamMessageEvent]:
        if self._finished:
            raise StopAsyncIteration
        if self._busy:
            raise RuntimeError("another task is already waiting for this stream's next message")
        self._busy = True
        try:
            while True:
                batch = self._take_batch()
                if batch:
                    return batch
                if not self._pending and not await self._read_more():
                    raise StopAsyncIteration
        except BaseException:
            self._finish()
            raise
        finally:
            self._busy = False

    async def _read_more(self) -> bool:
        """Connect, or read the next chunk into the pending events; False at the end."""
        if self._connection is None:
            self._connection = await self._connect()
            return True
        try:
            chunk = await self._connection.read()
        except APIConnectionError as error:
            await self._recover(error)
            return True
        if chunk:
            self._pending.extend(self._feed(chunk))
        elif self._reconnect:
            await self._recover(APIConnectionError("The server ended the message stream."))
        else:
            return False
        return True

    def _feed(self, chunk: bytes) -> list[ServerSentEvent]:
        try:
            return self._parser.feed(chunk)
        except EventTooLargeError as error:
            raise ResponseTooLargeError(
                f"The message stream sent {error}, over max_event_bytes; the connection "
                "was dropped (raise stream.max_event_bytes if such events are expected).",
                status=200,
                request_id=None if self._connection is None else self._connection.request_id,
            ) from None

    def _take_pending(self) -> StreamMessageEvent | None:
        """The next message among the parsed events; others are consumed silently."""
        pending = self._pending
        while pending:
            message = _message(pending.popleft())
            if message is not None:
                self._after = message.id
                if not self._policy.delivered_since_failure:  # else: nothing to renew
                    self._policy.delivered()
                return message
        return None

    def _take_batch(self) -> list[StreamMessageEvent]:
        """The messages among the next ``BATCH_SIZE`` parsed events (none if all of
        them are heartbeats or malformed: the caller then takes the next ones)."""
        pending = self._pending
        events = [pending.popleft() for _ in range(min(len(pending), BATCH_SIZE))]
        bodies = [event.data for event in events if event.type == "message"]
        try:
            # One decode for the whole batch: a JSON array of the events' data.
            batch = _decode_many(b"[%s]" % b",".join(bodies))
        except DECODE_ERRORS:
            batch = []
        if len(batch) == len(bodies):
            link_bodies(batch, bodies)
        else:
            # A malformed event among them (or data that is not one JSON value, which
            # the count gives away): one by one, skipping and logging the bad ones.
            batch = [message for message in map(_message, events) if message is not None]
        if batch:
            self._after = batch[-1].id
            self._policy.delivered()
        return batch

    async def _connect(self) -> StreamConnection:
        self._parser = self._new_parser(self.max_event_bytes)
        # Every turn either connects or spends the retry budget.
        while True:
            try:
                return await self._opener.open(self._after)
            except BimpeAIError as error:
                await self._recover(error)

    async def _recover(self, error: BimpeAIError) -> None:
        """Drop the connection and wait to reconnect, or raise ``error`` if we must not."""
        self._drop_connection()
        retry = self._parser.retry
        if retry is not None:
            self._policy.server_retry(retry)
        delay = self._policy.delay_after(error)
        if delay is None:
            raise error
        logger.info(
            "message stream interrupted by %s; reconnecting in %.2f s (failure %d of %d)",
            type(error).__name__,
            delay,
            self._policy.failures,
            self._policy.max_retries,
            extra={"bimpe_retry_wait": delay, "bimpe_attempt": self._policy.failures},
        )
        if delay > 0:
            await self.sleep(delay)

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _finish(self) -> None:
        self._finished = True
        self._pending.clear()
        self._drop_connection()


class MessageBatches:
    """``stream.batches()``: the stream's messages, a list per network read.

    Like the stream, an async iterator and an async context manager whose ``break``,
    cancellation or ``aclose()`` close the connection at once.
    """

    def __init__(self, stream: MessageStream) -> None:
        self._stream = stream

    def __aiter__(self) -> MessageBatches:
        return self

    async def __anext__(self) -> list[StreamMessageEvent]:
        return await self._stream._next_batch()

    async def aclose(self) -> None:
        """Close the connection; nothing more is handed out."""
        self._stream._finish()

    async def __aenter__(self) -> MessageBatches:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stream._finish()

    def __del__(self) -> None:
        # `break` drops the iterator without awaiting anything: close the socket now.
        self._stream._drop_connection()
