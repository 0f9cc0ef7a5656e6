"""The values that travel through the middleware chain, and the handler at its end.

A ``Request`` is built once per call and handed down the chain; every middleware may
read and change it. The terminal ``AiohttpSender`` sends it with aiohttp and turns the
outcome into a ``Response`` or one of our errors, so no aiohttp exception ever reaches
a caller.

Bodies are read with a size limit, counted after decompression and enforced while
reading: a success body over ``max_response_bytes`` is refused with
``ResponseTooLargeError`` (a 1 MB gzip body that inflates to 1 GiB stops at the limit),
and of an error body only the first ``MAX_ERROR_BODY_BYTES`` are kept.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from ._headers import case_insensitive
from ._pool import Exchange, begin_exchange
from .errors import (
    APIConnectionError,
    APITimeoutError,
    BimpeAIError,
    ResponseTooLargeError,
    UserError,
    error_from_response,
)

if TYPE_CHECKING:
    from ._session import SessionHolder

logger = logging.getLogger("bimpe_async")

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The default cap on a decoded success body (the client's ``max_response_bytes``)."""

MAX_ERROR_BODY_BYTES = 64 * 1024
"""How much of an error body is read: enough for any real error envelope."""

AIOHTTP_FAILURES = (
    asyncio.TimeoutError,  # aiohttp's timeouts subclass this
    aiohttp.ClientError,
    ValueError,  # e.g. a header with CR/LF, a timeout aiohttp cannot use
    TypeError,
    OverflowError,
    RuntimeError,
    OSError,
)
"""What aiohttp may raise while sending or reading; ``aiohttp_error`` maps each."""


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

    ``deadline`` is the event-loop time (``loop.time()``) by which the current attempt
    must be over, or None to use ``options.timeout`` as is. The retry middleware sets
    it for each attempt (so the call's timeout also covers a wait in the rate limiter,
    and no attempt runs past the call's overall deadline); the rate limiter and the
    sender spend what is left of it.
    """

    __slots__ = (
        "_extensions",
        "attempt",
        "body",
        "deadline",
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
        self.deadline: float | None = None
        self._extensions: dict[str, Any] | None = None

    @property
    def extensions(self) -> dict[str, Any]:
        """Free-form data middleware pass to each other (created on first use)."""
        if self._extensions is None:
            self._extensions = {}
        return self._extensions

    @extensions.setter
    def extensions(self, value: dict[str, Any]) -> None:
        self._extensions = value

    def time_left(self) -> float | None:
        """Seconds this attempt may still take (None: no limit); may be <= 0."""
        if self.deadline is None:
            return self.options.timeout
        return self.deadline - asyncio.get_running_loop().time()

    @property
    def is_write(self) -> bool:
        """True for methods that change server state (and so carry an Idempotency-Key)."""
        return self.method != "GET" and self.method != "HEAD"

    def __repr__(self) -> str:
        # Headers are left out on purpose: they carry the API key.
        return f"<Request {self.method} {self.path} attempt={self.attempt}>"


class Response:
    """A successful (2xx) HTTP response, body fully read."""

    __slots__ = ("_request_id", "body", "headers", "request", "status")

    def __init__(
        self, status: int, headers: Mapping[str, str], body: bytes, request: Request
    ) -> None:
        self.status = status
        self.headers = case_insensitive(headers)
        self.body = body
        self.request = request
        self._request_id: str | None = _UNREAD

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id``, falling back to the one we sent."""
        if self._request_id is _UNREAD:  # looked up once: a call reads it twice
            self._request_id = self.headers.get("x-request-id") or self.request.headers.get(
                "X-Request-Id"
            )
        return self._request_id

    def __repr__(self) -> str:
        return f"<Response {self.status} for {self.request.method} {self.request.path}>"


_UNREAD: Any = object()


Handler = Callable[[Request], Awaitable[Response]]

_NO_CONTENT_TYPE = ("Content-Type",)
_MAX_CACHED_TIMEOUTS = 64


class AiohttpSender:
    """The terminal handler: one HTTP exchange over the client's aiohttp session.

    Non-2xx statuses raise the mapped ``APIError``; transport failures raise
    ``APIConnectionError`` / ``APITimeoutError``; input aiohttp refuses to send (a
    header with CR/LF, an unusable URL or timeout) raises ``UserError``, as a last line
    of defence behind the argument checks. Cancellation is never converted.
    """

    def __init__(
        self, sessions: SessionHolder, *, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    ) -> None:
        self._sessions = sessions
        self.max_response_bytes = max_response_bytes
        self._timeouts: dict[float | None, aiohttp.ClientTimeout] = {}

    def _timeout(self, seconds: float | None) -> aiohttp.ClientTimeout:
        # ClientTimeout objects are immutable and dear to build; rounded up to the
        # millisecond, an attempt's time left (its timeout less the microseconds
        # since the retry middleware set its deadline) hits the same few each call.
        if seconds is not None:
            seconds = math.ceil(seconds * 1000) / 1000
        timeout = self._timeouts.get(seconds)
        if timeout is None:
            if len(self._timeouts) >= _MAX_CACHED_TIMEOUTS:
                self._timeouts.clear()  # waits in a limiter leave one-off values behind
            timeout = self._timeouts[seconds] = aiohttp.ClientTimeout(total=seconds)
        return timeout

    async def __call__(self, request: Request) -> Response:
        sessions = self._sessions
        session = sessions.begin(request)
        if session is None:
            session = await sessions.wait_for_connection(request, self._seconds_left(request))
        exchange = begin_exchange()
        try:
            while True:
                seconds = exchange.seconds = self._seconds_left(request)
                try:
                    async with session.request(
                        request.method,
                        # encoded=True: the URL is already percent-encoded, and must reach
                        # the wire as built (re-parsing would turn an id of ".." into a
                        # parent path).
                        URL(request.url, encoded=True),
                        data=request.body,
                        headers=request.headers,
                        # aiohttp labels an empty POST application/octet-stream; a
                        # bodiless request carries no Content-Type, as the official SDK
                        # sends it. (A GET gets none anyway: not asking spares aiohttp
                        # a set per request.)
                        skip_auto_headers=(
                            _NO_CONTENT_TYPE
                            if request.body is None and request.method != "GET"
                            else None
                        ),
                        timeout=self._timeout(seconds),
                        allow_redirects=False,
                    ) as raw:
                        exchange.answered = True
                        status = raw.status
                        headers = raw.headers
                        limit = self.max_response_bytes
                        if status >= 300:
                            limit = min(limit, MAX_ERROR_BODY_BYTES)
                        length = raw.content_length
                        if (
                            length is not None
                            and length <= limit
                            and "Content-Encoding" not in headers
                        ):
                            # What arrives can be no longer than announced: read it whole.
                            body, truncated = await raw.read(), False
                        else:
                            body, truncated = await read_limited(raw, limit)
                    break
                except AIOHTTP_FAILURES as error:
                    if exchange.fresh_only or not exchange.nothing_received_on_reused(error):
                        raise self._error(request, error, exchange) from error
                    # A kept-alive connection the server had closed: not an attempt that
                    # failed, so it is sent again now, once, on a new connection.
                    logger.debug(
                        "%s %s met a kept-alive connection the server had closed (%s); "
                        "sending it again on a new connection",
                        request.method,
                        request.route or "(request)",
                        type(error).__name__,
                    )
                    exchange.start(fresh_only=True)
        finally:
            exchange.end()
            sessions.end()
        if status >= 300:
            raise error_from_response(
                status, headers, body, request.headers.get("X-Request-Id"), truncated=truncated
            )
        if truncated:
            raise ResponseTooLargeError(
                f"{request.method} {request.path} answered {status} with a body over "
                f"max_response_bytes ({self.max_response_bytes} bytes once decoded); "
                "it was refused while reading.",
                status=status,
                request_id=headers.get("x-request-id") or request.headers.get("X-Request-Id"),
                headers=headers,
            )
        return Response(status, headers, body, request)

    def _seconds_left(self, request: Request) -> float | None:
        """What is left of the attempt's time; refuses a value aiohttp cannot use."""
        seconds = request.time_left()
        if seconds is not None:
            if not math.isfinite(seconds):  # aiohttp would overflow, or ignore a NaN
                raise UserError(
                    f"{request.method} {request.path}: the timeout must be a positive, "
                    f"finite number of seconds or None, got {request.options.timeout!r}"
                )
            if seconds <= 0:
                raise APITimeoutError(
                    f"{request.method} {request.path} ran out of time before attempt "
                    f"{request.attempt} could be sent."
                )
        return seconds

    def _error(self, request: Request, error: BaseException, exchange: Exchange) -> BimpeAIError:
        """Our error for a failed exchange; a timeout says what it was waiting for."""
        waiting_for = None
        if self._sessions.tracked:
            if not exchange.connected:
                waiting_for = "a connection to the server"
            elif not exchange.answered:
                waiting_for = "the server's answer"
            else:
                waiting_for = "the rest of the response body"
        elif not exchange.answered:
            waiting_for = (
                "the server's answer (or for a free connection in the pool of the "
                "aiohttp.ClientSession given as http_client)"
            )
        return aiohttp_error(
            f"{request.method} {request.path}",
            error,
            seconds=exchange.seconds,
            waiting_for=waiting_for,
        )


async def read_limited(raw: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` decoded bytes of the body, and whether there was more.

    With more, the connection is closed rather than drained: the rest is never read.
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := await raw.content.readany():
        size += len(chunk)
        if size > limit:
            chunks.append(chunk[: len(chunk) - (size - limit)])
            raw.close()
            return b"".join(chunks), True
        chunks.append(chunk)
    return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), False


def aiohttp_error(
    what: str,
    error: BaseException,
    *,
    seconds: float | None = None,
    detail: str | None = None,
    waiting_for: str | None = None,
) -> BimpeAIError:
    """Our error for an exception aiohttp raised while doing ``what``.

    Input aiohttp cannot put on the wire is the caller's (``UserError``, never
    retried); anything else means there was no usable response. ``detail`` replaces
    the description of ``error`` (the stream masks its ticket in it); ``waiting_for``
    says what a timeout was waiting for, when that is known.
    """
    if detail is None:
        detail = f"{type(error).__name__}: {error}"
    if isinstance(error, asyncio.TimeoutError):
        after = "" if seconds is None else f" after {seconds:.3g} s"
        waiting = "" if waiting_for is None else f" waiting for {waiting_for}"
        return APITimeoutError(f"{what} timed out{after}{waiting} ({detail}).")
    if isinstance(error, aiohttp.InvalidURL) or (
        isinstance(error, (ValueError, TypeError, OverflowError))
        and not isinstance(error, aiohttp.ClientError)
    ):
        return UserError(f"{what} could not be sent ({detail}).")
    return APIConnectionError(f"{what} failed ({detail}).")
