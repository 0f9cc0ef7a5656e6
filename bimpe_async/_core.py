"""Where a call becomes a request and a response becomes a model.

``Core.call`` builds the ``Request`` for an ``Endpoint`` (URL, headers, JSON body,
resolved per-call options), runs it through the client's composed middleware chain,
and decodes the response bytes straight into the endpoint's type with a cached
msgspec decoder. ``Core.page`` does the same for list endpoints and wraps the result
in an ``AsyncPage`` that knows how to fetch its neighbours.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import aiohttp
import msgspec
from multidict import CIMultiDict

from ._endpoint import Endpoint, encode_query
from ._http import Handler, Request, RequestOptions, Response
from .errors import APIResponseValidationError, UserError
from .models.base import ResponseSource, link_source
from .models.common import EmptyEnvelope, Envelope
from .pagination import AsyncPage

T = TypeVar("T")

API_PREFIX = "/api/v1/console"

_encode_json = msgspec.json.Encoder().encode


@functools.cache
def _decoder(data_type: Any) -> msgspec.json.Decoder[Any]:
    if data_type is None:
        return msgspec.json.Decoder(EmptyEnvelope)
    return msgspec.json.Decoder(Envelope[data_type])


class CallOptions(msgspec.Struct, frozen=True):
    """What a caller may set per call; None means the client's default."""

    idempotency_key: str | None = None
    timeout: float | None = None
    max_retries: int | None = None
    headers: Mapping[str, str] | None = None


NO_OPTIONS = CallOptions()


def check_timeout(name: str, value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
    ):
        raise UserError(f"{name} must be a positive number of seconds or None, got {value!r}")


def check_max_retries(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UserError(f"{name} must be an integer >= 0, got {value!r}")


class Core:
    """The request pipeline entry shared by every resource of one client."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str],
        timeout: float | None,
        max_retries: int,
        handler: Handler,
        session: Callable[[], aiohttp.ClientSession],
    ) -> None:
        self.api_url = base_url.rstrip("/") + API_PREFIX
        self.headers = CIMultiDict(headers)
        self.timeout = timeout
        self.max_retries = max_retries
        self.handler = handler
        self.session = session
        """The client's aiohttp session (created on first use), for long-lived streams."""

    def build_request(
        self,
        endpoint: Endpoint[Any],
        ids: Mapping[str, object],
        query: Mapping[str, Any] | None,
        body: Any,
        options: CallOptions,
    ) -> Request:
        path = endpoint.render_path(ids) + encode_query(query)
        headers = self.headers.copy()
        content = None
        if body is not None:
            content = _encode_json(body)
            headers["Content-Type"] = "application/json"
        if options.headers:
            headers.update(options.headers)
        if options is NO_OPTIONS:
            resolved = RequestOptions(timeout=self.timeout, max_retries=self.max_retries)
        else:
            check_timeout("timeout", options.timeout)
            if options.max_retries is not None:
                check_max_retries("max_retries", options.max_retries)
            if options.idempotency_key is not None and not options.idempotency_key:
                raise UserError("idempotency_key must be a non-empty string or None")
            resolved = RequestOptions(
                timeout=self.timeout if options.timeout is None else options.timeout,
                max_retries=self.max_retries
                if options.max_retries is None
                else options.max_retries,
                idempotency_key=options.idempotency_key,
            )
        return Request(
            endpoint.method,
            self.api_url + path,
            path=path,
            headers=headers,
            body=content,
            options=resolved,
            route=endpoint.path,
        )

    async def send(
        self,
        endpoint: Endpoint[Any],
        ids: Mapping[str, object],
        query: Mapping[str, Any] | None,
        body: Any,
        options: CallOptions,
    ) -> tuple[Any, Response]:
        """Run one call through the chain; the decoded envelope and the raw response."""
        response = await self.handler(self.build_request(endpoint, ids, query, body, options))
        try:
            envelope = _decoder(endpoint.data).decode(response.body)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise APIResponseValidationError(
                f"{endpoint.method} {response.request.path} answered {response.status} with "
                f"a body that is not a valid BimpeAI response envelope: {exc}",
                status=response.status,
                request_id=response.request_id,
                headers=response.headers,
                body=response.body,
            ) from None
        if endpoint.data is not None:
            source = ResponseSource(response.body)
            link_source(envelope.data, source, ("data",))
            if envelope.meta is not None:
                link_source(envelope.meta, source, ("meta",))
        return envelope, response

    async def call(
        self,
        endpoint: Endpoint[T],
        ids: Mapping[str, object] = {},
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        options: CallOptions = NO_OPTIONS,
    ) -> T:
        """Call ``endpoint`` and return its decoded ``data``."""
        envelope, _ = await self.send(endpoint, ids, query, body, options)
        return None if endpoint.data is None else envelope.data  # type: ignore[return-value]

    async def _fetch_page(
        self,
        endpoint: Endpoint[list[T]],
        ids: Mapping[str, object],
        query: Mapping[str, Any],
        number: int,
    ) -> AsyncPage[T]:
        envelope, response = await self.send(
            endpoint, ids, {**query, "page": number}, None, NO_OPTIONS
        )
        return AsyncPage(
            data=envelope.data,
            meta=envelope.meta,
            request_id=response.request_id,
            fetch=functools.partial(self._fetch_page, endpoint, ids, query),
        )

    async def page(
        self,
        endpoint: Endpoint[list[T]],
        ids: Mapping[str, object] = {},
        *,
        query: Mapping[str, Any],
    ) -> AsyncPage[T]:
        """Call a list endpoint; the page fetches the others with the same filters."""
        # A partial rather than a closure that refers to itself: that would leave a
        # reference cycle behind every list call for the garbage collector.
        fetch = functools.partial(self._fetch_page, endpoint, ids, query)

        first = query.get("page", 1)
        if isinstance(first, bool) or not isinstance(first, int) or first < 1:
            raise UserError(f"page must be an integer >= 1, got {first!r}")
        return await fetch(first)
