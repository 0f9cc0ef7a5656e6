"""Everything the request pipeline and handlers share, hung on the aiohttp app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from .faults import Faults
from .idempotency import IdempotencyStore
from .quirks import Quirks
from .ratelimit import RateLimiter
from .records import RecordedRequest
from .state import State

PREFIX = "/api/v1/console"
FULL_ACCESS = frozenset({"read", "write"})


@dataclass
class Context:
    state: State
    faults: Faults
    requests: list[RecordedRequest]
    api_keys: dict[str, frozenset[str]]
    limiter: RateLimiter
    idempotency: IdempotencyStore
    clock: Callable[[], float]
    quirks: Quirks = field(default_factory=Quirks)
    """Switchable server behaviour, shared with ``Emulator.quirks`` (see ``quirks.py``)."""
    heartbeat_interval: float = 15.0
    """Seconds of silence after which a message stream sends a heartbeat event."""
    request_ids: dict[int, str] = field(default_factory=dict)
    """Request id per in-flight request (keyed by ``id(request)``: requests are unhashable)."""


CONTEXT = web.AppKey("bimpe_emulator.context", Context)


def context(request: web.Request) -> Context:
    return request.app[CONTEXT]


def request_id(request: web.Request) -> str:
    """The id the pipeline settled on for this request (echoed or generated)."""
    return request.app[CONTEXT].request_ids.get(id(request), "")


def state(request: web.Request) -> State:
    return request.app[CONTEXT].state


def quirks(request: web.Request) -> Quirks:
    return request.app[CONTEXT].quirks


def bearer_token(request: web.Request) -> str | None:
    """The API key from ``Authorization: Bearer <key>``; ``None`` when none was sent.

    A header in another scheme comes back whole, so it fails as an invalid key.
    """
    header = request.headers.get("Authorization", "").strip()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return header or None
    return token.strip() or None


def api_key(request: web.Request) -> str:
    """The caller's key, for handlers behind the auth check (which guarantees one)."""
    return bearer_token(request) or ""
