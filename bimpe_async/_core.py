"""Where a call becomes a request and a response becomes a model.

``Core.call`` sorts a method's keyword arguments by its ``Endpoint`` spec into query,
body and per-call options, builds the ``Request``, runs it through the client's
composed middleware chain, and decodes the response bytes straight into the
endpoint's type with a cached msgspec decoder. ``Core.page`` does the same for list
endpoints and wraps the result in an ``AsyncPage`` that knows how to fetch its
neighbours.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import aiohttp
import msgspec
from multidict import CIMultiDict

from ._checks import check_headers, check_max_retries, check_page_argument, check_timeout
from ._endpoint import EXTRAS_HINT, Endpoint, encode_query
from ._http import Handler, Request, RequestOptions, Response
from ._options import OPTION_NAMES, CallOptions
from .errors import DECODE_ERRORS, APIResponseValidationError, UserError
from .models.base import ResponseSource, link_source
from .models.common import EmptyEnvelope, Envelope
from .pagination import AsyncPage

T = TypeVar("T")

API_PREFIX = "/api/v1/console"

_encode_json = msgspec.json.Encoder().encode


@functools.cache
def _decoder(data_type: Any) -> msgspec.json.Decoder[Any]:
    # strict=False: numbers sent as strings ("5") and booleans as "true" / 1 decode, as
    # they do for the official SDK's lax pydantic models; a model is never stricter.
    if data_type is None:
        return msgspec.json.Decoder(EmptyEnvelope)
    return msgspec.json.Decoder(Envelope[data_type], strict=False)


def decode_envelope(data_type: Any, body: bytes, request_id: str | None = None) -> Any:
    """The envelope of a 2xx body, ``data`` decoded into ``data_type`` and linked to
    ``body`` (so unknown fields stay readable). Raises what ``DECODE_ERRORS`` lists."""
    envelope = _decoder(data_type).decode(body)
    if data_type is not None:
        source = ResponseSource(body, request_id)
        link_source(envelope.data, source, (), "data")
        if envelope.meta is not None:
            link_source(envelope.meta, source, (), "meta")
    return envelope


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
        self.observe_streams: Callable[[Handler], Handler] = _unobserved
        """Wraps the opening of a stream connection in the middleware that observe
        streams (``observes_streams = True``: tracing, metrics); set by the client."""
        self._defaults = RequestOptions(timeout=timeout, max_retries=max_retries)

    def _resolve(self, options: CallOptions) -> RequestOptions:
        timeout = options.get("timeout")
        max_retries = options.get("max_retries")
        idempotency_key = options.get("idempotency_key")
        check_timeout("timeout", timeout)
        if max_retries is not None:
            check_max_retries("max_retries", max_retries)
        if idempotency_key is not None and (
            not isinstance(idempotency_key, str)
            or not idempotency_key
            or any(c in idempotency_key for c in "\r\n\0")
        ):
            raise UserError(
                f"idempotency_key must be a non-empty single-line string or None, "
                f"got {idempotency_key!r}"
            )
        return RequestOptions(
            timeout=self.timeout if timeout is None else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            idempotency_key=idempotency_key,
        )

    def build_request(
        self,
        endpoint: Endpoint[Any],
        ids: tuple[object, ...],
        args: Mapping[str, Any],
        body: Mapping[str, Any] | None = None,
    ) -> Request:
        """The ``Request`` for one call: ``args`` are the method's keyword arguments."""
        options: CallOptions = {}
        query: dict[str, Any] = {}
        fields: dict[str, Any] = {}
        for name, value in args.items():
            if name in endpoint.query:
                query[name] = value
            elif name in OPTION_NAMES:
                options[name] = value  # type: ignore[literal-required]
            else:
                fields[name] = value
        if fields and (endpoint.body is None or body is not None):
            allowed = sorted((*endpoint.query, *OPTION_NAMES))
            raise UserError(
                f"{endpoint.name}() got unexpected argument(s) {', '.join(sorted(fields))}; "
                f"allowed: {', '.join(allowed)}; {EXTRAS_HINT}"
            )
        if body is not None:
            if not isinstance(body, Mapping):
                raise UserError(f"{endpoint.name}(): body must be a dict, got {body!r}")
            fields = dict(body)

        payload: dict[str, Any] | None = None
        if endpoint.body is not None:
            payload = endpoint.body.build(fields, endpoint.name)
        headers = self.headers.copy()
        if options:
            extra_body = options.get("extra_body")
            if extra_body is not None:
                if not isinstance(extra_body, Mapping):
                    raise UserError(f"extra_body must be a dict, got {extra_body!r}")
                payload = {**(payload or {}), **extra_body}
            extra_query = options.get("extra_query")
            if extra_query is not None:
                if not isinstance(extra_query, Mapping):
                    raise UserError(f"extra_query must be a dict, got {extra_query!r}")
                query.update(extra_query)
            for name in ("headers", "extra_headers"):
                given = options.get(name)
                if given is not None:
                    check_headers(name, given)
                    headers.update(given)
            resolved = self._resolve(options)
        else:
            resolved = self._defaults
        path = endpoint.render_path(ids) + encode_query(query)
        content = None
        if payload is not None:
            try:
                content = _encode_json(payload)
            except (TypeError, ValueError, OverflowError) as exc:
                raise UserError(
                    f"{endpoint.name}(): the body cannot be sent as JSON: {exc}"
                ) from None
            headers["Content-Type"] = "application/json"
        return Request(
            endpoint.method,
            self.api_url + path,
            path=path,
            headers=headers,
            body=content,
            options=resolved,
            route=endpoint.path,
        )

    async def send(self, endpoint: Endpoint[Any], request: Request) -> tuple[Any, Response]:
        """Run one request through the chain; the decoded envelope and the raw response."""
        response = await self.handler(request)
        return self.decode(endpoint, response), response

    def decode(self, endpoint: Endpoint[Any], response: Response) -> Any:
        """The envelope of ``response``, or ``APIResponseValidationError`` saying why not."""
        try:
            return decode_envelope(endpoint.data, response.body, response.request_id)
        except DECODE_ERRORS as exc:
            raise APIResponseValidationError(
                f"{endpoint.method} {response.request.path} answered {response.status} with "
                f"a body that is not a valid BimpeAI response envelope: {exc}",
                status=response.status,
                request_id=response.request_id,
                headers=response.headers,
                body=response.body,
            ) from None

    async def call(
        self,
        endpoint: Endpoint[T],
        ids: tuple[object, ...] = (),
        args: Mapping[str, Any] = {},
        body: Mapping[str, Any] | None = None,
    ) -> T:
        """Call ``endpoint`` and return its decoded ``data``."""
        # The handler is awaited here rather than through ``send``: one coroutine
        # less on the path every call takes.
        response = await self.handler(self.build_request(endpoint, ids, args, body))
        return self.decode(endpoint, response).data  # type: ignore[no-any-return]

    def as_page(
        self,
        endpoint: Endpoint[list[T]],
        ids: tuple[object, ...],
        args: Mapping[str, Any],
        envelope: Any,
        response: Response,
    ) -> AsyncPage[T]:
        """The ``AsyncPage`` of a decoded list response, able to fetch its neighbours."""
        if not endpoint.paginated:
            return AsyncPage(data=envelope.data, meta=None, request_id=response.request_id)
        return AsyncPage(
            data=envelope.data,
            meta=envelope.meta,
            request_id=response.request_id,
            # A partial rather than a closure that refers to itself: that would leave a
            # reference cycle behind every list call for the garbage collector.
            fetch=functools.partial(self._fetch_page, endpoint, ids, args),
        )

    async def _fetch_page(
        self,
        endpoint: Endpoint[list[T]],
        ids: tuple[object, ...],
        args: Mapping[str, Any],
        number: int,
    ) -> AsyncPage[T]:
        request = self.build_request(endpoint, ids, {**args, "page": number})
        envelope, response = await self.send(endpoint, request)
        return self.as_page(endpoint, ids, args, envelope, response)

    def first_page_request(
        self, endpoint: Endpoint[list[T]], ids: tuple[object, ...], args: Mapping[str, Any]
    ) -> Request:
        """The request for the page a list call asked for (``page``, default 1)."""
        if not endpoint.paginated:
            return self.build_request(endpoint, ids, args)
        first = args.get("page")
        check_page_argument("page", first)
        check_page_argument("limit", args.get("limit"))
        return self.build_request(endpoint, ids, {**args, "page": first or 1})

    async def page(
        self,
        endpoint: Endpoint[list[T]],
        ids: tuple[object, ...] = (),
        args: Mapping[str, Any] = {},
    ) -> AsyncPage[T]:
        """Call a list endpoint; the page fetches the others with the same filters."""
        response = await self.handler(self.first_page_request(endpoint, ids, args))
        return self.as_page(endpoint, ids, args, self.decode(endpoint, response), response)


def _unobserved(open_stream: Handler) -> Handler:
    return open_stream


@functools.lru_cache(maxsize=256)
def adhoc_endpoint(method: str, path: str, data: Any) -> Endpoint[Any]:
    """The spec of a call made through ``client.request`` (an endpoint the SDK lacks)."""
    if method not in ("GET", "POST", "PATCH", "PUT", "DELETE"):
        raise UserError(f"method must be GET, POST, PATCH, PUT or DELETE, got {method!r}")
    if not isinstance(path, str) or not path.startswith("/"):
        raise UserError(f"path must start with '/', got {path!r}")
    return Endpoint(f"request {method} {path}", method, path, data)  # type: ignore[arg-type]
