"""One HTTP connection to a conversation's event stream, and how it is opened.

The stream GET does not go through the middleware chain: the chain's terminal
handler reads whole bodies, and its auth middleware would put the API key on a
long-lived connection. The ticket in the query is the only credential sent, so any
``Authorization`` header is removed, and the URL is masked wherever it is logged.
Middleware that declare ``observes_streams = True`` (tracing, metrics) do see each
connection being opened: a ``Request`` for the GET (``route`` the stream's template,
``attempt`` the connection's number), answered with the status and headers.

Streams have a pool of their own (the client's ``max_stream_connections``), apart
from the calls': an open stream holds its connection for as long as it runs, and
must not take one a call needs. Waiting for a free one is bounded by the client's
timeout, like connecting.

Every failure leaves here as one of our errors (``APIConnectionError``,
``APITimeoutError``, ``UserError`` for input aiohttp refuses to send, or the status's
``APIError``), built without the aiohttp exception attached: some of those carry the
request URL, and with it the ticket. Of a refusal's body only a bounded prefix is read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from .._core import Core
from .._endpoint import encode_query
from .._http import (
    AIOHTTP_FAILURES,
    MAX_ERROR_BODY_BYTES,
    Request,
    RequestOptions,
    Response,
    aiohttp_error,
    read_limited,
)
from .._ids import new_id
from ..errors import (
    APIResponseValidationError,
    BimpeAIError,
    error_from_response,
)
from ..middleware.logging import log_exchange, mask_url
from ..models.conversations import StreamTicket

logger = logging.getLogger("bimpe_async")

EVENT_STREAM = "text/event-stream"
_RESPONSE = "bimpe_stream_response"
"""Where the observed open leaves the open aiohttp response for ``open`` to take."""


_NO_CONNECTION = (
    "a connection: either every connection of the stream pool (max_stream_connections) "
    "is held by another open stream, or the server did not accept one"
)


def _transport_error(
    what: str, error: BaseException, waiting_for: str | None = None
) -> BimpeAIError:
    # aiohttp's text may carry the URL, and with it the ticket: mask it.
    detail = mask_url(f"{type(error).__name__}: {error}")
    return aiohttp_error(what, error, detail=detail, waiting_for=waiting_for)


class StreamConnection:
    """An open event-stream response; read it until the server ends it."""

    __slots__ = ("_response", "request_id")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.request_id = response.headers.get("x-request-id")

    async def read(self) -> bytes:
        """The bytes that have arrived (waiting for some); b"" once the server closed."""
        try:
            return await self._response.content.readany()
        except AIOHTTP_FAILURES as error:
            raise _transport_error("Reading the message stream", error) from None

    def close(self) -> None:
        """Close the socket now (synchronous, so it also works from a finaliser)."""
        self._response.close()


class StreamOpener:
    """Opens connections to one conversation's stream, each with a fresh ticket."""

    def __init__(
        self,
        core: Core,
        path: str,
        tickets: Callable[[], Awaitable[StreamTicket]],
        *,
        read_timeout: float | None,
        route: str = "",
    ) -> None:
        self._core = core
        self._path = path
        self._route = route
        self._connections = 0
        self._connect = core.observe_streams(self._open_response)
        self._tickets = tickets
        # connect= bounds the wait for a pooled connection as well as the connecting.
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=core.timeout, sock_connect=core.timeout, sock_read=read_timeout
        )
        headers = core.headers.copy()
        headers.popall("Authorization", None)
        headers["Accept"] = EVENT_STREAM
        headers["Cache-Control"] = "no-cache"
        self._headers = headers

    async def open(self, after: str | None) -> StreamConnection:
        """A connection that resumes after message id (or timestamp) ``after``."""
        ticket = await self._tickets()
        path = self._path + encode_query({"ticket": ticket.ticket, "after": after})
        headers = self._headers.copy()
        if "X-Request-Id" not in headers:
            headers["X-Request-Id"] = new_id()
        request = Request(
            "GET",
            self._core.api_url + path,
            path=path,
            headers=headers,
            body=None,
            options=RequestOptions(timeout=self._core.timeout, max_retries=0),
            route=self._route,
        )
        self._connections += 1
        request.attempt = self._connections
        try:
            await self._connect(request)
        except BaseException:
            opened = request.extensions.pop(_RESPONSE, None)
            if opened is not None:  # an observer failed after the connection opened
                opened.close()
            raise
        return StreamConnection(request.extensions.pop(_RESPONSE))

    async def _open_response(self, request: Request) -> Response:
        """The terminal of the observed open: connect, check the answer, keep it open."""
        headers = request.headers
        started = time.perf_counter()
        try:
            response = await self._core.session().get(
                URL(request.url, encoded=True),
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except AIOHTTP_FAILURES as error:
            self._log(request.path, headers, type(error).__name__, started)
            waiting_for = (
                _NO_CONNECTION if isinstance(error, aiohttp.ConnectionTimeoutError) else None
            )
            raise _transport_error("Connecting to the message stream", error, waiting_for) from None
        self._log(request.path, headers, response.status, started)
        try:
            await _check(response, headers)
        except BaseException:
            response.close()
            raise
        request.extensions[_RESPONSE] = response
        return Response(response.status, response.headers, b"", request)

    def _log(self, path: str, headers: CIMultiDict[str], status: int | str, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            seconds = time.perf_counter() - started
            log_exchange(
                logger, "GET", path, status, seconds, headers, what="message stream connection"
            )


async def _check(response: aiohttp.ClientResponse, headers: CIMultiDict[str]) -> None:
    """Raise the error for an answer that is not an event stream."""
    if response.status != 200:
        try:
            body, truncated = await read_limited(response, MAX_ERROR_BODY_BYTES)
        except AIOHTTP_FAILURES as error:
            raise _transport_error("Reading the message stream's refusal", error) from None
        raise error_from_response(
            response.status,
            response.headers,
            body,
            headers.get("X-Request-Id"),
            truncated=truncated,
        )
    if response.content_type != EVENT_STREAM:
        raise APIResponseValidationError(
            f"The message stream answered with Content-Type {response.content_type!r} "
            f"instead of {EVENT_STREAM!r}.",
            status=response.status,
            request_id=response.headers.get("x-request-id"),
            headers=response.headers,
        )
