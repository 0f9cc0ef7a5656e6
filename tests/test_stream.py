"""``client.conversations.messages.stream`` against the emulator, over loopback.

Backoff waits are recorded, not slept (``stream.sleep``); the only real waits are the
short read timeouts of the timeout tests. Faults come from the emulator's stream
fault queue, so every reconnect below is caused by a real dropped, closed, stalled or
refused connection.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time

import pytest

from bimpe_async import (
    APIConnectionError,
    APITimeoutError,
    AsyncBimpeAI,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    StreamMessageEvent,
    UserError,
)
from bimpe_async.streaming import MessageStream
from bimpe_async.streaming.reader import BATCH_SIZE
from bimpe_async.testing import Emulator, RecordedRequest, routes_stream

from .conftest import SleepRecorder, wait_until

STREAM_SUFFIX = "/stream"


@pytest.fixture
def conversation(emulator: Emulator) -> tuple[str, str]:
    """An agent and a conversation with three earlier messages."""
    emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=3)
    agent_id = next(iter(emulator.state.agents))
    return agent_id, next(iter(emulator.state.conversations[agent_id]))


def stored_ids(emulator: Emulator, conversation_id: str) -> list[str]:
    return [message.id for message in emulator.state.messages[conversation_id]]


def stream_requests(emulator: Emulator) -> list[RecordedRequest]:
    return [r for r in emulator.requests if r.method == "GET" and r.path.endswith(STREAM_SUFFIX)]


def open_connections(client: AsyncBimpeAI) -> int:
    """Connections the client's pools (calls' and streams') have handed out and not had back."""
    sessions = (client._session, client._sessions.stream_session)
    return sum(
        len(session.connector._acquired)
        for session in sessions
        if session is not None and session.connector is not None
    )


def recorded(stream: MessageStream) -> SleepRecorder:
    recorder = SleepRecorder()
    stream.sleep = recorder
    return recorder


async def take(stream: MessageStream, count: int) -> list[StreamMessageEvent]:
    taken: list[StreamMessageEvent] = []
    if count:
        async for message in stream:
            taken.append(message)
            if len(taken) == count:
                break
    return taken


def add(emulator: Emulator, ids: tuple[str, str], count: int) -> list[str]:
    """Messages added straight to the emulator's store (as if sent by someone else)."""
    return [emulator.state.add_message(*ids, f"live {n}", None).id for n in range(count)]


# Delivery and replay


async def test_replays_history_then_delivers_sent_messages_live(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    async with client.conversations.messages.stream(*conversation) as live:
        history = await take(live, 3)
        sent = [
            await client.conversations.messages.send(*conversation, message=f"hi {n}")
            for n in range(2)
        ]
        later = await take(live, 2)
    assert [m.id for m in history + later] == stored_ids(emulator, conversation[1])
    assert [m.id for m in later] == [m.id for m in sent]
    assert later[0] == StreamMessageEvent(
        id=sent[0].id,
        conversation_id=conversation[1],
        role="user",
        created_at=sent[0].created_at,
        message="hi 0",
        message_type="text",
    )
    assert len(stream_requests(emulator)) == 1


async def test_after_a_message_id_replays_only_what_followed(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    ids = stored_ids(emulator, conversation[1])
    async with client.conversations.messages.stream(*conversation, after=ids[0]) as live:
        assert [m.id for m in await take(live, 2)] == ids[1:]
    assert stream_requests(emulator)[0].query["after"] == ids[0]


async def test_after_a_timestamp_replays_what_was_created_later(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    messages = emulator.state.messages[conversation[1]]
    after = messages[0].created_at
    async with client.conversations.messages.stream(*conversation, after=after) as live:
        assert [m.id for m in await take(live, 2)] == [m.id for m in messages[1:]]


async def test_model_extra_keeps_fields_the_model_does_not_declare(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    body = (
        b'id: m_9\nevent: message\ndata: {"id": "m_9", "conversation_id": "c", '
        b'"role": "user", "created_at": "t", "mood": "happy", '
        b'"attachments": [{"type": "image", "url": "u", "size": 10}]}\n\n'
    )
    emulator.faults.respond_stream(body)
    live = client.conversations.messages.stream(*conversation, reconnect=False)
    async with live:
        [message] = [m async for m in live]
    assert message.model_extra == {"mood": "happy"}
    assert message.mood == "happy"
    assert message._request_id is None  # a stream event has no response of its own
    [attachment] = message.attachments
    assert attachment.size == 10  # an unknown field of a nested model, too


# What is consumed silently


async def test_heartbeats_unknown_events_and_malformed_messages_are_not_yielded(
    client: AsyncBimpeAI,
    emulator: Emulator,
    conversation: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = b'{"id": "m_2", "conversation_id": "c", "role": "user", "created_at": "t"}'
    emulator.faults.respond_stream(
        b': comment\n\nevent: heartbeat\ndata: {"ts": 1}\n\n'
        b"event: typing\ndata: {}\n\n"
        b"id: m_1\nevent: message\ndata: {not json\n\n"
        b'id: m_x\nevent: message\ndata: {"id": 5}\n\n'
        b"id: m_2\nevent: message\ndata: " + good + b"\n\n"
    )
    with caplog.at_level(logging.WARNING, logger="bimpe_async"):
        live = client.conversations.messages.stream(*conversation, reconnect=False)
        async with live:
            received = [m.id async for m in live]
    assert received == ["m_2"]
    skipped = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert [r.bimpe_event_id for r in skipped] == ["m_1", "m_x"]  # type: ignore[attr-defined]


async def test_live_heartbeats_keep_a_quiet_stream_open_under_a_read_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beats = 0
    enough = asyncio.Event()
    real = routes_stream.heartbeat_event

    def counted(timestamp: float) -> bytes:
        nonlocal beats
        beats += 1
        if beats == 10:
            enough.set()
        return real(timestamp)

    monkeypatch.setattr(routes_stream, "heartbeat_event", counted)
    async with Emulator(heartbeat_interval=0.005) as emu:
        emu.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=0)
        agent_id = next(iter(emu.state.agents))
        ids = (agent_id, next(iter(emu.state.conversations[agent_id])))
        async with AsyncBimpeAI(emu.api_key, base_url=emu.base_url) as client:
            live = client.conversations.messages.stream(*ids, timeout=0.04, max_retries=0)
            async with live:
                first = asyncio.ensure_future(live.__anext__())
                await enough.wait()  # 10 heartbeats: the stream was quiet past its timeout
                [sent] = add(emu, ids, 1)
                assert (await first).id == sent
    assert len(stream_requests(emu)) == 1


# Reconnecting


async def test_reconnect_false_ends_when_the_server_closes(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.cut_stream_after(2)
    live = client.conversations.messages.stream(*conversation, reconnect=False)
    async with live:
        received = [m.id async for m in live]
    assert received == stored_ids(emulator, conversation[1])[:2]
    assert len(stream_requests(emulator)) == 1


async def test_a_server_close_after_messages_resumes_at_once_without_gap_or_repeat(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.cut_stream_after(1)
    emulator.faults.reset_stream_after(1, fraction=0.6)
    async with client.conversations.messages.stream(*conversation) as live:
        sleeps = recorded(live)
        received = [m.id for m in await take(live, 3)]
    assert received == stored_ids(emulator, conversation[1])
    assert sleeps.delays == []  # both connections had delivered: no backoff
    requests = stream_requests(emulator)
    assert [r.query.get("after") for r in requests] == [None, received[0], received[1]]


async def test_retryable_refusals_back_off_and_honour_retry_after(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.refuse_stream(2, 503)
    emulator.faults.refuse_stream(1, 429, headers={"Retry-After": "3"})
    async with client.conversations.messages.stream(*conversation) as live:
        sleeps = recorded(live)
        assert len(await take(live, 1)) == 1
    first, second, third = sleeps.delays
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0
    assert third == 3.0


async def test_a_server_retry_field_sets_the_base_delay(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.respond_stream(b"retry: 2000\n: no events, then the server closes\n\n")
    emulator.faults.refuse_stream(1, 503)
    async with client.conversations.messages.stream(*conversation) as live:
        sleeps = recorded(live)
        assert len(await take(live, 1)) == 1
    first, second = sleeps.delays
    assert 1.0 <= first <= 2.0
    assert 2.0 <= second <= 4.0


async def test_the_budget_counts_only_consecutive_failures(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.refuse_stream(3, 503)
    emulator.faults.cut_stream_after(1)  # one message refills the budget ...
    emulator.faults.refuse_stream(2, 503)  # ... so 1 (this cut) + 2 more fit in it again
    stream = client.conversations.messages.stream(*conversation, max_retries=3)
    async with stream as live:
        sleeps = recorded(live)
        assert [m.id for m in await take(live, 3)] == stored_ids(emulator, conversation[1])
    assert len(sleeps.delays) == 5  # 3 + 2 backoffs; the reconnect after the cut was at once
    assert len(stream_requests(emulator)) == 7


async def test_an_exhausted_budget_raises_the_last_error(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.refuse_stream(3, 503)
    async with client.conversations.messages.stream(*conversation, max_retries=2) as live:
        sleeps = recorded(live)
        with pytest.raises(InternalServerError) as raised:
            await take(live, 1)
        assert [m async for m in live] == []  # the error ended the stream
    assert raised.value.status == 503
    assert len(sleeps.delays) == 2
    assert len(stream_requests(emulator)) == 3
    assert open_connections(client) == 0


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationError), (403, PermissionDeniedError), (404, NotFoundError)],
)
async def test_auth_and_not_found_refusals_are_not_retried(
    client: AsyncBimpeAI,
    emulator: Emulator,
    conversation: tuple[str, str],
    status: int,
    error: type[Exception],
) -> None:
    emulator.faults.refuse_stream(1, status)
    async with client.conversations.messages.stream(*conversation) as live:
        sleeps = recorded(live)
        with pytest.raises(error):
            await take(live, 1)
    assert sleeps.delays == []
    assert len(stream_requests(emulator)) == 1


async def test_an_unknown_conversation_fails_at_its_ticket(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    async with client.conversations.messages.stream(conversation[0], "cv_missing") as live:
        with pytest.raises(NotFoundError):
            await take(live, 1)
    assert stream_requests(emulator) == []


async def test_a_stalled_stream_times_out_and_reconnects(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.stall_stream()
    async with client.conversations.messages.stream(*conversation, timeout=0.05) as live:
        sleeps = recorded(live)
        assert len(await take(live, 3)) == 3
    assert len(sleeps.delays) == 1
    assert len(stream_requests(emulator)) == 2


async def test_a_stall_with_no_budget_raises_a_timeout(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    emulator.faults.stall_stream()
    stream = client.conversations.messages.stream(*conversation, timeout=0.05, max_retries=0)
    async with stream as live:
        with pytest.raises(APITimeoutError):
            await take(live, 1)
    assert open_connections(client) == 0


# Credentials


async def test_every_connection_uses_a_fresh_ticket_and_no_key(
    emulator: Emulator, conversation: tuple[str, str]
) -> None:
    key_header = {"Authorization": f"Bearer {emulator.api_key}"}
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, default_headers=key_header
    ) as client:
        for events in (0, 1, 0):
            emulator.faults.cut_stream_after(events)
        emulator.faults.refuse_stream(1, 503)
        async with client.conversations.messages.stream(*conversation) as live:
            recorded(live)
            assert len(await take(live, 3)) == 3
    requests = stream_requests(emulator)
    tickets = [r.query["ticket"] for r in requests]
    assert len(requests) == 5
    assert len(set(tickets)) == 5
    issued = [r for r in emulator.requests if r.path.endswith("/stream-ticket")]
    assert len(issued) == 5
    for request in requests:
        assert "authorization" not in request.headers
        assert request.headers["accept"] == "text/event-stream"
        assert emulator.api_key not in repr(request)
        assert request.status != 401  # every ticket was accepted: none was reused


async def test_errors_and_logs_never_show_the_ticket(
    client: AsyncBimpeAI,
    emulator: Emulator,
    conversation: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    last = stored_ids(emulator, conversation[1])[-1]
    emulator.faults.reset_stream_after(0)  # inside the next message, once there is one
    with caplog.at_level(logging.DEBUG, logger="bimpe_async"):
        live = client.conversations.messages.stream(*conversation, after=last, max_retries=0)
        async with live:
            first = asyncio.ensure_future(live.__anext__())
            await wait_until(lambda: open_connections(client) == 1)
            add(emulator, conversation, 1)
            with pytest.raises(APIConnectionError) as raised:
                await first
    [request] = stream_requests(emulator)
    ticket = request.query["ticket"]
    shown = [str(raised.value), repr(raised.value), caplog.text]
    assert all(ticket not in text and emulator.api_key not in text for text in shown)
    connections = [r for r in caplog.records if "message stream connection" in r.getMessage()]
    assert len(connections) == 1
    assert f"ticket=***&after={last}" in connections[0].getMessage()


# Cleanup


async def test_break_closes_the_connection_at_once(
    client: AsyncBimpeAI, conversation: tuple[str, str]
) -> None:
    async for _ in client.conversations.messages.stream(*conversation):
        assert open_connections(client) == 1
        break
    assert open_connections(client) == 0


async def test_cancelling_the_reading_task_closes_the_connection_at_once(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    live = client.conversations.messages.stream(*conversation)
    assert len(await take(live, 3)) == 3  # history read; the next message never comes
    waiting = asyncio.ensure_future(live.__anext__())
    await wait_until(lambda: live._busy)  # blocked reading the open connection
    assert open_connections(client) == 1
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert open_connections(client) == 0
    assert [m async for m in live] == []


async def test_async_with_closes_a_stream_that_is_still_referenced(
    client: AsyncBimpeAI, conversation: tuple[str, str]
) -> None:
    async with client.conversations.messages.stream(*conversation) as live:
        assert len(await take(live, 1)) == 1
        assert open_connections(client) == 1
    assert open_connections(client) == 0
    await live.aclose()  # closing twice is harmless


async def test_one_reader_at_a_time(client: AsyncBimpeAI, conversation: tuple[str, str]) -> None:
    async with client.conversations.messages.stream(*conversation) as live:
        await take(live, 3)
        waiting = asyncio.ensure_future(live.__anext__())
        await wait_until(lambda: live._busy)
        with pytest.raises(RuntimeError, match="already waiting"):
            await live.__anext__()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting


@pytest.mark.parametrize(
    "arguments",
    [
        {"after": ""},
        {"reconnect": "yes"},
        {"max_retries": -1},
        {"timeout": 0},
    ],
)
async def test_bad_arguments_fail_before_any_request(
    client: AsyncBimpeAI, conversation: tuple[str, str], arguments: dict[str, object]
) -> None:
    with pytest.raises(UserError):
        client.conversations.messages.stream(*conversation, **arguments)  # type: ignore[arg-type]
    with pytest.raises(UserError):
        client.conversations.messages.stream(conversation[0], "")


# Soak

SOAK_MESSAGES = 5_000
SOAK_CUTS = 220


async def test_soak_every_message_exactly_once_through_hundreds_of_cuts(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=1, messages_per_conversation=0)
    agent_id = next(iter(emulator.state.agents))
    ids = (agent_id, next(iter(emulator.state.conversations[agent_id])))
    rng = random.Random(20261123)
    for _ in range(SOAK_CUTS):
        events = rng.randint(0, 40)
        if rng.random() < 0.5:
            emulator.faults.cut_stream_after(events)
        else:
            emulator.faults.reset_stream_after(events, fraction=rng.random() * 0.99)

    async def produce() -> None:
        left = SOAK_MESSAGES
        while left:
            batch = min(left, rng.randint(1, 60))
            add(emulator, ids, batch)
            left -= batch
            await asyncio.sleep(0)  # let the stream run between bursts

    async def consume(live: MessageStream) -> list[str]:
        return [m.id for m in await take(live, SOAK_MESSAGES)]

    started = time.perf_counter()
    async with client.conversations.messages.stream(*ids, max_retries=10) as live:
        sleeps = recorded(live)
        _, received = await asyncio.wait_for(asyncio.gather(produce(), consume(live)), 30)
    elapsed = time.perf_counter() - started

    assert len(emulator.faults) == 0  # every cut happened
    assert len(stream_requests(emulator)) >= SOAK_CUTS + 1
    assert len(received) == len(set(received)) == SOAK_MESSAGES  # nothing repeated
    assert received == stored_ids(emulator, ids[1])  # nothing lost, in order
    assert len(sleeps.delays) < SOAK_CUTS  # most reconnects were immediate
    assert elapsed < 10


async def test_batches_hand_out_every_message_once_across_cuts(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    """``stream.batches()``: what one read parsed, at once; resume and order as per message."""
    live_ids = add(emulator, conversation, 7)
    emulator.faults.cut_stream_after(2)
    emulator.faults.reset_stream_after(3, fraction=0.5)
    expected = stored_ids(emulator, conversation[1])
    received: list[str] = []
    batch_sizes: list[int] = []
    stream = client.conversations.messages.stream(*conversation)
    sleeps = recorded(stream)
    async with stream.batches() as batches:
        async for batch in batches:
            assert all(isinstance(message, StreamMessageEvent) for message in batch)
            batch_sizes.append(len(batch))
            received += [message.id for message in batch]
            if len(received) >= len(expected):
                break
    assert received == expected
    assert live_ids == expected[3:]
    assert max(batch_sizes) > 1  # several messages came in one read
    assert sleeps.delays == []
    requests = stream_requests(emulator)
    assert len(requests) == 3
    assert requests[1].query["after"] == received[1]
    assert open_connections(client) == 0


async def test_batches_end_when_the_server_closes_without_reconnect(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    stream = client.conversations.messages.stream(*conversation, reconnect=False)
    emulator.faults.cut_stream_after(3)
    batches = [batch async for batch in stream.batches()]
    assert [m.id for batch in batches for m in batch] == stored_ids(emulator, conversation[1])
    assert len(stream_requests(emulator)) == 1


async def test_a_batch_of_heartbeats_alone_is_skipped_without_losing_what_follows(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    heartbeats = b'event: heartbeat\ndata: {"ts": 1}\n\n' * (BATCH_SIZE + 5)
    message = (
        b'id: m_after\nevent: message\ndata: {"id": "m_after", "conversation_id": "c", '
        b'"role": "user", "created_at": "t"}\n\n'
    )
    emulator.faults.respond_stream(heartbeats + message)  # one body: one network read
    stream = client.conversations.messages.stream(*conversation, reconnect=False)
    async with stream.batches() as batches:
        received = [batch async for batch in batches]
    assert [[m.id for m in batch] for batch in received] == [["m_after"]]


def message_event(message_id: str, data: bytes | None = None) -> bytes:
    body = data or (
        b'{"id": "%s", "conversation_id": "c", "role": "user", "created_at": "t"}'
        % message_id.encode()
    )
    return b"id: %s\nevent: message\ndata: %s\n\n" % (message_id.encode(), body)


async def test_batches_skip_malformed_events_and_keep_the_good_ones_around_them(
    client: AsyncBimpeAI,
    emulator: Emulator,
    conversation: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    two_values = b'{"id": "m_y", "conversation_id": "c", "role": "user", "created_at": "t"}, 1'
    emulator.faults.respond_stream(
        message_event("m_1")
        + message_event("m_bad", b"{not json")
        + message_event("m_2")
        + message_event("m_two", two_values)  # two JSON values: no message, however joined
        + b'event: heartbeat\ndata: {"ts": 1}\n\n'
        + message_event("m_3")
    )
    with caplog.at_level(logging.WARNING, logger="bimpe_async"):
        stream = client.conversations.messages.stream(*conversation, reconnect=False)
        async with stream.batches() as batches:
            received = [[m.id for m in batch] async for batch in batches]
    assert received == [["m_1", "m_2", "m_3"]]
    skipped = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert [r.bimpe_event_id for r in skipped] == ["m_bad", "m_two"]  # type: ignore[attr-defined]


async def test_a_batch_decoded_at_once_keeps_each_message_linked_to_its_own_event(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    extra = (
        b'{"id": "m_2", "conversation_id": "c", "role": "user", "created_at": "t", "mood": "ok"}'
    )
    emulator.faults.respond_stream(
        message_event("m_1") + message_event("m_2", extra) + message_event("m_3")
    )
    stream = client.conversations.messages.stream(*conversation, reconnect=False)
    async with stream.batches() as batches:
        [batch] = [batch async for batch in batches]
    assert [m.model_extra for m in batch] == [{}, {"mood": "ok"}, {}]
    assert batch[1].mood == "ok"


async def test_an_event_holding_two_json_values_cannot_pass_for_two_messages_in_a_batch(
    client: AsyncBimpeAI, emulator: Emulator, conversation: tuple[str, str]
) -> None:
    # Joined into one array, this event's data decodes as two messages; the count
    # gives it away, and one by one it is what it is: malformed.
    two = b'{"id": "m_a", "conversation_id": "c", "role": "user", "created_at": "t"}, ' * 2
    emulator.faults.respond_stream(message_event("m_1") + message_event("m_two", two[:-2]))
    stream = client.conversations.messages.stream(*conversation, reconnect=False)
    async with stream.batches() as batches:
        received = [[m.id for m in batch] async for batch in batches]
    assert received == [["m_1"]]
