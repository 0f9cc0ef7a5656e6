"""The values that travel through the middleware chain, and the handler at its end.

A ``Request`` is built once per call and handed down the chain; every middleware may
read and change it. The terminal ``AiohttpSender`` sends it with aiohttp and turns the
outcome into a ``Response`` or one of our errors, so no aiohttp exception ever reaches
a caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from ._headers import case_insensitive
from .errors import APIConnectionError, APITimeoutError, error_from_response


class RequestOptions:
    """Per-call settings, already resolved against the client's defaults."""

    __slots__ = ("idempotency_key", "max_retries", "timeout")

    def __init__(
        self, *, timeout: float | None, max_retries: int, idempotency_key: str | None = None
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.idempotency_key = idempotency_key

    def __repr__(self) -> str:
        return (
            f"RequestOptions(timeout={self.timeout!r}, max_retries={self.max_retries!r}, "
            f"idempotency_key={self.idempotency_key!r})"
        )


class Request:
    """One API call on its way out.

    ``url`` is absolute with the query already encoded; ``body`` is the JSON bytes (or
    None). ``attempt`` counts from 1 and is advanced by the retry middleware, so that
    middleware below it can tell attempts apart. ``extensions`` is a free-form dict for
    middleware to pass data to each other. ``route`` is the endpoint's path template
    (``/agents/{agent_id}``): a label for metrics and traces that carries no ids.
    """

    __slots__ = (
        "attempt",
        "body",
        "extensions",
        "headers",
        "method",
        "options",
        "path",
        "route",
        "url",
    )

    def __init__(
        self,
        method: str,
        url: str,
        *,
        path: str,
        headers: CIMultiDict[str],
        body: bytes | None,
        options: RequestOptions,
        route: str = "",
    ) -> None:
        self.method = method
        self.url = url
        self.path = path
        self.route = route
        self.headers = headers
        self.body = body
        self.options = options
        self.attempt = 1
        self.extensions: dict[str, Any] = {}

    @property
    def is_write(self) -> bool:
        """True for methods that change server state (and so carry an Idempotency-Key)."""
        return self.method != "GET" and self.method != "HEAD"

    def __repr__(self) -> str:
        # Headers are left out on purpose: they carry the API key.
        return f"<Request {self.method} {self.path} attempt={self.attempt}>"


class Response:
    """A successful (2xx) HTTP response, body fully read."""

    __slots__ = ("body", "headers", "request", "status")

    def __init__(
        self, status: int, headers: Mapping[str, str], body: bytes, request: Request
    ) -> None:
        self.status = status
        self.headers = case_insensitive(headers)
        self.body = body
        self.request = request

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id``, falling back to the one we sent."""
        return self.headers.get("x-request-id") or self.request.headers.get("X-Request-Id")

    def __repr__(self) -> str:
        return f"<Response {self.status} for {self.request.method} {self.request.path}>"


Handler = Callable[[Request], Awaitable[Response]]

_NO_CONTENT_TYPE = ("Content-Type",)


class AiohttpSender:
    """The terminal handler: one HTTP exchange over an aiohttp session.

    Non-2xx statuses raise the mapped ``APIError``; transport failures raise
    ``APIConnectionError`` / ``APITimeoutError``. Cancellation is never converted.
    """

    def __init__(self, session: Callable[[], aiohttp.ClientSession]) -> None:
        self._session = session
        self._timeouts: dict[float | None, aiohttp.ClientTimeout] = {}

    def _timeout(self, seconds: float | None) -> aiohttp.ClientTimeout:
        # ClientTimeout objects are immutable; reusing one per distinct value keeps
        # allocation off the hot path.
        timeout = self._timeouts.get(seconds)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=seconds)
            self._timeouts[seconds] = timeout
        return timeout

    async def __call__(self, request: Request) -> Response:
        try:
            async with self._session().request(
                request.method,
                # encoded=True: the URL is already percent-encoded, and must reach the
                # wire as built (re-parsing would turn an id of ".." into a parent path).
                URL(request.url, encoded=True),
                data=request.body,
                headers=request.headers,
                # aiohttp labels an empty POST application/octet-stream; a bodiless
                # request carries no Content-Type, as the official SDK sends it.
                skip_auto_headers=_NO_CONTENT_TYPE if request.body is None else None,
                timeout=self._timeout(request.options.timeout),
                allow_redirects=False,
            ) as raw:
                body = await raw.read()
                status = raw.status
                headers = raw.headers
        except asyncio.TimeoutError as exc:  # aiohttp's timeouts subclass this
            raise APITimeoutError(
                f"{request.method} {request.path} timed out after {request.options.timeout} s."
            ) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                f"{request.method} {request.path} failed: {type(exc).__name__}: {exc}"
            ) from exc
        if status >= 300:
            raise error_from_response(status, headers, body, request.headers.get("X-Request-Id"))
        return Response(status, headers, body, request)
