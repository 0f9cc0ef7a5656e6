"""The client's aiohttp session: which event loop it belongs to, and how it is closed.

An aiohttp session, its pooled connections and the SDK's rate-limit state all belong
to the event loop they were first used in; used from another loop they fail with
aiohttp's own ``RuntimeError``\\s ("Event loop is closed", "attached to a different
loop"). Rather than guess, a client refuses another loop with a ``UserError`` that
says what to do: one client per event loop. (Silently opening a second session would
strand the first one's sockets on a loop that can no longer close them.)

Closing is orderly: ``close()`` refuses new exchanges at once, waits for the HTTP
exchanges already in progress to finish (each within its own timeout), then closes
the session. A call whose next attempt meets the closed client is told which case
it is in: ``UserError`` when nothing of it was sent, ``ClientClosedError`` when an
earlier attempt was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import aiohttp

from .errors import ClientClosedError, UserError

if TYPE_CHECKING:
    from ._http import Request

_CLOSED = "this client is closed; create a new AsyncBimpeAI"


class SessionHolder:
    """Owns (or borrows) one aiohttp session for one client and its views."""

    def __init__(self, session: aiohttp.ClientSession | None) -> None:
        self._session = session
        self._owned = session is None
        # A caller's session knows its loop; ours is bound when first created.
        self._loop: asyncio.AbstractEventLoop | None = None if session is None else session._loop
        self.closed = False
        self._active = 0
        self._idle: asyncio.Event | None = None

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session in use, if any (for inspection; calls go through ``get``)."""
        return self._session

    def get(self) -> aiohttp.ClientSession:
        """The session for the running loop, created on first use; never a closed one."""
        if self.closed:
            raise UserError(_CLOSED)
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None:
            # Created on first use, inside the running loop (aiohttp requires one).
            self._session = session = aiohttp.ClientSession()
            self._loop = loop
        elif self._loop is not loop:
            raise UserError(self._wrong_loop())
        elif session.closed:
            raise UserError("the aiohttp.ClientSession given as http_client is closed")
        return session

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

    @contextmanager
    def exchange(self, request: Request) -> Iterator[aiohttp.ClientSession]:
        """The session for one HTTP exchange, counted so that ``close()`` can wait for it."""
        if self.closed and request.attempt > 1:
            raise ClientClosedError(
                f"{request.method} {request.path}: the client was closed while this call "
                f"was in flight, before attempt {request.attempt}; an earlier attempt was "
                "sent, so the server may have acted on it."
            )
        session = self.get()
        self._active += 1
        try:
            yield session
        finally:
            self._active -= 1
            if self._active == 0 and self._idle is not None:
                self._idle.set()

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
        if session is not None and self._owned:
            await session.close()
