"""Run a benchmark's coroutine on the standard asyncio loop or on uvloop.

uvloop is an optional extra: every async benchmark is reported on each loop that is
installed, so the effect of the loop and the effect of the client can be told apart.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

ASYNCIO = "asyncio"
UVLOOP = "uvloop"


def uvloop_installed() -> bool:
    return importlib.util.find_spec("uvloop") is not None


def available(*, with_uvloop: bool) -> tuple[str, ...]:
    """The loops to report on: asyncio, plus uvloop when asked for and installed."""
    return (ASYNCIO, UVLOOP) if with_uvloop and uvloop_installed() else (ASYNCIO,)


def new_loop(name: str) -> asyncio.AbstractEventLoop:
    if name == UVLOOP:
        import uvloop

        return uvloop.new_event_loop()
    if name == ASYNCIO:
        return asyncio.new_event_loop()
    raise ValueError(f"unknown event loop {name!r}")


def run_on(name: str, main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on the named loop (a loop factory works on Python 3.10 too)."""
    loop = new_loop(name)
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()
