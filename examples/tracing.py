"""Tracing: one span per API call, in the shape of OpenTelemetry, without depending on it.

Install it just outside ``retry``, so a span covers the whole call as the caller saw it
(every attempt and every backoff wait), and ``bimpe.attempt`` says how many attempts
it took::

    from opentelemetry import trace
    from opentelemetry.trace import StatusCode

    tracing = TracingMiddleware(trace.get_tracer("my-service"), error_status=StatusCode.ERROR)
    client = AsyncBimpeAI(key, middleware=lambda chain: chain.insert_before("retry", tracing))

Installed just inside ``retry`` instead (``chain.insert_after("retry", ...)``) it makes
one span per attempt, so each HTTP exchange shows with its own status and duration,
and ``bimpe.attempt`` says which attempt it was. Both can be installed together (give
one another ``name``); the attempt spans then nest under the call's span.

The span is named after the HTTP method (the OpenTelemetry convention when no
low-cardinality route is known; paths hold ids). Attributes use OpenTelemetry's HTTP
names: ``http.request.method``, ``url.path`` (the query is left out, since it may hold
a stream ticket), ``http.response.status_code``, ``error.type``; plus
``bimpe.attempt`` and ``bimpe.request_id`` (the ``X-Request-Id`` the server logs
under). A failed call records its exception and sets ``error_status``.

``Tracer`` and ``Span`` below are the small part of OpenTelemetry's API this uses, so a
real OpenTelemetry tracer fits as is and tests can pass a fake one.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol
from urllib.parse import urlsplit

from bimpe_async import APIError, Request, Response
from bimpe_async.middleware import Handler

AttributeValue = str | int | float | bool


class Span(Protocol):
    """The part of ``opentelemetry.trace.Span`` this middleware uses."""

    def set_attribute(self, key: str, value: AttributeValue, /) -> None: ...

    def record_exception(self, exception: BaseException, /) -> None: ...

    # ``status`` is OpenTelemetry's ``StatusCode``/``Status``, typed Any so that this
    # module need not import it.
    def set_status(self, status: Any, description: str | None = None, /) -> None: ...


class Tracer(Protocol):
    """The part of ``opentelemetry.trace.Tracer`` this middleware uses."""

    def start_as_current_span(
        self,
        name: str,
        *,
        attributes: Mapping[str, AttributeValue] | None = ...,
        record_exception: bool = ...,
    ) -> AbstractContextManager[Span]: ...


class TracingMiddleware:
    """Wraps the rest of the chain in a span; see the module docstring for placement.

    ``error_status`` is what ``span.set_status`` gets when the call fails; with
    OpenTelemetry, ``StatusCode.ERROR``. Successful spans keep the default status, as
    OpenTelemetry's HTTP conventions ask.
    """

    def __init__(self, tracer: Tracer, *, error_status: Any, name: str = "tracing") -> None:
        self.tracer = tracer
        self.error_status = error_status
        self.name = name

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        attributes = {
            "http.request.method": request.method,
            "url.path": urlsplit(request.url).path,
        }
        # record_exception=False: this method records the exception itself, and
        # OpenTelemetry would otherwise record it a second time as it leaves the span.
        with self.tracer.start_as_current_span(
            request.method, attributes=attributes, record_exception=False
        ) as span:
            try:
                response = await call_next(request)
            except Exception as error:
                span.set_attribute("error.type", type(error).__name__)
                if isinstance(error, APIError):
                    span.set_attribute("http.response.status_code", error.status)
                span.record_exception(error)
                span.set_status(self.error_status, str(error))
                raise
            finally:
                # Read at the end: ``retry`` advances ``attempt`` on this same request,
                # and ``request_id`` may sit further in and set the header only then.
                span.set_attribute("bimpe.attempt", request.attempt)
                request_id = request.headers.get("X-Request-Id")
                if request_id is not None:
                    span.set_attribute("bimpe.request_id", request_id)
            span.set_attribute("http.response.status_code", response.status)
            return response
