"""Kept-alive connections the server closed while they sat idle in the pool.

A raw asyncio server answers the first request on each connection with keep-alive,
then, depending on the case, closes the socket (FIN), resets it (RST) or cuts its
answer short when the next request on that connection arrives. A request that met
such a connection before any byte of an answer is sent again at once on a new
connection, without a backoff wait and without spending an attempt; anything else
is an ordinary failure for the retry rules.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from bimpe_async import APIConnectionError, AsyncBimpeAI, Request, Response
from bimpe_async.middleware import Handler

from ..conftest import record_sleeps

OK = b'{"message": "ok", "data": {"ok": true}, "meta": null}'
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
    b"Content-Length: " + str(len(OK)).encode() + b"\r\n\r\n" + OK
)
CUT_SHORT = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n" + OK[:10]
)

# What the server does with the n-th request (from 0) on the c-th connection (from 0).
Policy = Callable[[int, int], str]


@dataclass
class Seen:
    connection: int
    method: str
    idempotency_key: str | None


@dataclass
class KeepAliveServer:
    """Reads requests off each connection and acts on them as ``policy`` says."""

    policy: Policy
    seen: list[Seen] = field(default_factory=list)
    connections: int = 0
    base_url: str = ""

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = self.connections
        self.connections += 1
        try:
            for number in range(1_000):
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                await reader.readexactly(int(headers.get("content-length", "0")))
                self.seen.append(
                    Seen(connection, lines[0].split(" ")[0], headers.get("idempotency-key"))
                )
                action = self.policy(connection, number)
                if action == "answer":
                    writer.write(ANSWER)
                    await writer.drain()
                    continue
                if action == "reset":
                    writer.transport.abort()
                    return
                if action == "cut":
                    writer.write(CUT_SHORT)
                    await writer.drain()
                writer.close()  # "close": silently, before answering
                return
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


@pytest.fixture
async def start_server() -> AsyncIterator[Callable[[Policy], asyncio.Future[KeepAliveServer]]]:
    servers: list[asyncio.Server] = []

    async def start(policy: Policy) -> KeepAliveServer:
        state = KeepAliveServer(policy)
        server = await asyncio.start_server(state._serve, "127.0.0.1", 0)
        servers.append(server)
        state.base_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        return state

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()
        await server.wait_closed()


class Attempts:
    """The innermost middleware: which attempt numbers reached the sender."""

    name = "attempts"

    def __init__(self) -> None:
        self.seen: list[int] = []

    async def __call__(self, request: Request, call_next: Handler) -> Response:
        self.seen.append(request.attempt)
        return await call_next(request)


def closes_reused(action: str) -> Policy:
    """Answers each connection's first request; meets the next one with ``action``."""
    return lambda connection, number: "answer" if number == 0 else action


async def post(client: AsyncBimpeAI, name: str) -> object:
    return await client.request("POST", "/agents", body={"name": name})


@pytest.mark.parametrize("action", ["close", "reset"])
async def test_a_write_that_meets_a_closed_kept_alive_connection_is_resent_at_once(
    start_server: Callable[[Policy], asyncio.Future[KeepAliveServer]], action: str
) -> None:
    server = await start_server(closes_reused(action))
    attempts = Attempts()
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, middleware=[attempts]) as client:
        sleeps = record_sleeps(client)
        assert await post(client, "first") == {"ok": True}
        assert await post(client, "second") == {"ok": True}  # met the closed connection
    first, dropped, resent = server.seen
    assert [first.connection, dropped.connection, resent.connection] == [0, 0, 1]
    assert dropped.method == resent.method == "POST"
    assert dropped.idempotency_key is not None
    assert resent.idempotency_key == dropped.idempotency_key  # the same write, once
    assert first.idempotency_key != dropped.idempotency_key
    assert sleeps.delays == []  # no backoff wait
    assert attempts.seen == [1, 1]  # and no attempt spent


async def test_a_read_that_meets_a_closed_kept_alive_connection_is_resent_at_once(
    start_server: Callable[[Policy], asyncio.Future[KeepAliveServer]],
) -> None:
    # aiohttp resends idempotent requests on such a connection itself; together with
    # the client's own rule the request still goes out once more, not twice.
    server = await start_server(closes_reused("close"))
    attempts = Attempts()
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, middleware=[attempts]) as client:
        sleeps = record_sleeps(client)
        for _ in range(2):
            await client.request("GET", "/agents")
    assert [seen.connection for seen in server.seen] == [0, 0, 1]
    assert sleeps.delays == []
    assert attempts.seen == [1, 1]


async def test_a_new_connection_closed_before_an_answer_is_an_ordinary_failure(
    start_server: Callable[[Policy], asyncio.Future[KeepAliveServer]],
) -> None:
    server = await start_server(lambda connection, number: "close")
    attempts = Attempts()
    async with AsyncBimpeAI(
        "sk_test", base_url=server.base_url, max_retries=1, middleware=[attempts]
    ) as client:
        sleeps = record_sleeps(client)
        with pytest.raises(APIConnectionError) as caught:
            await post(client, "doomed")
    assert type(caught.value) is APIConnectionError
    assert "ServerDisconnectedError" in str(caught.value)
    assert server.connections == 2  # one per attempt, no immediate resend
    assert len(sleeps.delays) == 1  # the retry waited its backoff
    assert attempts.seen == [1, 2]


async def test_a_reused_connection_cut_after_the_answer_began_is_not_resent(
    start_server: Callable[[Policy], asyncio.Future[KeepAliveServer]],
) -> None:
    server = await start_server(closes_reused("cut"))
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, max_retries=0) as client:
        await post(client, "first")
        with pytest.raises(APIConnectionError) as caught:
            await post(client, "second")
    assert type(caught.value) is APIConnectionError
    assert len(server.seen) == 2  # the server may have acted on it: not sent again


async def test_the_resend_happens_once(
    start_server: Callable[[Policy], asyncio.Future[KeepAliveServer]],
) -> None:
    # The first connection answers once; every later one is closed on arrival.
    server = await start_server(
        lambda connection, number: "answer" if (connection, number) == (0, 0) else "close"
    )
    async with AsyncBimpeAI("sk_test", base_url=server.base_url, max_retries=0) as client:
        await post(client, "first")
        with pytest.raises(APIConnectionError):
            await post(client, "second")
    assert [seen.connection for seen in server.seen] == [0, 0, 1]
