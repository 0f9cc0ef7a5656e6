"""Unit-test a middleware in a few lines: no HTTP, a scripted downstream instead.

``MiddlewareHarness`` runs one middleware (or a ``Chain``) in front of a fake downstream
that plays a script of outcomes in order, and records every request that reaches it::

    from bimpe_async.middleware.testkit import MiddlewareHarness, fail, make_request, respond

    harness = MiddlewareHarness(my_middleware, script=[fail(503), respond(json={"data": []})])
    response = await harness.run(make_request("GET", "/agents"))
    assert [sent.attempt for sent in harness.sent] == [1, 2]

A script step is ``respond(...)`` (a 2xx response), ``fail(status)`` (the ``APIError``
the real client would raise for that status), any exception instance (raised as is,
e.g. ``APIConnectionError()``), ``after(event, step)`` (waits for an ``asyncio.Event``
the test sets, so a request can be held in flight without real sleeping), or any
``async (request) -> Response`` function of your own.

The steps build their response or error from the request as it arrives, exactly as the
real sender does: an error carries the request's ``X-Request-Id``, a response links
back to the request. A middleware that calls downstream more often than the script
allows gets an ``AssertionError`` naming the call.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from multidict import CIMultiDict, CIMultiDictProxy

from .._core import API_PREFIX
from .._http import Handler, Request, RequestOptions, Response
from ..errors import error_from_response
from .chain import Chain, Middleware

BASE_URL = "https://api.bimpe.ai" + API_PREFIX
"""What ``make_request`` puts in front of the path (the real API's URL)."""

Step = Handler | BaseException
"""One scripted outcome: a handler that answers (or raises), or an exception to raise."""


def make_request(
    method: str = "GET",
    path: str = "/agents",
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    max_retries: int = 2,
    timeout: float | None = 30.0,
    idempotency_key: str | None = None,
) -> Request:
    """A request as the client would build it, defaults being the client's own.

    ``path`` is relative to the API prefix and may carry a query (``/agents?limit=5``).
    """
    options = RequestOptions(
        timeout=timeout, max_retries=max_retries, idempotency_key=idempotency_key
    )
    return Request(
        method,
        BASE_URL + path,
        path=path,
        headers=CIMultiDict(headers or {}),
        body=body,
        options=options,
    )


def respond(
    status: int = 200,
    json: Any = None,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Handler:
    """A step answering with a 2xx ``Response``; ``json``, when given, is the body.

    Only 2xx statuses: the real sender raises for every other status, so a middleware
    never sees a ``Response`` with one. Use ``fail(status)`` for those.
    """
    if not 200 <= status < 300:
        raise ValueError(f"respond() is for 2xx statuses; use fail({status}) for errors")
    content = msgspec.json.encode(json) if json is not None else body
    frozen_headers = CIMultiDictProxy(CIMultiDict(headers or {}))

    async def answer(request: Request) -> Response:
        return Response(status, frozen_headers, content, request)

    return answer


def fail(
    status: int,
    code: str | None = None,
    *,
    message: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Handler:
    """A step raising the ``APIError`` subclass the client raises for this response.

    The error is built by the client's own ``error_from_response`` from an error
    envelope, so ``fail(429, headers={"Retry-After": "2"})`` is a ``RateLimitError``
    with ``retry_after == 2.0`` and ``fail(400, "validation_error")`` a
    ``ValidationError``.
    """
    if status < 300:
        raise ValueError(f"fail() is for error statuses; use respond({status}) for success")
    envelope = {"message": message or f"HTTP {status}", "code": code}
    content = msgspec.json.encode(envelope)
    frozen_headers = CIMultiDictProxy(CIMultiDict(headers or {}))

    async def refuse(request: Request) -> Response:
        raise error_from_response(
            status, frozen_headers, content, request.headers.get("X-Request-Id")
        )

    return refuse


def after(gate: asyncio.Event, step: Step) -> Handler:
    """A step that waits until the test sets ``gate``, then plays ``step``.

    The request is recorded in ``harness.sent`` before the wait, so a test can wait
    for it to arrive, act while it is in flight, and then release it.
    """

    async def held(request: Request) -> Response:
        await gate.wait()
        return await _play(step, request)

    return held


async def _play(step: Step, request: Request) -> Response:
    if isinstance(step, BaseException):
        raise step
    return await step(request)


@dataclass(frozen=True)
class SentRequest:
    """A request as it reached the downstream: copies, so later changes don't show."""

    method: str
    url: str
    path: str
    headers: CIMultiDictProxy[str]
    body: bytes | None
    attempt: int
    extensions: Mapping[str, Any]
    options: RequestOptions

    @classmethod
    def of(cls, request: Request) -> SentRequest:
        options = request.options
        return cls(
            method=request.method,
            url=request.url,
            path=request.path,
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
            body=request.body,
            attempt=request.attempt,
            extensions=dict(request.extensions),
            options=RequestOptions(
                timeout=options.timeout,
                max_retries=options.max_retries,
                idempotency_key=options.idempotency_key,
            ),
        )


class MiddlewareHarness:
    """Runs ``middleware`` in front of a downstream that plays ``script`` in order.

    ``sent`` lists what reached the downstream, one entry per call of ``call_next``.
    ``script`` holds the steps not yet played; append to it between runs to script
    the next ones. The harness keeps no other state, so one middleware object can be
    run through several calls, as a client would run it.
    """

    def __init__(self, middleware: Middleware | Chain, script: Iterable[Step] = ()) -> None:
        self.script: deque[Step] = deque(script)
        self.sent: list[SentRequest] = []
        if isinstance(middleware, Chain):
            self._handler = middleware.compose(self._downstream)
        else:
            self._handler = self._bind(middleware)

    def _bind(self, middleware: Middleware) -> Handler:
        # Bound directly rather than through a Chain, so a middleware under test
        # needs no name yet.
        async def handler(request: Request) -> Response:
            return await middleware(request, self._downstream)

        return handler

    async def run(self, request: Request | None = None) -> Response:
        """Send ``request`` (default: ``make_request()``) through the middleware."""
        return await self._handler(request if request is not None else make_request())

    async def _downstream(self, request: Request) -> Response:
        self.sent.append(SentRequest.of(request))
        if not self.script:
            raise AssertionError(
                f"downstream called {len(self.sent)} times, but the script had "
                f"{len(self.sent) - 1} steps: {request!r}"
            )
        return await _play(self.script.popleft(), request)
