"""Remembered write results, so a retried write is answered without being done twice.

Results are kept per (API key, method, raw path, Idempotency-Key). A request arriving
while the first one with the same key is still running waits for it, which is what a
client retrying after its own timeout needs.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

Scope = tuple[str, str, str, str]


def fingerprint(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: bytes
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


class IdempotencyStore:
    def __init__(self) -> None:
        self._done: dict[Scope, StoredResponse] = {}
        self._running: dict[Scope, asyncio.Event] = {}

    async def claim(self, scope: Scope) -> StoredResponse | None:
        """The stored result for ``scope``, or ``None`` once the caller may run the write.

        A ``None`` answer must be followed by :meth:`release`.
        """
        while True:
            stored = self._done.get(scope)
            if stored is not None:
                return stored
            running = self._running.get(scope)
            if running is None:
                self._running[scope] = asyncio.Event()
                return None
            await running.wait()

    def release(self, scope: Scope, result: StoredResponse | None) -> None:
        """Ends a claim, keeping ``result`` if there is one worth replaying."""
        if result is not None:
            self._done[scope] = result
        self._running.pop(scope).set()
