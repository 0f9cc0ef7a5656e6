"""An asyncio loop whose clock jumps ahead whenever it has nothing else to do.

Rate-limit scenarios span minutes of server windows, holds, backoffs and call
timeouts. On this loop they take only the CPU time they need: ``loop.time()`` is
virtual, and when the loop would block waiting for a timer while no socket is ready,
the clock jumps to that timer instead. Everything that schedules through the loop
(``asyncio.sleep``, ``asyncio.timeout``, aiohttp's timeouts, tenacity's waits, the
SDK's deadlines) then sees consistent time, so a timeout fires exactly when the
scenario says, never early because the machine is slow.

It suits a client and a server on loopback in this same loop and thread: a byte
written to a loopback socket is readable at once, so "no socket ready" means
nothing is in flight. Work in other threads (DNS lookups: use IP literals) would
not be waited for. ``unix()`` is the virtual time as a unix timestamp, for the
clocks of the emulator and of the SDK's limiters.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

FileObject = Any
"""A file descriptor or an object with ``fileno()``, as selectors take them."""

EPOCH = 1_700_000_000.0
"""The unix time at which the virtual clock starts."""


class _JumpingSelector(selectors.BaseSelector):
    """The platform's selector, but a wait for a timer is a jump of the clock."""

    def __init__(self) -> None:
        self._real = selectors.DefaultSelector()
        self.now = 0.0

    def register(self, fileobj: FileObject, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj: FileObject) -> selectors.SelectorKey:
        return self._real.unregister(fileobj)

    def modify(self, fileobj: FileObject, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.modify(fileobj, events, data)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._real.select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # no timer at all: only I/O can wake us, for real
            return self._real.select(None)
        self.now += timeout
        return []

    def get_map(self) -> Mapping[FileObject, selectors.SelectorKey]:
        return self._real.get_map()

    def close(self) -> None:
        self._real.close()


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """A selector event loop on the jumping clock (starts at 0)."""

    def __init__(self) -> None:
        self._jumping = _JumpingSelector()
        super().__init__(self._jumping)

    def time(self) -> float:
        return self._jumping.now

    def unix(self) -> float:
        """The virtual time as unix seconds."""
        return EPOCH + self._jumping.now


def run_virtual(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a fresh ``VirtualTimeLoop``, then close it."""
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


def unix() -> float:
    """The running virtual loop's time as unix seconds (a clock for the emulator)."""
    loop = asyncio.get_running_loop()
    assert isinstance(loop, VirtualTimeLoop), "unix() needs a VirtualTimeLoop"
    return loop.unix()
