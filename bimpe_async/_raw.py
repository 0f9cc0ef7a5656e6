"""Raw responses: ``resource.with_raw_response.method(...)`` for status, headers, timing.

A raw view is the same resource wired to ``RawCore``: the request is built and sent
through the same chain, but the call answers a ``RawResponse`` and decodes the body
only when ``parse()`` is called. Error statuses still raise the mapped ``APIError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, Generic, TypeVar

from multidict import CIMultiDictProxy

from ._core import Core
from ._endpoint import Endpoint
from ._http import Request, Response

T = TypeVar("T")

_UNPARSED: Any = object()


class RawResponse(Generic[T]):
    """One HTTP response before decoding: ``status``, ``headers``, ``request_id``,
    ``elapsed`` (send to body read, retries and waits included) and ``parse()``."""

    __slots__ = ("_parse", "_parsed", "elapsed", "http_response")

    def __init__(self, response: Response, elapsed: timedelta, parse: Callable[[], T]) -> None:
        self.http_response = response
        self.elapsed = elapsed
        self._parse = parse
        self._parsed: Any = _UNPARSED

    @property
    def status(self) -> int:
        return self.http_response.status

    @property
    def headers(self) -> CIMultiDictProxy[str] | Mapping[str, str]:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        return self.http_response.request_id

    def parse(self) -> T:
        """What the method returns normally (decoded once, on first call)."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<RawResponse {self.status} request_id={self.request_id!r}>"


class RawCore(Core):
    """``Core`` whose calls answer ``RawResponse`` instead of the decoded result."""

    def __init__(self, core: Core) -> None:
        # A view of ``core`` (same handler, headers, defaults), not a second pipeline.
        self.__dict__.update(core.__dict__)
        self._decoding = core

    async def _timed(self, request: Request) -> tuple[Response, timedelta]:
        started = time.perf_counter()
        response = await self.handler(request)
        return response, timedelta(seconds=time.perf_counter() - started)

    async def call(  # type: ignore[override]
        self,
        endpoint: Endpoint[T],
        ids: tuple[object, ...] = (),
        args: Mapping[str, Any] = {},
        body: Mapping[str, Any] | None = None,
    ) -> RawResponse[T]:
        response, elapsed = await self._timed(self.build_request(endpoint, ids, args, body))

        def parse() -> T:
            envelope = self._decoding.decode(endpoint, response)
            return envelope.data  # type: ignore[no-any-return]

        return RawResponse(response, elapsed, parse)

    async def page(  # type: ignore[override]
        self,
        endpoint: Endpoint[list[T]],
        ids: tuple[object, ...] = (),
        args: Mapping[str, Any] = {},
    ) -> RawResponse[Any]:
        request = self.first_page_request(endpoint, ids, args)
        response, elapsed = await self._timed(request)
        core = self._decoding

        def parse() -> Any:
            envelope = core.decode(endpoint, response)
            return core.as_page(endpoint, ids, args, envelope, response)

        return RawResponse(response, elapsed, parse)
