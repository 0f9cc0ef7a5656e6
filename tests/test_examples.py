"""The examples in examples/.

Middleware over loopback where natural, else via the test kit; the worker, the stream
consumer and the two web apps against the emulator (FastAPI only where installed: it
is a test-only dependency).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bimpe_async import (
    APIConnectionError,
    APIError,
    AsyncBimpeAI,
    InternalServerError,
    NotFoundError,
    Request,
    Response,
    StreamMessageEvent,
    UserError,
)
from bimpe_async.middleware import Chain, Handler, Middleware, RetryMiddleware
from bimpe_async.middleware.testkit import (
    MiddlewareHarness,
    after,
    fail,
    make_request,
    respond,
)
from bimpe_async.testing import Emulator, RecordedRequest
from examples import aiohttp_app
from examples.aiohttp_app import Connect
from examples.cache import ResponseCache
from examples.circuit_breaker import CircuitBreaker, CircuitOpenError
from examples.metrics import MetricsMiddleware
from examples.stream_consumer import StreamConsumer
from examples.stream_consumer import demo as stream_consumer_demo
from examples.worker import Job, Worker, follow_ups
from examples.worker import main as worker_main

from .conftest import SleepRecorder, record_sleeps, wait_until
from .test_stream import open_connections

ROOT = Path(__file__).resolve().parent.parent


def client_for(
    emulator: Emulator, middleware: Sequence[Middleware] | Callable[[Chain], Chain]
) -> AsyncBimpeAI:
    """A client on the emulator whose retry waits are recorded, not slept."""
    client = AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, middleware=middleware)
    record_sleeps(client)
    return client


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# metrics


async def test_metrics_count_every_attempt_by_status_and_error_class(
    emulator: Emulator,
) -> None:
    metrics = MetricsMiddleware()
    emulator.faults.fail_next(1, status=503)
    async with client_for(emulator, [metrics]) as client:
        await client.agents.list()
        with pytest.raises(NotFoundError):
            await client.agents.retrieve("missing")
    snapshot = metrics.snapshot()
    assert snapshot.requests == 3
    assert snapshot.by_status == {503: 1, 200: 1, 404: 1}
    assert snapshot.errors == {"InternalServerError": 1, "NotFoundError": 1}
    assert snapshot.total_seconds > 0


async def test_metrics_latency_totals_and_errors_without_status() -> None:
    clock = FakeClock()
    metrics = MetricsMiddleware(clock=clock)

    async def slow_success(request: Request) -> Response:
        clock.now += 0.25
        return Response(200, {}, b"", request)

    async def slow_reset(request: Request) -> Response:
        clock.now += 0.5
        raise APIConnectionError("reset")

    harness = MiddlewareHarness(metrics, script=[slow_success, slow_reset])
    await harness.run()
    before = metrics.snapshot()
    with pytest.raises(APIConnectionError):
        await harness.run()
    snapshot = metrics.snapshot()
    assert snapshot.requests == 2
    assert snapshot.by_status == {200: 1}
    assert snapshot.errors == {"APIConnectionError": 1}
    assert snapshot.total_seconds == pytest.approx(0.75)
    assert snapshot.max_seconds == pytest.approx(0.5)
    assert snapshot.mean_seconds == pytest.approx(0.375)
    assert (before.requests, before.errors) == (1, {})  # a snapshot is a copy


async def test_metrics_skip_cancelled_requests() -> None:
    metrics = MetricsMiddleware()
    harness = MiddlewareHarness(metrics, script=[asyncio.CancelledError()])
    with pytest.raises(asyncio.CancelledError):
        await harness.run()
    assert metrics.snapshot().requests == 0
    assert metrics.snapshot().mean_seconds == 0.0


# cache


def outermost(middleware: Middleware) -> Callable[[Chain], Chain]:
    return lambda chain: chain.insert_before("request_id", middleware)


async def test_cache_serves_a_repeated_get_until_the_ttl_passes(emulator: Emulator) -> None:
    clock = FakeClock()
    cache = ResponseCache(ttl=30.0, clock=clock)
    async with client_for(emulator, outermost(cache)) as client:
        await client.agents.create(name="Ada")
        first = await client.agents.list()
        clock.now += 29.9
        second = await client.agents.list()
        clock.now += 0.1
        third = await client.agents.list()
    gets = [r for r in emulator.requests if r.method == "GET"]
    assert len(gets) == 2  # the second list came from the cache
    assert [a.name for a in first.data] == [a.name for a in second.data] == ["Ada"]
    assert [a.name for a in third.data] == ["Ada"]


async def test_cache_never_stores_writes_or_errors_and_writes_empty_it(
    emulator: Emulator,
) -> None:
    cache = ResponseCache(clock=FakeClock())
    async with client_for(emulator, outermost(cache)) as client:
        for _ in range(2):
            with pytest.raises(NotFoundError):
                await client.agents.retrieve("missing")
        assert len(cache) == 0
        assert (await client.agents.list()).data == []
        assert len(cache) == 1
        await client.agents.create(name="Ada")
        assert len(cache) == 0
        assert [a.name for a in (await client.agents.list()).data] == ["Ada"]
    methods = [r.method for r in emulator.requests]
    assert methods == ["GET", "GET", "GET", "POST", "GET"]


async def test_cache_empties_on_a_failed_write_too() -> None:
    cache = ResponseCache(clock=FakeClock())
    harness = MiddlewareHarness(cache, script=[respond(), fail(500)])
    await harness.run()
    with pytest.raises(InternalServerError):
        await harness.run(make_request("DELETE", "/agents/a1"))
    assert len(cache) == 0


async def test_cache_evicts_the_least_recently_used_entry() -> None:
    cache = ResponseCache(max_entries=2, clock=FakeClock())
    harness = MiddlewareHarness(cache, script=[respond(json=n) for n in range(4)])
    for path in ["/a", "/b", "/a", "/c", "/a", "/b"]:
        await harness.run(make_request("GET", path))
    assert [sent.path for sent in harness.sent] == ["/a", "/b", "/c", "/b"]


async def test_a_cache_hit_answers_for_the_new_request() -> None:
    cache = ResponseCache(clock=FakeClock())
    harness = MiddlewareHarness(cache, script=[respond(json={"n": 1}, headers={"ETag": "v1"})])
    await harness.run(make_request("GET", "/agents?page=2"))
    again = make_request("GET", "/agents?page=2")
    hit = await harness.run(again)
    assert hit.request is again
    assert (hit.status, hit.body, hit.headers["etag"]) == (200, b'{"n":1}', "v1")
    assert len(harness.sent) == 1


@pytest.mark.parametrize(
    "build",
    [
        lambda: ResponseCache(ttl=0),
        lambda: ResponseCache(max_entries=0),
        lambda: CircuitBreaker(failure_threshold=0),
        lambda: CircuitBreaker(reset_timeout=0),
    ],
)
def test_examples_refuse_settings_that_cannot_work(build: Any) -> None:
    with pytest.raises(ValueError, match="must be"):
        build()


# circuit breaker


async def test_breaker_opens_after_consecutive_failures_and_fails_fast() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, reset_timeout=30.0, clock=clock)
    harness = MiddlewareHarness(breaker, script=[fail(503), APIConnectionError("reset"), fail(429)])
    for _ in range(3):
        assert breaker.state == "closed"
        with pytest.raises((APIError, APIConnectionError)):
            await harness.run()
    assert breaker.state == "open"
    clock.now += 10.0
    with pytest.raises(CircuitOpenError, match="after 3 consecutive failures") as caught:
        await harness.run(make_request("GET", "/agents?ticket=tk_1"))
    assert caught.value.retry_after == pytest.approx(20.0)
    assert "allowed in 20.0 s" in str(caught.value)
    assert "tk_1" not in str(caught.value)
    assert len(harness.sent) == 3  # the fast failure sent nothing


async def test_answers_that_are_not_failures_reset_the_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    harness = MiddlewareHarness(breaker, script=[fail(503), fail(404), fail(503), respond()])
    for _ in range(3):
        with pytest.raises((InternalServerError, NotFoundError)):
            await harness.run()
    await harness.run()
    assert breaker.state == "closed"


async def test_errors_that_are_no_answer_leave_the_count_alone() -> None:
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    harness = MiddlewareHarness(breaker, script=[fail(503), ValueError("bug"), fail(503)])
    with pytest.raises(InternalServerError):
        await harness.run()
    with pytest.raises(ValueError, match="bug"):
        await harness.run()
    with pytest.raises(InternalServerError):
        await harness.run()
    assert breaker.state == "open"


async def test_half_open_trial_success_closes_and_failure_reopens() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=30.0, clock=clock)
    harness = MiddlewareHarness(
        breaker, script=[fail(500), fail(500), fail(502), respond(), respond()]
    )
    for _ in range(2):
        with pytest.raises(InternalServerError):
            await harness.run()
    clock.now += 30.0
    with pytest.raises(InternalServerError):  # the trial fails: open for another 30 s
        await harness.run()
    clock.now += 29.0
    with pytest.raises(CircuitOpenError):
        await harness.run()
    clock.now += 1.0
    await harness.run()  # the trial succeeds
    assert breaker.state == "closed"
    await harness.run()
    assert len(harness.sent) == 5


async def test_half_open_lets_exactly_one_trial_through() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=5.0, clock=clock)
    gate = asyncio.Event()
    harness = MiddlewareHarness(breaker, script=[fail(503), after(gate, respond())])
    with pytest.raises(InternalServerError):
        await harness.run()
    clock.now += 5.0
    trial = asyncio.create_task(harness.run())
    await wait_until(lambda: len(harness.sent) == 2)
    with pytest.raises(CircuitOpenError, match="trial call is in flight"):
        await harness.run()
    gate.set()
    await trial
    assert breaker.state == "closed"


async def test_a_cancelled_trial_lets_the_next_call_be_the_trial() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=5.0, clock=clock)
    harness = MiddlewareHarness(
        breaker, script=[fail(503), after(asyncio.Event(), respond()), respond()]
    )
    with pytest.raises(InternalServerError):
        await harness.run()
    clock.now += 5.0
    trial = asyncio.create_task(harness.run())
    await wait_until(lambda: len(harness.sent) == 2)
    trial.cancel()
    with pytest.raises(asyncio.CancelledError):
        await trial
    await harness.run()  # the next call is the trial
    assert breaker.state == "closed"


async def test_breaker_outside_retry_counts_calls_and_is_never_retried(
    emulator: Emulator,
) -> None:
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=30.0, clock=FakeClock())
    emulator.faults.fail_next(6, status=503)
    async with client_for(emulator, lambda chain: chain.insert_before("retry", breaker)) as client:
        retry = client.middleware["retry"]
        assert isinstance(retry, RetryMiddleware)
        assert isinstance(retry.sleep, SleepRecorder)
        for _ in range(2):
            with pytest.raises(InternalServerError):
                await client.agents.list()
        with pytest.raises(CircuitOpenError):
            await client.agents.list()
    assert len(emulator.requests) == 6  # two calls of three attempts each; then nothing
    assert len(retry.sleep.delays) == 4


async def test_a_fast_failure_is_not_retried_even_inside_retry() -> None:
    sleeps = SleepRecorder()
    breaker = CircuitBreaker(failure_threshold=1, clock=FakeClock())
    harness = MiddlewareHarness(Chain([RetryMiddleware(sleep=sleeps), breaker]), [fail(503)])
    with pytest.raises(CircuitOpenError):
        await harness.run()
    assert len(harness.sent) == 1
    assert len(sleeps.delays) == 1


# worker


def jobs_for(emulator: Emulator, count: int) -> list[Job]:
    agent_id = next(iter(emulator.state.agents))
    conversations = list(emulator.state.conversations[agent_id])
    return [
        Job(f"job-{n}", agent_id, conversations[n % len(conversations)], f"hello {n}")
        for n in range(count)
    ]


async def from_list(jobs: list[Job]) -> AsyncIterator[Job]:
    for job in jobs:
        yield job


def posts(emulator: Emulator) -> list[RecordedRequest]:
    return [r for r in emulator.requests if r.method == "POST"]


class InFlight:
    """Middleware counting the POSTs in flight; with ``gate``, holds them until it is set."""

    name = "in_flight"

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.gate = gate
        self.now = self.most = 0

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        if request.method != "POST":
            return await call_next(request)
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            if self.gate is not None:
                await self.gate.wait()
            return await call_next(request)
        finally:
            self.now -= 1


async def test_worker_sends_each_job_once_keyed_by_its_id_at_bounded_concurrency(
    emulator: Emulator,
) -> None:
    emulator.seed(agents=2, workflows=0, conversations_per_agent=30, messages_per_conversation=1)
    counter = InFlight()
    async with client_for(emulator, [counter]) as client:
        summary = await Worker(client, concurrency=3).run(follow_ups(client))
    webchat = [
        c.id
        for conversations in emulator.state.conversations.values()
        for c in conversations.values()
        if c.channel_type == "webchat"
    ]
    assert len(webchat) >= 3
    assert (summary.done, summary.failed) == (len(webchat), 0)
    sent = posts(emulator)
    assert sorted(r.headers["idempotency-key"] for r in sent) == sorted(
        f"follow-up-2026-11-{conversation_id}" for conversation_id in webchat
    )
    assert counter.most == 3


async def test_worker_stop_takes_no_more_jobs_and_lets_calls_in_flight_finish(
    emulator: Emulator,
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=3, messages_per_conversation=1)
    gate = asyncio.Event()
    counter = InFlight(gate)
    async with client_for(emulator, [counter]) as client:
        worker = Worker(client, concurrency=2)
        running = asyncio.create_task(worker.run(from_list(jobs_for(emulator, 10))))
        await wait_until(lambda: counter.now == 2)
        worker.stop()
        await wait_until(lambda: worker._feeder is not None and worker._feeder.done())
        assert not running.done()  # waiting for the calls in flight
        assert posts(emulator) == []  # they are held before they reach the server
        gate.set()
        summary = await running
    assert (summary.done, summary.failed) == (2, 0)
    assert [r.status for r in posts(emulator)] == [201, 201]


async def test_cancelling_the_worker_still_lets_calls_in_flight_finish(
    emulator: Emulator,
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=3, messages_per_conversation=1)
    gate = asyncio.Event()
    counter = InFlight(gate)
    async with client_for(emulator, [counter]) as client:
        worker = Worker(client, concurrency=2)
        running = asyncio.create_task(worker.run(from_list(jobs_for(emulator, 10))))
        await wait_until(lambda: counter.now == 2)
        running.cancel()
        await wait_until(lambda: worker._feeder is not None and worker._feeder.done())
        assert not running.done()  # waiting for the calls in flight
        gate.set()
        with pytest.raises(asyncio.CancelledError):
            await running
    assert worker.summary.done == 2
    assert [r.status for r in posts(emulator)] == [201, 201]


async def test_a_failed_job_is_counted_and_the_others_go_on(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=2, messages_per_conversation=1)
    jobs = jobs_for(emulator, 3)
    jobs[1] = Job("job-lost", jobs[1].agent_id, "cv_missing", "hello?")
    async with client_for(emulator, []) as client:
        summary = await Worker(client).run(from_list(jobs))
    assert (summary.done, summary.failed) == (2, 1)
    assert "job job-lost failed" in caplog.text


async def test_worker_main_stops_on_sigterm_after_the_calls_in_flight(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=60, messages_per_conversation=1)
    monkeypatch.setenv("BIMPEAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("BIMPEAI_BASE_URL", emulator.base_url)
    emulator.faults.delay_next(1000, seconds=0.05, path="/messages")
    running = asyncio.create_task(worker_main())
    await wait_until(lambda: len(posts(emulator)) >= 1)
    os.kill(os.getpid(), signal.SIGTERM)
    await running
    sent = posts(emulator)
    assert 1 <= len(sent) <= 16
    assert {r.status for r in sent} == {201}  # every call in flight was answered
    assert f"sent {len(sent)}, failed 0" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers removed


def test_the_worker_script_runs_on_its_embedded_emulator() -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BIMPEAI_")}
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), environment.get("PYTHONPATH", "")])
    finished = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "worker.py")],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert re.fullmatch(r"sent \d{3}, failed 0 in .*\n", finished.stdout)


# stream consumer


def conversations_of(emulator: Emulator) -> list[tuple[str, str, str]]:
    return [
        (agent_id, c.id, c.last_message_at or c.created_at)
        for agent_id, conversations in emulator.state.conversations.items()
        for c in conversations.values()
    ]


async def test_consumer_follows_many_streams_from_now_and_stop_closes_them(
    emulator: Emulator,
) -> None:
    emulator.seed(agents=2, workflows=0, conversations_per_agent=3, messages_per_conversation=2)
    handled: list[StreamMessageEvent] = []

    async def handle(agent_id: str, message: StreamMessageEvent) -> None:
        handled.append(message)

    async with client_for(emulator, []) as client:
        consumer = StreamConsumer(client, handle)
        for agent_id, conversation_id, last_message_at in conversations_of(emulator):
            consumer.follow(agent_id, conversation_id, after=last_message_at)
        assert consumer.following == 6
        added = {
            conversation_id: emulator.state.add_message(agent_id, conversation_id, "new", None).id
            for agent_id, conversation_id, _ in conversations_of(emulator)
        }
        await wait_until(lambda: len(handled) == 6)
        await consumer.stop()
        assert consumer.following == 0
        assert consumer.last_seen == added  # the history before `after` was not replayed
        assert open_connections(client) == 0


async def test_stop_lets_a_running_handler_finish_and_record_its_position(
    emulator: Emulator,
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=2, messages_per_conversation=1)
    (agent_id, busy_id, since), (_, idle_id, idle_since) = conversations_of(emulator)
    gate = asyncio.Event()
    started: list[str] = []

    async def handle(agent_id: str, message: StreamMessageEvent) -> None:
        started.append(message.id)
        await gate.wait()

    async with client_for(emulator, []) as client:
        consumer = StreamConsumer(client, handle)
        consumer.follow(agent_id, busy_id, after=since)
        consumer.follow(agent_id, idle_id, after=idle_since)
        message = emulator.state.add_message(agent_id, busy_id, "hi", None)
        await wait_until(lambda: started == [message.id])
        stopping = asyncio.create_task(consumer.stop())
        await wait_until(lambda: consumer.following == 1)  # the idle stream is gone
        assert not stopping.done()
        gate.set()
        await stopping
        assert consumer.last_seen == {busy_id: message.id}
        with pytest.raises(RuntimeError, match="stopping"):
            consumer.follow(agent_id, idle_id)


async def test_a_stream_that_fails_for_good_is_logged_and_the_others_go_on(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
    [(agent_id, conversation_id, since)] = conversations_of(emulator)
    handled: list[str] = []

    async def handle(agent_id: str, message: StreamMessageEvent) -> None:
        handled.append(message.conversation_id)

    async with client_for(emulator, []) as client:
        consumer = StreamConsumer(client, handle)
        consumer.follow(agent_id, "cv_gone")
        consumer.follow(agent_id, conversation_id, after=since)
        await wait_until(lambda: consumer.following == 1)
        emulator.state.add_message(agent_id, conversation_id, "still here", None)
        await wait_until(lambda: handled == [conversation_id])
        await consumer.stop()
    assert "stopped following cv_gone" in caplog.text
    assert "NotFoundError" in caplog.text


async def test_the_stream_consumer_demo_prints_every_customer_message(
    emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.seed(agents=2, workflows=0, conversations_per_agent=20, messages_per_conversation=1)
    await stream_consumer_demo(emulator, customer_messages=6)
    out = capsys.readouterr().out
    assert out.startswith("following 40 conversations\n")
    assert sorted(re.findall(r"user: customer message (\d+)", out)) == sorted("123456")
    assert "stopped; positions to resume from: 3 conversations" in out


# the web apps: the same service twice, on aiohttp.web and on FastAPI

Call = Callable[..., Awaitable[tuple[int, Mapping[str, str], Any]]]


@asynccontextmanager
async def aiohttp_service(connect: Connect) -> AsyncIterator[Call]:
    async with TestClient(TestServer(aiohttp_app.create_app(connect))) as http:

        async def call(
            method: str, path: str, *, json: Any = None, headers: Mapping[str, str] | None = None
        ) -> tuple[int, Mapping[str, str], Any]:
            async with http.request(method, path, json=json, headers=headers) as response:
                return response.status, response.headers, await response.json()

        yield call


@asynccontextmanager
async def fastapi_service(connect: Connect) -> AsyncIterator[Call]:
    pytest.importorskip("fastapi", reason="FastAPI is a test-only dependency")
    httpx = pytest.importorskip("httpx", reason="httpx is a test-only dependency")
    fastapi_app = importlib.import_module("examples.fastapi_app")
    app = fastapi_app.create_app(connect)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://app") as http,
    ):

        async def call(
            method: str, path: str, *, json: Any = None, headers: Mapping[str, str] | None = None
        ) -> tuple[int, Mapping[str, str], Any]:
            response = await http.request(method, path, json=json, headers=headers)
            return response.status_code, response.headers, response.json()

        yield call


SERVICES = pytest.mark.parametrize("service", [aiohttp_service, fastapi_service])


class Clients:
    """``connect`` for the apps: a client on the emulator; remembers it to check closing."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.made: list[AsyncBimpeAI] = []

    def __call__(self) -> AsyncBimpeAI:
        client = client_for(self.emulator, [])
        self.made.append(client)
        return client


@SERVICES
async def test_the_web_app_serves_from_one_client_it_closes_on_shutdown(
    emulator: Emulator, service: Callable[[Connect], AbstractAsyncContextManager[Call]]
) -> None:
    emulator.seed(agents=3, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
    clients = Clients(emulator)
    async with service(clients) as call:
        status, _, agents = await call("GET", "/agents")
        assert status == 200
        assert {a["id"] for a in agents} == set(emulator.state.agents)
        assert set(agents[0]) == {"id", "name", "status"}
        status, _, agent = await call("GET", f"/agents/{agents[0]['id']}")
        assert (status, agent["name"]) == (200, agents[0]["name"])
        assert isinstance(agent["channels"], list)
    [client] = clients.made
    with pytest.raises(UserError, match="closed"):
        await client.agents.list()


@SERVICES
async def test_the_web_app_passes_its_callers_idempotency_key_on(
    emulator: Emulator, service: Callable[[Connect], AbstractAsyncContextManager[Call]]
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=1)
    [(agent_id, conversation_id, _)] = conversations_of(emulator)
    path = f"/agents/{agent_id}/conversations/{conversation_id}/replies"
    async with service(Clients(emulator)) as call:
        answers = [
            await call("POST", path, json={"text": "On its way"}, headers={"Idempotency-Key": "r1"})
            for _ in range(2)
        ]
    assert [status for status, _, _ in answers] == [201, 201]
    assert answers[0][2] == answers[1][2]  # the same message, sent once
    texts = [m.message for m in emulator.state.messages[conversation_id]]
    assert texts.count("On its way") == 1


@SERVICES
@pytest.mark.parametrize(
    ("fault", "status", "retry_after"),
    [
        (None, 404, None),
        ({"status": 429, "headers": {"Retry-After": "7"}}, 503, "7"),
        ({"status": 500}, 502, None),
    ],
)
async def test_the_web_app_turns_api_errors_into_its_own_statuses(
    emulator: Emulator,
    service: Callable[[Connect], AbstractAsyncContextManager[Call]],
    fault: dict[str, Any] | None,
    status: int,
    retry_after: str | None,
) -> None:
    if fault is not None:
        emulator.faults.fail_next(3, **fault)  # the first attempt and both retries
    async with service(Clients(emulator)) as call:
        answer, headers, body = await call("GET", "/agents/ag_missing")
    assert answer == status
    assert set(body) == {"detail"}
    assert headers.get("Retry-After") == retry_after
