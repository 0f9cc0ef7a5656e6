"""A bounded wait that runs in the caller's own task.

The limit runs in the caller's task, not in a task of its own as ``wait_for`` (on
3.10 and 3.11) would: what the wait admits (a limiter's slot, a pool's connection)
is then used in the same step as it is granted, and a wait cut short never leaves
an orphan task holding what it was granted.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable

if sys.version_info >= (3, 11):

    async def within(seconds: float, waiting: Awaitable[object]) -> bool:
        """Await ``waiting``; False, with it cancelled, if ``seconds`` pass first."""
        try:
            async with asyncio.timeout(seconds):
                await waiting
        except TimeoutError:
            return False
        return True

else:

    async def within(seconds: float, waiting: Awaitable[object]) -> bool:
        """Await ``waiting``; False, with it cancelled, if ``seconds`` pass first."""
        task = asyncio.current_task()
        assert task is not None
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            task.cancel()

        timer = asyncio.get_running_loop().call_later(seconds, expire)
        try:
            await waiting
        except asyncio.CancelledError:
            if expired:
                return False
            raise
        finally:
            timer.cancel()
        return True
