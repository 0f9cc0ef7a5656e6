"""Each built-in middleware on its own, through the test kit (no HTTP)."""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest

from bimpe_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from bimpe_async.middleware import (
    AuthMiddleware,
    Backoff,
    Chain,
    IdempotencyMiddleware,
    LoggingMiddleware,
    RateLimitMiddleware,
    RequestIdMiddleware,
    RetryMiddleware,
)
from bimpe_async.middleware.testkit import MiddlewareHarness, Step, fail, make_request, respond

from .conftest import SleepRecorder

API_KEY = "sk_live_do_not_leak"


def retry(sleeps: SleepRecorder, backoff: Backoff | None = None) -> RetryMiddleware:
    return RetryMiddleware(backoff, sleep=sleeps)


# request_id


async def test_request_id_sets_a_fresh_uuid_per_call() -> None:
    harness = MiddlewareHarness(RequestIdMiddleware(), script=[respond(), respond()])
    await harness.run()
    await harness.run()
    first, second = (sent.headers["X-Request-Id"] for sent in harness.sent)
    assert uuid.UUID(first) != uuid.UUID(second)


async def test_request_id_keeps_the_callers_and_spans_every_attempt() -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(
        Chain([RequestIdMiddleware(), retry(sleeps)]), script=[fail(503), respond()]
    )
    await harness.run(make_request(headers={"X-Request-Id": "mine"}))
    assert [sent.headers.getall("X-Request-Id") for sent in harness.sent] == [["mine"], ["mine"]]


# idempotency


async def test_idempotency_key_is_generated_for_writes_and_reused_on_retries() -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(
        Chain([IdempotencyMiddleware(), retry(sleeps)]), script=[fail(503), respond(201)]
    )
    await harness.run(make_request("POST", "/agents", body=b"{}"))
    keys = [sent.headers.get("Idempotency-Key") for sent in harness.sent]
    assert len(keys) == 2
    assert keys[0] is not None
    assert keys[0] == keys[1]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_reads_get_no_idempotency_key(method: str) -> None:
    harness = MiddlewareHarness(IdempotencyMiddleware(), script=[respond()])
    await harness.run(make_request(method))
    assert "Idempotency-Key" not in harness.sent[0].headers


async def test_a_write_that_is_never_retried_gets_no_generated_key() -> None:
    harness = MiddlewareHarness(IdempotencyMiddleware(), script=[respond(), respond()])
    await harness.run(make_request("DELETE", "/agents/a1", max_retries=0))
    await harness.run(make_request("DELETE", "/agents/a1", max_retries=0, idempotency_key="k"))
    assert [sent.headers.get("Idempotency-Key") for sent in harness.sent] == [None, "k"]


async def test_the_callers_idempotency_key_wins() -> None:
    harness = MiddlewareHarness(IdempotencyMiddleware(), script=[respond(), respond()])
    await harness.run(make_request("PATCH", "/agents/a1", idempotency_key="option"))
    await harness.run(
        make_request(
            "PATCH", "/agents/a1", headers={"Idempotency-Key": "header"}, idempotency_key="option"
        )
    )
    assert [sent.headers.getall("Idempotency-Key") for sent in harness.sent] == [
        ["option"],
        ["header"],
    ]


# auth


async def test_auth_sets_the_bearer_header_and_hides_the_key_in_repr() -> None:
    auth = AuthMiddleware(API_KEY)
    harness = MiddlewareHarness(auth, script=[respond()])
    await harness.run(make_request(headers={"Authorization": "Bearer stale"}))
    assert harness.sent[0].headers.getall("Authorization") == [f"Bearer {API_KEY}"]
    assert API_KEY not in repr(auth)
    assert API_KEY not in str(auth)


# retry


@pytest.mark.parametrize(
    "step",
    [
        fail(408),
        fail(429),
        fail(500),
        fail(502),
        fail(503),
        fail(504),
        APIConnectionError("reset"),
        APITimeoutError("slow"),
    ],
)
async def test_retryable_failures_are_retried_up_to_max_retries(step: Step) -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(retry(sleeps), script=[step, step, step])
    with pytest.raises((APIError, APIConnectionError)):
        await harness.run(make_request(max_retries=2))
    assert [sent.attempt for sent in harness.sent] == [1, 2, 3]
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
async def test_other_statuses_are_not_retried(status: int) -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(retry(sleeps), script=[fail(status)])
    with pytest.raises(APIError) as caught:
        await harness.run()
    assert caught.value.status == status
    assert len(harness.sent) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("error", [ValueError("a bug"), asyncio.CancelledError()])
async def test_errors_that_are_not_api_failures_pass_straight_through(
    error: BaseException,
) -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(retry(sleeps), script=[error])
    with pytest.raises(type(error)):
        await harness.run()
    assert len(harness.sent) == 1


async def test_a_retried_call_returns_the_first_success() -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(retry(sleeps), script=[fail(503), respond(200, json={"ok": 1})])
    response = await harness.run()
    assert response.body == b'{"ok":1}'
    assert [sent.attempt for sent in harness.sent] == [1, 2]
    assert len(sleeps.delays) == 1


async def test_max_retries_zero_tries_once() -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(retry(sleeps), script=[fail(503)])
    with pytest.raises(InternalServerError):
        await harness.run(make_request(max_retries=0))
    assert len(harness.sent) == 1
    assert sleeps.delays == []


async def test_backoff_doubles_within_jitter_and_is_capped() -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(
        retry(sleeps, Backoff(initial=1.0, maximum=4.0)), script=[fail(503)] * 5
    )
    with pytest.raises(InternalServerError):
        await harness.run(make_request(max_retries=4))
    ceilings = [1.0, 2.0, 4.0, 4.0]
    assert len(sleeps.delays) == len(ceilings)
    for delay, ceiling in zip(sleeps.delays, ceilings, strict=True):
        assert ceiling / 2 <= delay <= ceiling


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"), [(429, "3", 3.0), (503, "1.5", 1.5)]
)
async def test_retry_after_replaces_the_backoff(
    status: int, retry_after: str, expected: float
) -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(
        retry(sleeps), script=[fail(status, headers={"Retry-After": retry_after}), respond()]
    )
    await harness.run()
    assert sleeps.delays == [expected]


async def test_retry_after_is_capped_at_the_backoff_maximum() -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(
        retry(sleeps, Backoff(maximum=8.0)),
        script=[fail(429, headers={"Retry-After": "3600"}), respond()],
    )
    await harness.run()
    assert sleeps.delays == [8.0]


# rate_limit


async def test_rate_limit_snapshot_comes_from_response_headers() -> None:
    rate_limit = RateLimitMiddleware()
    headers = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59", "X-RateLimit-Reset": "99"}
    harness = MiddlewareHarness(rate_limit, script=[respond(headers=headers), respond()])
    assert rate_limit.snapshot is None
    await harness.run()
    snapshot = rate_limit.snapshot
    assert snapshot is not None
    assert (snapshot.limit, snapshot.remaining, snapshot.reset_at) == (60, 59, 99)
    assert snapshot.retry_after is None
    await harness.run()  # a response without the headers keeps what was known
    assert rate_limit.snapshot is snapshot


async def test_rate_limit_snapshot_comes_from_error_headers_too() -> None:
    rate_limit = RateLimitMiddleware()
    headers = {"Retry-After": "7", "X-RateLimit-Remaining": "0"}
    harness = MiddlewareHarness(rate_limit, script=[fail(429, headers=headers)])
    with pytest.raises(RateLimitError):
        await harness.run()
    snapshot = rate_limit.snapshot
    assert snapshot is not None
    assert (snapshot.retry_after, snapshot.remaining, snapshot.limit) == (7.0, 0, None)


class RecordingLimiter:
    """A limiter that lets everything through and remembers what it was told."""

    def __init__(self) -> None:
        self.acquired = 0
        self.holds: list[tuple[str, float]] = []

    async def acquire(self) -> None:
        self.acquired += 1

    def hold_until(self, unix_time: float) -> None:
        self.holds.append(("until", unix_time))

    def hold_for(self, seconds: float) -> None:
        self.holds.append(("for", seconds))


async def test_adaptive_rate_limit_passes_the_servers_verdicts_to_the_limiter() -> None:
    limiter = RecordingLimiter()
    spent = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1234"}
    harness = MiddlewareHarness(
        RateLimitMiddleware(limiter, adaptive=True),
        script=[respond(headers=spent), fail(429, headers={"Retry-After": "5"})],
    )
    await harness.run()
    with pytest.raises(RateLimitError):
        await harness.run()
    assert limiter.acquired == 2
    assert limiter.holds == [("until", 1234.0), ("for", 5.0)]


# logging


def logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if hasattr(record, "bimpe_status")]


async def test_logging_writes_one_record_per_attempt_with_extra_fields(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sleeps = SleepRecorder()
    chain = Chain([RequestIdMiddleware(), retry(sleeps), LoggingMiddleware()])
    harness = MiddlewareHarness(
        chain, script=[fail(500), APIConnectionError("reset"), respond(201)]
    )
    request = make_request("POST", "/agents", headers={"Idempotency-Key": "idem-1"})
    with caplog.at_level(logging.DEBUG, logger="bimpe_async"):
        await harness.run(request)
    records = logged(caplog)
    assert [(r.bimpe_attempt, r.bimpe_status) for r in records] == [  # type: ignore[attr-defined]
        (1, 500),
        (2, "APIConnectionError"),
        (3, 201),
    ]
    request_id = request.headers["X-Request-Id"]
    for record in records:
        assert record.levelno == logging.DEBUG
        assert record.bimpe_method == "POST"  # type: ignore[attr-defined]
        assert record.bimpe_path == "/agents"  # type: ignore[attr-defined]
        assert record.bimpe_request_id == request_id  # type: ignore[attr-defined]
        assert record.bimpe_idempotency_key == "idem-1"  # type: ignore[attr-defined]
        assert record.bimpe_duration_ms >= 0  # type: ignore[attr-defined]


async def test_logging_is_silent_unless_debug_is_enabled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness = MiddlewareHarness(LoggingMiddleware(), script=[respond()])
    with caplog.at_level(logging.INFO, logger="bimpe_async"):
        await harness.run()
    assert logged(caplog) == []


async def test_logging_never_shows_the_api_key_or_a_ticket(
    caplog: pytest.LogCaptureFixture,
) -> None:
    chain = Chain([AuthMiddleware(API_KEY), LoggingMiddleware()])
    harness = MiddlewareHarness(chain, script=[respond(), fail(401)])
    stream = "/conversations/c1/stream?ticket=tk_secret_123&after=m_1"
    with caplog.at_level(logging.DEBUG, logger="bimpe_async"):
        await harness.run(make_request("GET", stream))
        with pytest.raises(APIError):
            await harness.run(make_request("GET", stream))
    records = logged(caplog)
    assert [r.bimpe_path for r in records] == [  # type: ignore[attr-defined]
        "/conversations/c1/stream?ticket=***&after=m_1"
    ] * 2
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__)
        assert API_KEY not in text
        assert "tk_secret_123" not in text


async def test_retry_log_never_shows_a_ticket(caplog: pytest.LogCaptureFixture) -> None:
    sleeps = SleepRecorder()
    harness = MiddlewareHarness(retry(sleeps), script=[fail(503), respond()])
    with caplog.at_level(logging.INFO, logger="bimpe_async"):
        await harness.run(make_request("GET", "/x/stream?ticket=tk_secret_123"))
    assert caplog.records  # the retry was logged
    assert all("tk_secret_123" not in r.getMessage() + repr(r.__dict__) for r in caplog.records)
