"""The client's own connection pool: how big it is, and what each exchange got from it.

Two facts about one HTTP exchange decide how its failure is handled, and aiohttp's
exceptions carry neither: whether the connection came out of the pool (a kept-alive
connection the server may have closed while it sat idle) and whether one was obtained
at all (a timeout before that was spent connecting, not waiting for the server).
``TrackingConnector`` records both on the ``Exchange`` of the running task, kept in a
context variable, because aiohttp gives the connector no other way to reach the
caller. A connection counts as reused when the connector has handed it out before.

It is used only for sessions the client creates: with a caller's ``http_client``
nothing is recorded and failures are handled as ordinary ones.
"""

from __future__ import annotations

import asyncio
import collections
from contextvars import ContextVar
from typing import TYPE_CHECKING

import aiohttp
from aiohttp.client_proto import ResponseHandler

if TYPE_CHECKING:
    from aiohttp.client_reqrep import ClientRequest
    from aiohttp.connector import Connection
    from aiohttp.tracing import Trace

DEFAULT_MAX_CONNECTIONS = 100
"""Connections calls may hold at once (aiohttp's own default per session)."""

DEFAULT_MAX_STREAM_CONNECTIONS = 100
"""Message streams that may be open at once; each holds a connection while open."""


class Exchange:
    """What the connector did for the exchange in progress.

    A task keeps one record for all its exchanges (see ``begin_exchange``): an
    exchange then allocates nothing, which matters more than it seems, since every
    object alive across the request's awaits is one more for the garbage collector
    to look at while dozens of calls are in flight.
    """

    __slots__ = ("answered", "connected", "fresh_only", "in_progress", "reused", "seconds")

    def __init__(self) -> None:
        self.in_progress = False
        """Between ``begin_exchange`` and ``end``: the record is taken."""
        self.start()

    def start(self, *, fresh_only: bool = False) -> None:
        """Blank the record for a new exchange (a resend is one, too)."""
        self.fresh_only = fresh_only
        """Refuse pooled connections: open a new one (set for a resend)."""
        self.connected = False
        """A connection was obtained (from the pool or newly opened)."""
        self.reused = False
        """That connection had served an earlier request (it came from the pool)."""
        self.answered = False
        """The response's status line and headers arrived (set by the sender)."""
        self.seconds: float | None = None
        """The time the sender gave the exchange (set by the sender)."""

    def end(self) -> None:
        """The exchange is over: the record may serve the task's next one."""
        self.in_progress = False

    def nothing_received_on_reused(self, error: BaseException) -> bool:
        """Whether ``error`` is a kept-alive connection the server had closed.

        That is: the connection came from the pool, no byte of a response arrived, and
        the failure is the server closing (``ServerDisconnectedError`` with no partial
        response) or resetting it (``ClientOSError``, but not a failure to connect).
        Such a request may be sent again at once on a new connection: a server closes
        a kept-alive connection because it sat idle, not because of the request that
        met the closing socket, and a write carries its ``Idempotency-Key`` anyway, so
        even a server that had read it performs it once.
        """
        if not self.reused or self.answered:
            return False
        if isinstance(error, aiohttp.ServerDisconnectedError):
            return isinstance(error.message, str)  # else: a partial response was parsed
        return isinstance(error, aiohttp.ClientOSError) and not isinstance(
            error, aiohttp.ClientConnectorError
        )


current_exchange: ContextVar[Exchange | None] = ContextVar("bimpe_exchange", default=None)


def begin_exchange() -> Exchange:
    """The running task's exchange record, blanked for a new exchange; ``end`` it after.

    The record lives in a context variable, set once per task rather than once per
    exchange (each ``set`` allocates). A task started while another was in an
    exchange inherits that task's record; finding it taken, it gets its own.
    """
    exchange = current_exchange.get()
    if exchange is None or exchange.in_progress:
        exchange = Exchange()
        current_exchange.set(exchange)
    else:
        exchange.start()
    exchange.in_progress = True
    return exchange


class Slots:
    """The pool's connections as slots: taken at once when one is free, else waited
    for in arrival order.

    A slot given back goes straight to the longest waiter, so no newcomer can take
    it first; a waiter cancelled (or timed out) in the same step as it was handed a
    slot passes it on, so none is lost. Taking a free slot never suspends, which is
    why this is not an ``asyncio.Semaphore``: its ``acquire`` is a coroutine even
    when it need not wait, and every call would pay for one.
    """

    __slots__ = ("_waiters", "free")

    def __init__(self, size: int) -> None:
        self.free = size
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def take_now(self) -> bool:
        """Take a slot if one is free and nobody is waiting for one."""
        if self.free > 0 and not self._waiters:
            self.free -= 1
            return True
        return False

    async def take(self) -> None:
        """Wait for a slot (after ``take_now`` found none)."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.give_back()  # handed a slot as the wait was cut short
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            raise

    def give_back(self) -> None:
        """Return a slot: to the longest waiter if there is one."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free += 1


class TrackingConnector(aiohttp.TCPConnector):
    """A ``TCPConnector`` that tells the running exchange where its connection came from."""

    def __init__(self, *, limit: int) -> None:
        super().__init__(limit=limit)
        # A plain dict, not a WeakSet (whose every lookup is Python code making a
        # weak reference): closed connections are dropped from it as it grows.
        self._handed_out: dict[ResponseHandler, None] = {}
        self._prune_at = 2 * limit if limit else 200

    async def connect(
        self, req: ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout
    ) -> Connection:
        exchange = current_exchange.get()
        connection = await super().connect(req, traces, timeout)
        if exchange is None:
            return connection
        # Each pooled connection refused is closed, so this ends within the pool's size.
        while exchange.fresh_only and connection.protocol in self._handed_out:
            connection.close()
            connection = await super().connect(req, traces, timeout)
        protocol = connection.protocol
        exchange.connected = True
        exchange.reused = protocol in self._handed_out
        if not exchange.reused and protocol is not None:
            self._remember(protocol)
        return connection

    def _remember(self, protocol: ResponseHandler) -> None:
        handed_out = self._handed_out
        if len(handed_out) >= self._prune_at:
            for known in [known for known in handed_out if not known.is_connected()]:
                del handed_out[known]
            # Next pruned when it holds twice what is open now: pruning stays rare.
            self._prune_at = max(self._prune_at, 2 * len(handed_out))
        handed_out[protocol] = None
