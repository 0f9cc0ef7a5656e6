"""The client's aiohttp sessions: their pools, their event loop, and how they close.

A client that creates its own sessions keeps two pools. Calls share one of
``max_connections`` connections; message streams, which hold a connection for as
long as they are open, get a session of their own with ``max_stream_connections``,
so a hundred open streams never leave calls waiting for a connection. A call that
finds every connection busy waits for one within its attempt's time; when that runs
out it fails with ``PoolTimeoutError`` (nothing was sent), which says so rather than
blaming the server. A caller's ``http_client`` is used for both, pool and all.

An aiohttp session, its pooled connections and the SDK's rate-limit state all belong
to the event loop they were first used in; used from another loop they fail with
aiohttp's own ``RuntimeError``\\s ("Event loop is closed", "attached to a different
loop"). Rather than guess, a client refuses another loop with a ``UserError`` that
says what to do: one client per event loop. (Silently opening a second session would
strand the first one's sockets on a loop that can no longer close them.)

Closing is orderly: ``close()`` refuses new exchanges at once, waits for the HTTP
exchanges already in progress to finish (each within its own timeout), then closes
the sessions, which also ends open message streams. A call whose next attempt meets
the closed client is told which case it is in: ``UserError`` when nothing of it was
sent, ``ClientClosedError`` when an earlier attempt was.
"""

from __future__ import annotations

import asyncio
import weakref
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from yarl import URL

from ._pool import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_STREAM_CONNECTIONS,
    Slots,
    TrackingConnector,
)
from ._waits import within
from .errors import ClientClosedError, PoolTimeoutError, UserError

if TYPE_CHECKING:
    from ._http import Request

_CLOSED = "this client is closed; create a new AsyncBimpeAI"


class SessionHolder:
    """Owns (or borrows) the aiohttp sessions of one client and its views."""

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_stream_connections: int = DEFAULT_MAX_STREAM_CONNECTIONS,
        trust_env: bool = True,
        base_url: str = "",
    ) -> None:
        self._session = session
        self.trust_env = trust_env
        self._base_url = base_url
        self._stream_session: aiohttp.ClientSession | None = None
        self._streams: weakref.WeakSet[aiohttp.ClientResponse] = weakref.WeakSet()
        self._owned = session is None
        self.max_connections = max_connections
        self.max_stream_connections = max_stream_connections
        # The pool's own limit is the same number: the wait happens here, where it can
        # be told apart from a slow server, and never inside aiohttp.
        self._slots = Slots(max_connections) if self._owned else None
        # A caller's session knows its loop; ours is bound when first created.
        self._loop: asyncio.AbstractEventLoop | None = None if session is None else session._loop
        self.closed = False
        self._active = 0
        self._idle: asyncio.Event | None = None

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session in use, if any (for inspection; calls go through ``get``)."""
        return self._session

    @property
    def tracked(self) -> bool:
        """Whether exchanges learn where their connection came from (our own pool)."""
        return self._owned

    @property
    def stream_session(self) -> aiohttp.ClientSession | None:
        """The session message streams use, if one was created (for inspection)."""
        return self._stream_session if self._owned else self._session

    def get(self) -> aiohttp.ClientSession:
        """The session for the running loop, created on first use; never a closed one."""
        if self.closed:
            raise UserError(_CLOSED)
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None:
            # Created on first use, inside the running loop (aiohttp requires one).
            connector = TrackingConnector(limit=self.max_connections)
            self._session = session = aiohttp.ClientSession(
                connector=connector, **self._proxy_settings()
            )
            self._loop = loop
        elif self._loop is not loop:
            raise UserError(self._wrong_loop())
        elif session.closed:
            raise UserError("the aiohttp.ClientSession given as http_client is closed")
        return session

    def _proxy_settings(self) -> dict[str, Any]:
        """The proxy the environment names for the API's host, looked up once.

        aiohttp's own ``trust_env`` looks up the proxy and ``.netrc`` in a worker
        thread on every request, which costs more than the rest of a call; the client
        talks to one host, so its sessions take the answer once, at creation. (A
        ``.netrc`` password would clash with the bearer key, so it is not read.)
        """
        if not self.trust_env:
            return {}
        try:
            proxy, proxy_auth = get_env_proxy_for_url(URL(self._base_url))
        except LookupError:  # none set, or the host is in NO_PROXY
            return {}
        return {"proxy": proxy, "proxy_auth": proxy_auth}

    def get_for_streams(self) -> aiohttp.ClientSession:
        """The session for message streams: a pool of their own, unless borrowed."""
        session = self.get()
        if not self._owned:
            return session
        if self._stream_session is None:
            # Tracing costs a little per request; a stream pool serves one per stream.
            opened = aiohttp.TraceConfig()
            opened.on_request_end.append(self._stream_opened)
            self._stream_session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.max_stream_connections),
                trace_configs=[opened],
                **self._proxy_settings(),
            )
        return self._stream_session

    async def _stream_opened(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        self._streams.add(params.response)

    def _end_streams(self) -> None:
        """Wake every stream blocked reading: closing its connection alone would not.

        aiohttp forgets a connection's reader when it closes the connection itself,
        so a stream waiting for its next bytes would wait forever. It gets a
        connection error instead, and its reconnect then meets the closed client.
        Streams of a loop that has ended are left alone: nothing can wake them.
        """
        if self._loop is not None and self._loop.is_closed():
            return
        for response in list(self._streams):
            if not response.closed:
                response.content.set_exception(
                    aiohttp.ClientConnectionError("the client was closed")
                )

    def _wrong_loop(self) -> str:
        whose = (
            "this client's connection pool"
            if self._owned
            else "the aiohttp.ClientSession given as http_client"
        )
        gone = self._loop is not None and self._loop.is_closed()
        where = (
            "an event loop that has since closed (an earlier asyncio.run(), or an earlier "
            "test's loop)"
            if gone
            else "another event loop (another thread?)"
        )
        return (
            f"{whose} belongs to {where}. A client belongs to the event loop it is first "
            "used in: create one client per event loop (inside the coroutine that "
            "asyncio.run() runs, or in a per-test fixture) and close it there with "
            "'async with' or aclose()."
        )

    def begin(self, request: Request) -> aiohttp.ClientSession | None:
        """The session for one HTTP exchange if the pool has a free connection now;
        None when every connection is busy (then ``wait_for_connection``).

        Every exchange begun (by either) is matched by one ``end``; ``close()`` waits
        for the exchanges between the two.
        """
        self._check_open(request)
        session = self.get()
        slots = self._slots
        if slots is not None and not slots.take_now():
            return None
        self._active += 1
        return session

    async def wait_for_connection(
        self, request: Request, seconds: float | None
    ) -> aiohttp.ClientSession:
        """The session for one exchange, once the pool has a connection for it.

        The wait lasts at most ``seconds`` (None: as long as it takes).
        """
        session = self.get()
        slots = self._slots
        if slots is not None:
            if seconds is None:
                await slots.take()
            elif not await within(seconds, slots.take()):
                raise PoolTimeoutError(
                    f"{request.method} {request.path} waited {seconds:.3g} s for a free "
                    f"connection: the connection pool was exhausted (all "
                    f"{self.max_connections} connections, max_connections, busy with other "
                    "calls); nothing was sent. Raise max_connections or send fewer calls at "
                    "once."
                )
            if self.closed:  # closed while this call waited for a connection
                slots.give_back()
                self._check_open(request)
        self._active += 1
        return session

    def end(self) -> None:
        """The exchange begun is over (its connection is back in the pool, or closed)."""
        if self._slots is not None:
            self._slots.give_back()
        self._active -= 1
        if self._active == 0 and self._idle is not None:
            self._idle.set()

    def _check_open(self, request: Request) -> None:
        if not self.closed:
            return
        if request.attempt > 1:
            raise ClientClosedError(
                f"{request.method} {request.path}: the client was closed while this call "
                f"was in flight, before attempt {request.attempt}; an earlier attempt was "
                "sent, so the server may have acted on it."
            )
        raise UserError(_CLOSED)

    async def close(self) -> None:
        """Refuse new exchanges, let those in progress finish, close an owned session.

        An owned session still in use by another running loop is not closed from here.
        One whose loop has closed is closed anyway, which marks it closed (no
        "Unclosed client session" warning), but the sockets it pooled went with that
        loop: close a client before its loop ends.
        """
        loop = self._loop
        if (
            self._owned
            and loop is not None
            and loop is not asyncio.get_running_loop()
            and not loop.is_closed()
        ):
            raise UserError(self._wrong_loop())
        self.closed = True
        if self._active:
            if self._idle is None:
                self._idle = asyncio.Event()
            await self._idle.wait()
        session, self._session = self._session, None
        streams, self._stream_session = self._stream_session, None
        if self._owned:
            self._end_streams()
            for owned in (session, streams):
                if owned is not None:
                    await owned.close()
