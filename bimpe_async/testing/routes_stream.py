"""The live message stream: Server-Sent Events, opened with a single-use ticket.

``GET .../stream?ticket=T[&after=X]`` (and ``.../messages/stream``, the path of SDK
0.1 to 0.3) answers 401 unless ``T`` is an unused, unexpired ticket for this very
conversation. It then replays the messages created after ``X`` (a message id of the
conversation, or an ISO-8601 timestamp), sends every new message as it is added, and
sends a heartbeat after each ``heartbeat_interval`` seconds of silence, until the
client leaves or the conversation is deleted with its agent (a clean end). Queued
stream faults (see ``Faults``) refuse, cut, reset, stall or replace a connection.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import msgspec
from aiohttp import web

from .context import Context, context, request_id
from .envelope import error_response
from .errors import ApiError, bad_request, default_code
from .faults import CutStream, RawStream, RefuseStream, StallStream
from .models import Message
from .routes_conversations import CONVERSATION

TICKET_ROUTES = frozenset({"message_stream", "message_stream_legacy"})
"""Routes whose credential is the ticket in the query, not the API key."""

routes = web.RouteTableDef()


def message_event(message: Message) -> bytes:
    """One message as an SSE event: its id, type ``message``, and its JSON as data."""
    return b"id: %s\nevent: message\ndata: %s\n\n" % (
        message.id.encode(),
        msgspec.json.encode(message),
    )


def heartbeat_event(timestamp: float) -> bytes:
    return b'event: heartbeat\ndata: {"ts": %d}\n\n' % int(timestamp)


def _moment(text: str) -> datetime | None:
    """An ISO-8601 timestamp as an aware datetime (naive means UTC); None if it is not one."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def replay_start(messages: list[Message], after: str | None) -> int:
    """The index of the first message to send; the list is in creation order."""
    if after is None:
        return 0
    for index in range(len(messages) - 1, -1, -1):  # resumes are usually near the end
        if messages[index].id == after:
            return index + 1
    moment = _moment(after)
    if moment is None:
        raise bad_request("after must be a message id of this conversation or an ISO-8601 time")
    for index, message in enumerate(messages):
        created = _moment(message.created_at)
        if created is not None and created > moment:
            return index
    return len(messages)


class ConversationGone(Exception):
    """The conversation was deleted (with its agent) while a stream was open."""


def _messages(ctx: Context, conversation_id: str) -> list[Message]:
    messages = ctx.state.messages.get(conversation_id)
    if messages is None:
        raise ConversationGone
    return messages


async def _message_at(
    ctx: Context, response: web.StreamResponse, conversation_id: str, index: int
) -> Message:
    """Message number ``index``, waiting for it to be added (heartbeating meanwhile)."""
    while index >= len(_messages(ctx, conversation_id)):
        added = ctx.state.message_added(conversation_id)
        try:
            await asyncio.wait_for(added.wait(), ctx.heartbeat_interval)
        except asyncio.TimeoutError:
            await response.write(heartbeat_event(ctx.clock()))
    return _messages(ctx, conversation_id)[index]


async def _send(
    ctx: Context,
    response: web.StreamResponse,
    conversation_id: str,
    sent: int,
    stop: int | None,
) -> None:
    """Send messages from index ``sent`` up to ``stop`` (live and forever when None)."""
    while stop is None or sent < stop:
        await _message_at(ctx, response, conversation_id, sent)
        messages = _messages(ctx, conversation_id)
        end = len(messages) if stop is None else min(len(messages), stop)
        # Everything already there goes out in one write, as a busy server would send it.
        await response.write(b"".join(message_event(item) for item in messages[sent:end]))
        sent = end


async def _cut(
    ctx: Context,
    request: web.Request,
    response: web.StreamResponse,
    conversation_id: str,
    start: int,
    cut: CutStream,
) -> None:
    await _send(ctx, response, conversation_id, start, start + cut.events)
    if not cut.abort:
        return
    event = message_event(await _message_at(ctx, response, conversation_id, start + cut.events))
    partial = event[: int(len(event) * cut.fraction)]
    if partial:
        await response.write(partial)
    if request.transport is not None:
        request.transport.abort()


@routes.get(CONVERSATION + "/stream", name="message_stream")
@routes.get(CONVERSATION + "/messages/stream", name="message_stream_legacy")
async def stream_messages(request: web.Request) -> web.StreamResponse:
    ctx = context(request)
    fault = ctx.faults.take_stream()
    if isinstance(fault, RefuseStream):
        error = ApiError(fault.status, default_code(fault.status), "The stream is unavailable")
        refusal = error_response(request, error)
        refusal.headers.update(fault.headers)
        return refusal
    agent_id, conversation_id = (
        request.match_info["agent_id"],
        request.match_info["conversation_id"],
    )
    if ctx.state.consume_ticket(request.query.get("ticket", "")) != (agent_id, conversation_id):
        raise ApiError(401, "unauthorized", "The stream ticket is invalid, expired or used")
    messages = ctx.state.messages_of(agent_id, conversation_id)
    start = replay_start(messages, request.query.get("after"))
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache",
            "x-request-id": request_id(request),  # the pipeline cannot add it once prepared
        }
    )
    await response.prepare(request)
    try:
        if isinstance(fault, StallStream):
            await asyncio.Event().wait()  # until the client gives up and the handler ends
        elif isinstance(fault, RawStream):
            await response.write(fault.body)
        elif isinstance(fault, CutStream):
            await _cut(ctx, request, response, conversation_id, start, fault)
        else:
            await _send(ctx, response, conversation_id, start, None)
    except ConversationGone:
        pass  # a clean end: there is nothing more to send
    return response
