"""OpenTelemetry for every HTTP request the client sends: a CLIENT span and a duration.

It follows OpenTelemetry's semantic conventions for HTTP clients, which ask for one
span per request sent over the wire. So it belongs below ``retry``, and the plain
list form puts it innermost, which is where it should go::

    from bimpe_async.middleware import OpenTelemetryMiddleware

    client = AsyncBimpeAI(key, middleware=[OpenTelemetryMiddleware()])

A call that needed a retry then shows as two spans, the second with
``http.request.resend_count = 1``, and each span and duration covers one HTTP exchange
only: not the backoff waits, and not the time queued in the client's own rate limiter.
(``chain.insert_after("retry", ...)`` also gives a span per attempt, with the
rate-limit wait included.) Outside ``retry`` it would see one call as one request,
which the conventions rule out.

Each span is named ``{method} {url.template}``, e.g. ``GET /agents/{agent_id}``, from
the endpoint's template (``request.route``, relative to the API prefix; just the
method when the template is unknown) and carries ``http.request.method``,
``server.address``, ``server.port``, ``url.full``, ``url.template``,
``http.response.status_code`` (when an answer came), ``http.request.resend_count``
(on resends) and, on failure, ``error.type`` with the span status set to error.
``error.type`` is the status code as a string (``"503"``) when the server answered,
else the exception's class name (``APIConnectionError``, ``APITimeoutError``,
``CancelledError``).

What is never recorded: headers (the API key travels in one), bodies, and query
strings: ``url.full`` is the URL without its query, and the query is cut out of error
descriptions too, so a stream ticket or a secret passed in ``extra_query`` cannot end
up in a trace. Exceptions are not recorded as span events, because their messages and
tracebacks may quote the query; the conventions also advise against recording the
exceptions that only stand for an error status.

The ``http.client.request.duration`` histogram (seconds) gets one measurement per
request, with the method, server, template, status code and ``error.type``, and the
bucket boundaries the conventions advise.

Providers default to the global ones (``opentelemetry.trace.set_tracer_provider``
and ``opentelemetry.metrics.set_meter_provider``); pass ``tracer_provider=`` and
``meter_provider=`` to use others. This needs the ``otel`` extra
(``pip install 'bimpe-async[otel]'``, which is ``opentelemetry-api``); OpenTelemetry is
imported when the middleware is built, so ``import bimpe_async`` never needs it.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from .._http import Handler, Request, Response
from .._version import __version__
from ..errors import APIError, UserError

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Span, TracerProvider

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
"""Seconds: the boundaries the conventions advise for ``http.client.request.duration``."""

_DEFAULT_PORTS = {"http": 80, "https": 443}

_QUERY = re.compile(r"\?\S+")
"""A query string in an error message (ours quote the request's path and query)."""


def _url_without_query(parts: SplitResult) -> str:
    """``scheme://host[:port]/path``: no credentials, query or fragment."""
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


class OpenTelemetryMiddleware:
    """A span and a duration measurement per HTTP request; see the module docstring."""

    name = "opentelemetry"
    observes_streams = True
    """Each live-stream connection gets a span too (from connect to its first bytes)."""

    def __init__(
        self,
        *,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
    ) -> None:
        try:
            from opentelemetry.metrics import get_meter
            from opentelemetry.trace import SpanKind, StatusCode, get_tracer
        except ImportError as error:
            raise UserError(
                "OpenTelemetryMiddleware needs the OpenTelemetry API: "
                "pip install 'bimpe-async[otel]'"
            ) from error
        self._tracer = get_tracer("bimpe_async", __version__, tracer_provider)
        self._duration = get_meter("bimpe_async", __version__, meter_provider).create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests.",
            explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
        )
        self._client_kind = SpanKind.CLIENT
        self._error_status = StatusCode.ERROR

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        parts = urlsplit(request.url)
        # Shared by the span and the measurement; every value has low cardinality.
        attributes: dict[str, str | int] = {
            "http.request.method": request.method,
            "server.address": parts.hostname or "",
            "server.port": parts.port or _DEFAULT_PORTS.get(parts.scheme, 0),
        }
        name = request.method
        if request.route:
            attributes["url.template"] = request.route
            name = f"{request.method} {request.route}"
        span_attributes = {**attributes, "url.full": _url_without_query(parts)}
        if request.attempt > 1:
            span_attributes["http.request.resend_count"] = request.attempt - 1

        # Exceptions are handled below, so OpenTelemetry is told not to record them
        # (with their messages) or set a status of its own.
        with self._tracer.start_as_current_span(
            name,
            kind=self._client_kind,
            attributes=span_attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            started = time.perf_counter()
            try:
                response = await call_next(request)
            except BaseException as error:  # cancellation too: re-raised below
                self._record(span, attributes, self._failure(span, error), started)
                raise
            self._record(span, attributes, {"http.response.status_code": response.status}, started)
            return response

    def _failure(self, span: Span, error: BaseException) -> dict[str, str | int]:
        """Mark ``span`` failed; the attributes that say how."""
        if isinstance(error, APIError):
            # The conventions: no status description when the status code says it all.
            span.set_status(self._error_status)
            return {"http.response.status_code": error.status, "error.type": str(error.status)}
        span.set_status(self._error_status, _QUERY.sub("", str(error)) or None)
        return {"error.type": type(error).__qualname__}

    def _record(
        self,
        span: Span,
        attributes: dict[str, str | int],
        outcome: dict[str, str | int],
        started: float,
    ) -> None:
        seconds = time.perf_counter() - started
        span.set_attributes(outcome)
        self._duration.record(seconds, {**attributes, **outcome})
