"""The public chain API: deriving chains by name, and the ways a client takes them."""

from __future__ import annotations

from collections.abc import Awaitable

import pytest

from bimpe_async import AsyncBimpeAI, Request, Response, UserError
from bimpe_async.middleware import (
    AuthMiddleware,
    Chain,
    Handler,
    LoggingMiddleware,
    RetryMiddleware,
)
from bimpe_async.testing import Emulator

DEFAULT = ["request_id", "idempotency", "auth", "retry", "rate_limit", "logging"]


async def tracing(request: Request, call_next: Handler) -> Response:
    request.extensions.setdefault("trace", []).append("tracing")
    return await call_next(request)


async def audit(request: Request, call_next: Handler) -> Response:
    request.extensions.setdefault("trace", []).append("audit")
    return await call_next(request)


def test_deriving_chains_by_name_leaves_the_original_alone() -> None:
    chain = AsyncBimpeAI("sk_test").middleware
    assert chain.insert_before("retry", tracing).names == [
        "request_id", "idempotency", "auth", "tracing", "retry", "rate_limit", "logging",
    ]  # fmt: skip
    assert chain.insert_after("retry", tracing, audit).names[3:6] == ["retry", "tracing", "audit"]
    replaced = chain.replace("logging", audit)
    assert replaced.names[-1] == "audit"
    assert replaced["audit"] is audit
    assert chain.without("logging").names == DEFAULT[:-1]
    assert chain.append(tracing).names == [*DEFAULT, "tracing"]
    assert chain.names == DEFAULT
    assert chain.index("auth") == 2


@pytest.mark.parametrize("operation", ["insert_before", "insert_after", "replace", "without"])
def test_an_unknown_name_is_a_user_error_listing_the_valid_ones(operation: str) -> None:
    chain = AsyncBimpeAI("sk_test").middleware
    arguments = () if operation == "without" else (tracing,)
    with pytest.raises(UserError) as caught:
        getattr(chain, operation)("tracer", *arguments)
    message = str(caught.value)
    assert "'tracer'" in message
    for name in DEFAULT:
        assert name in message


def test_inserting_a_duplicate_name_is_refused() -> None:
    chain = AsyncBimpeAI("sk_test").middleware
    with pytest.raises(UserError, match="'logging'"):
        chain.append(LoggingMiddleware())


async def test_a_function_derives_the_clients_chain(emulator: Emulator) -> None:
    async with AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        middleware=lambda chain: chain.insert_before("retry", tracing).without("logging"),
    ) as client:
        assert client.middleware.names == [
            "request_id", "idempotency", "auth", "tracing", "retry", "rate_limit",
        ]  # fmt: skip
        await client.agents.list()
    assert emulator.requests[-1].headers["authorization"] == f"Bearer {emulator.api_key}"


async def test_a_full_chain_replaces_the_built_ins(emulator: Emulator) -> None:
    chain = Chain([AuthMiddleware(emulator.api_key), tracing])
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=chain
    ) as client:
        assert client.middleware is chain
        await client.agents.create(name="x")
    sent = emulator.requests[-1]
    assert "x-request-id" not in sent.headers  # request_id is not in this chain
    assert "idempotency-key" not in sent.headers


def test_bad_middleware_arguments() -> None:
    with pytest.raises(UserError, match=r"middleware=\[mw\]"):
        AsyncBimpeAI("sk_test", middleware=tracing)  # type: ignore[arg-type]
    with pytest.raises(UserError, match=r"middleware=\[mw\]"):
        AsyncBimpeAI("sk_test", middleware=LoggingMiddleware())  # type: ignore[arg-type]
    with pytest.raises(UserError, match="must return a Chain"):
        AsyncBimpeAI("sk_test", middleware=lambda chain: None)  # type: ignore[arg-type,return-value]

    class Nameless:
        name = ""

        async def __call__(self, request: Request, call_next: Handler) -> Response:
            return await call_next(request)

    with pytest.raises(UserError, match="has no name"):
        AsyncBimpeAI("sk_test", middleware=[Nameless()])


async def test_re_added_built_ins_behave_as_the_defaults(emulator: Emulator) -> None:
    from .conftest import SleepRecorder

    recorder = SleepRecorder()
    async with AsyncBimpeAI(
        emulator.api_key,
        base_url=emulator.base_url,
        middleware=lambda chain: chain.without("retry").insert_after(
            "auth", RetryMiddleware(sleep=recorder)
        ),
    ) as client:
        emulator.faults.fail_next(2, status=503)
        agent = await client.agents.create(name="Once")
    posts = [r for r in emulator.requests if r.method == "POST"]
    assert [r.status for r in posts] == [503, 503, 201]
    assert len({r.headers["idempotency-key"] for r in posts}) == 1
    assert len(recorder.delays) == 2
    assert agent.name == "Once"


async def test_with_options_adds_per_call_middleware_and_shares_the_session(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    seen: list[str] = []

    async def mark(request: Request, call_next: Handler) -> Response:
        seen.append(request.method)
        return await call_next(request)

    view = client.with_options(middleware=[mark], timeout=5, max_retries=0)
    assert view.middleware.names == [*DEFAULT, "mark"]
    assert (view.timeout, view.max_retries) == (5, 0)
    await view.agents.list()
    await client.agents.list()
    assert seen == ["GET"]
    assert view._get_session() is client._get_session()
    await view.aclose()
    await client.agents.list()  # closing the view closed nothing
    emulator.faults.fail_next(1, status=503)
    with pytest.raises(Exception, match="503"):
        await view.agents.list()  # max_retries=0 on the view
    assert client.with_options(timeout=None).timeout is None


def test_prepend_places_outermost() -> None:
    chain = AsyncBimpeAI("sk_test").middleware
    assert chain.prepend(tracing).names == ["tracing", *DEFAULT]


async def test_requests_carry_their_route_template(emulator: Emulator) -> None:
    routes: list[str] = []

    async def label(request: Request, call_next: Handler) -> Response:
        routes.append(request.route)
        return await call_next(request)

    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[label]
    ) as client:
        agent = await client.agents.create(name="x")
        await client.agents.retrieve(agent.id)
    assert routes == ["/agents", "/agents/{agent_id}"]


async def test_a_response_built_from_a_plain_dict_is_case_insensitive(
    emulator: Emulator,
) -> None:
    async def canned(request: Request, call_next: Handler) -> Response:
        body = b'{"message": "ok", "data": []}'
        return Response(
            200, {"X-Request-Id": "req-canned", "X-RateLimit-Limit": "5"}, body, request
        )

    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[canned]
    ) as client:
        page = await client.agents.list()
        assert page.request_id == "req-canned"
        assert client.rate_limit is not None
        assert client.rate_limit.limit == 5
    assert emulator.requests == []


class StampsHeader:
    """A middleware offering ``as_handler``, recording how the chain used it."""

    name = "stamp"

    def __init__(self) -> None:
        self.handlers_made = 0
        self.direct_calls = 0

    def __call__(self, request: Request, call_next: Handler) -> Awaitable[Response]:
        self.direct_calls += 1
        return self.as_handler(call_next)(request)

    def as_handler(self, call_next: Handler) -> Handler:
        self.handlers_made += 1

        def stamped(request: Request) -> Awaitable[Response]:
            request.headers["X-Stamp"] = "yes"
            return call_next(request)

        return stamped


async def test_a_middleware_offering_as_handler_is_composed_through_it(
    emulator: Emulator,
) -> None:
    stamp = StampsHeader()
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[stamp]
    ) as client:
        await client.agents.list()
        await client.agents.list()
    assert stamp.handlers_made == 1  # once, when the chain was composed
    assert stamp.direct_calls == 0
    assert [r.headers.get("X-Stamp") for r in emulator.requests[-2:]] == ["yes", "yes"]
