"""The emulator's message stream on its own, over loopback with a plain aiohttp session.

No client code is involved: these pin the SSE wire protocol the emulator speaks
(tickets, framing, replay, heartbeats, faults), so the stream tests can trust it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import msgspec
import pytest
from yarl import URL

from bimpe_async.testing import Emulator

PREFIX = "/api/v1/console"


class Conversation:
    """Raw calls for one seeded conversation."""

    def __init__(self, session: aiohttp.ClientSession, emu: Emulator) -> None:
        self.session = session
        self.emu = emu
        self.agent_id = next(iter(emu.state.agents))
        self.id = next(iter(emu.state.conversations[self.agent_id]))
        self.path = f"{PREFIX}/agents/{self.agent_id}/conversations/{self.id}"

    @property
    def message_ids(self) -> list[str]:
        return [message.id for message in self.emu.state.messages[self.id]]

    async def ticket(self) -> str:
        url = self.emu.base_url + self.path + "/stream-ticket"
        headers = {"Authorization": f"Bearer {self.emu.api_key}"}
        async with self.session.post(url, headers=headers) as response:
            ticket: str = (await response.json())["data"]["ticket"]
            return ticket

    @contextlib.asynccontextmanager
    async def open(
        self, ticket: str | None = None, *, suffix: str = "/stream", **query: str
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        query = {"ticket": ticket if ticket is not None else await self.ticket(), **query}
        url = URL(self.emu.base_url + self.path + suffix).with_query(query)
        async with self.session.get(url, headers={"Accept": "text/event-stream"}) as response:
            yield response


async def next_event(response: aiohttp.ClientResponse) -> bytes:
    return await response.content.readuntil(b"\n\n")


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(heartbeat_interval=0.01) as emulator:
        emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=3)
        yield emulator


@pytest.fixture
async def conversation(emu: Emulator) -> AsyncIterator[Conversation]:
    async with aiohttp.ClientSession() as session:
        yield Conversation(session, emu)


async def test_replays_history_as_sse_then_sends_new_messages(
    conversation: Conversation, emu: Emulator
) -> None:
    async with conversation.open() as response:
        assert response.status == 200
        assert response.content_type == "text/event-stream"
        assert response.headers["Cache-Control"] == "no-cache"
        assert len(response.headers["x-request-id"]) == 36
        first = emu.state.messages[conversation.id][0]
        assert await next_event(response) == (
            f"id: {first.id}\nevent: message\ndata: ".encode()
            + msgspec.json.encode(first)
            + b"\n\n"
        )
        await next_event(response)
        await next_event(response)
        added = emu.state.add_message(conversation.agent_id, conversation.id, "live", None)
        live = await next_event(response)
        while live.startswith(b"event: heartbeat"):
            live = await next_event(response)
        assert live.startswith(f"id: {added.id}\nevent: message\n".encode())
        assert msgspec.json.decode(live.split(b"data: ", 1)[1])["conversation_id"] == (
            conversation.id
        )


async def test_stream_needs_no_key_but_a_fresh_ticket(conversation: Conversation) -> None:
    ticket = await conversation.ticket()
    async with conversation.open(ticket) as response:
        assert response.status == 200
        assert "authorization" not in conversation.emu.requests[-1].headers
    for refused in (ticket, "", "made-up"):
        async with conversation.open(refused) as response:
            assert response.status == 401
            body = await response.json()
            assert body["code"] == "unauthorized"
            assert body["request_id"] == response.headers["x-request-id"]


async def test_a_ticket_opens_only_its_own_conversation(
    conversation: Conversation, emu: Emulator
) -> None:
    ticket = await conversation.ticket()
    other = emu.state.create_agent({"name": "Other"}).id
    url = URL(f"{emu.base_url}{PREFIX}/agents/{other}/conversations/{conversation.id}/stream")
    async with conversation.session.get(url.with_query(ticket=ticket)) as response:
        assert response.status == 401
    async with conversation.open(ticket) as response:
        assert response.status == 401  # it was spent on the wrong door


async def test_the_legacy_path_serves_the_same_stream(conversation: Conversation) -> None:
    async with conversation.open(suffix="/messages/stream") as response:
        assert response.status == 200
        assert (await next_event(response)).startswith(
            f"id: {conversation.message_ids[0]}\n".encode()
        )


async def test_after_replays_from_an_id_or_a_timestamp(
    conversation: Conversation, emu: Emulator
) -> None:
    ids = conversation.message_ids
    async with conversation.open(after=ids[1]) as response:
        assert (await next_event(response)).startswith(f"id: {ids[2]}\n".encode())
    created = emu.state.messages[conversation.id][0].created_at
    with_offset = created.replace("Z", "+00:00")
    for after in (created, with_offset):
        async with conversation.open(after=after) as response:
            assert (await next_event(response)).startswith(f"id: {ids[1]}\n".encode())
    async with conversation.open(after="msg_unknown") as response:
        assert response.status == 400
        assert (await response.json())["code"] == "bad_request"


async def test_heartbeats_fill_the_silence(conversation: Conversation) -> None:
    async with conversation.open(after=conversation.message_ids[-1]) as response:
        beat = await next_event(response)
    assert beat.startswith(b'event: heartbeat\ndata: {"ts": ')


async def test_cut_stream_after_closes_cleanly(conversation: Conversation) -> None:
    conversation.emu.faults.cut_stream_after(2)
    async with conversation.open() as response:
        body = await response.read()
    assert body.count(b"event: message") == 2
    assert body.endswith(b"\n\n")


async def test_reset_stream_after_cuts_inside_the_next_event(conversation: Conversation) -> None:
    conversation.emu.faults.reset_stream_after(1, fraction=0.5)
    async with conversation.open() as response:
        first = await next_event(response)
        assert first.startswith(f"id: {conversation.message_ids[0]}\n".encode())
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_refuse_stream_answers_with_the_status_and_spares_the_ticket(
    conversation: Conversation,
) -> None:
    conversation.emu.faults.refuse_stream(1, 503, headers={"Retry-After": "2"})
    ticket = await conversation.ticket()
    async with conversation.open(ticket) as response:
        assert response.status == 503
        assert response.headers["Retry-After"] == "2"
        assert (await response.json())["code"] == "internal_error"
    async with conversation.open(ticket) as response:
        assert response.status == 200


async def test_stall_stream_sends_headers_then_nothing(conversation: Conversation) -> None:
    conversation.emu.faults.stall_stream()
    async with conversation.open() as response:
        assert response.status == 200
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(response.content.readany(), 0.05)


async def test_respond_stream_sends_exactly_that(conversation: Conversation) -> None:
    conversation.emu.faults.respond_stream(b"data: raw\r\r", n=2)
    for _ in range(2):
        async with conversation.open() as response:
            assert await response.read() == b"data: raw\r\r"


async def test_stream_faults_count_and_clear(emu: Emulator) -> None:
    emu.faults.stall_stream(2)
    emu.faults.fail_next(1)
    assert len(emu.faults) == 3
    emu.faults.clear()
    assert len(emu.faults) == 0
    with pytest.raises(ValueError, match="fraction"):
        emu.faults.reset_stream_after(0, fraction=1.0)
