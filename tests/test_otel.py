"""OpenTelemetryMiddleware: spans and durations read back from OpenTelemetry's own SDK.

The SDK's in-memory exporter and metric reader see exactly what a real exporter would
be handed. Calls go to the emulator over loopback, with retry waits recorded rather
than slept; the stream request shape is driven through the middleware test kit.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

pytest.importorskip("opentelemetry.sdk", reason="the OpenTelemetry SDK is a test dependency")

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from bimpe_async import (
    APIConnectionError,
    AsyncBimpeAI,
    NotFoundError,
    UserError,
)
from bimpe_async.middleware import OpenTelemetryMiddleware
from bimpe_async.middleware.opentelemetry import DURATION_BUCKETS
from bimpe_async.middleware.testkit import MiddlewareHarness, make_request, respond
from bimpe_async.testing import Emulator

from .conftest import record_sleeps


@dataclass
class Telemetry:
    middleware: OpenTelemetryMiddleware
    exporter: InMemorySpanExporter
    reader: InMemoryMetricReader

    @property
    def spans(self) -> tuple[ReadableSpan, ...]:
        return self.exporter.get_finished_spans()

    def durations(self) -> list[HistogramDataPoint]:
        data = self.reader.get_metrics_data()
        assert data is not None
        [resource] = data.resource_metrics
        [scope] = resource.scope_metrics
        assert scope.scope.name == "bimpe_async"
        [metric] = scope.metrics
        assert (metric.name, metric.unit) == ("http.client.request.duration", "s")
        points = list(metric.data.data_points)
        assert all(isinstance(point, HistogramDataPoint) for point in points)
        return points  # type: ignore[return-value]


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider(shutdown_on_exit=False)
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    middleware = OpenTelemetryMiddleware(
        tracer_provider=tracer_provider, meter_provider=meter_provider
    )
    yield Telemetry(middleware, exporter, reader)
    tracer_provider.shutdown()
    meter_provider.shutdown()


def traced(emulator: Emulator, telemetry: Telemetry) -> AsyncBimpeAI:
    """A client on the emulator with the middleware where the README puts it."""
    client = AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[telemetry.middleware]
    )
    record_sleeps(client)
    return client


async def test_a_call_is_one_client_span_named_after_its_route(
    emulator: Emulator, telemetry: Telemetry
) -> None:
    async with traced(emulator, telemetry) as client:
        agent = await client.agents.create(name="Ada")
        await client.agents.retrieve(agent.id)
    created, retrieved = telemetry.spans
    port = int(emulator.base_url.rsplit(":", 1)[1])
    assert retrieved.name == "GET /agents/{agent_id}"
    assert retrieved.kind is SpanKind.CLIENT
    assert dict(retrieved.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": port,
        "url.full": f"{emulator.base_url}/api/v1/console/agents/{agent.id}",
        "url.template": "/agents/{agent_id}",
        "http.response.status_code": 200,
    }
    assert retrieved.status.status_code is StatusCode.UNSET
    assert created.name == "POST /agents"
    assert (created.attributes or {})["http.response.status_code"] == 201
    assert created.events == ()


async def test_a_retried_503_is_a_span_per_attempt_with_the_resend_count(
    emulator: Emulator, telemetry: Telemetry
) -> None:
    emulator.faults.fail_next(2, status=503)
    async with traced(emulator, telemetry) as client:
        await client.agents.list()
    first, second, third = telemetry.spans
    for failed in (first, second):
        attributes = failed.attributes or {}
        assert attributes["http.response.status_code"] == 503
        assert attributes["error.type"] == "503"
        assert failed.status.status_code is StatusCode.ERROR
        assert failed.status.description is None  # the status code says it all
    assert "http.request.resend_count" not in (first.attributes or {})
    assert (second.attributes or {})["http.request.resend_count"] == 1
    assert (third.attributes or {})["http.request.resend_count"] == 2
    assert (third.attributes or {})["http.response.status_code"] == 200
    assert "error.type" not in (third.attributes or {})
    assert third.status.status_code is StatusCode.UNSET
    assert {span.name for span in telemetry.spans} == {"GET /agents"}


async def test_a_client_error_is_an_error_span(emulator: Emulator, telemetry: Telemetry) -> None:
    async with traced(emulator, telemetry) as client:
        with pytest.raises(NotFoundError):
            await client.agents.retrieve("ag_missing")
    [span] = telemetry.spans
    assert (span.attributes or {})["error.type"] == "404"
    assert span.status.status_code is StatusCode.ERROR


async def test_a_refused_connection_is_named_by_its_error_class(telemetry: Telemetry) -> None:
    async with Emulator() as gone:
        base_url = gone.base_url
    middleware = [telemetry.middleware]
    async with AsyncBimpeAI("sk_test", base_url=base_url, middleware=middleware) as client:
        with pytest.raises(APIConnectionError):
            await client.agents.list(max_retries=0)
    [span] = telemetry.spans
    attributes = span.attributes or {}
    assert attributes["error.type"] == "APIConnectionError"
    assert "http.response.status_code" not in attributes
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description is not None
    assert span.events == ()  # exceptions are not recorded: their text may quote the query


async def test_a_cancelled_request_ends_its_span_as_an_error(telemetry: Telemetry) -> None:
    harness = MiddlewareHarness(telemetry.middleware, script=[asyncio.CancelledError()])
    with pytest.raises(asyncio.CancelledError):
        await harness.run()
    [span] = telemetry.spans
    assert (span.attributes or {})["error.type"] == "CancelledError"
    assert span.status.status_code is StatusCode.ERROR
    [point] = telemetry.durations()
    assert point.count == 1


async def test_without_a_route_the_span_is_named_by_the_method(telemetry: Telemetry) -> None:
    harness = MiddlewareHarness(telemetry.middleware, script=[respond()])
    await harness.run(make_request("DELETE", "/agents/a1"))
    [span] = telemetry.spans
    assert span.name == "DELETE"
    assert "url.template" not in (span.attributes or {})
    assert (span.attributes or {})["server.port"] == 443  # from the https scheme


async def test_durations_are_one_measurement_per_request_by_outcome(
    emulator: Emulator, telemetry: Telemetry
) -> None:
    emulator.faults.fail_next(1, status=503)
    async with traced(emulator, telemetry) as client:
        await client.agents.list()
        await client.agents.list()
    points = {
        (p.attributes or {}).get("http.response.status_code"): p for p in telemetry.durations()
    }
    assert set(points) == {200, 503}
    ok, failed = points[200], points[503]
    assert (ok.count, failed.count) == (2, 1)
    assert dict(failed.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": int(emulator.base_url.rsplit(":", 1)[1]),
        "url.template": "/agents",
        "http.response.status_code": 503,
        "error.type": "503",
    }
    assert "error.type" not in (ok.attributes or {})
    assert tuple(ok.explicit_bounds) == DURATION_BUCKETS
    assert 0 < ok.sum < 10  # seconds, not milliseconds


async def test_no_span_or_measurement_holds_the_api_key_or_a_ticket(
    emulator: Emulator, telemetry: Telemetry
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
    agent_id = next(iter(emulator.state.agents))
    conversation_id = next(iter(emulator.state.conversations[agent_id]))
    async with traced(emulator, telemetry) as client:
        ticket = await client.conversations.messages.stream_ticket(agent_id, conversation_id)
        async with client.conversations.messages.stream(agent_id, conversation_id) as live:
            await anext(live)
        await client.request("GET", "/agents", query={"ticket": "tk_in_query"})

    # The stream's connection is observed (a span per connection); the same request
    # shape, ticket in the query, also goes through the middleware here, once answered
    # and once failing.
    stream = f"/agents/{agent_id}/conversations/{conversation_id}/stream?ticket=tk_stream"
    harness = MiddlewareHarness(
        telemetry.middleware, script=[respond(), APIConnectionError(f"GET {stream} failed")]
    )
    await harness.run(make_request("GET", stream))
    with pytest.raises(APIConnectionError):
        await harness.run(make_request("GET", stream))

    secrets = [emulator.api_key, ticket.ticket, "tk_in_query", "tk_stream", "ticket="]
    secrets += [r.query["ticket"] for r in emulator.requests if "ticket" in r.query]
    assert len(secrets) > 5  # the stream above used tickets of its own
    recorded = [span.to_json() for span in telemetry.spans]
    recorded += [str(point.attributes) for point in telemetry.durations()]
    assert len(telemetry.spans) == 6
    connection = next(
        span
        for span in telemetry.spans
        if span.name == "GET /agents/{agent_id}/conversations/{conversation_id}/stream"
        and span.attributes is not None
        and span.attributes.get("http.response.status_code") == 200
    )
    assert connection.attributes is not None
    assert "http.request.resend_count" not in connection.attributes  # the first connection
    for text in recorded:
        for secret in secrets:
            assert secret not in text


def test_it_asks_for_the_otel_extra_when_opentelemetry_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)
    with pytest.raises(UserError, match=r"pip install 'bimpe-async\[otel\]'"):
        OpenTelemetryMiddleware()


def test_importing_the_sdk_does_not_import_opentelemetry() -> None:
    code = (
        "import sys, bimpe_async, bimpe_async.middleware\n"
        "assert not [m for m in sys.modules if m.startswith('opentelemetry')], 'imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_it_runs_on_the_global_providers_when_none_are_given(emulator: Emulator) -> None:
    # Nothing is configured globally in the tests: OpenTelemetry's no-op providers.
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[OpenTelemetryMiddleware()]
    ) as client:
        assert (await client.agents.list()).data == []
