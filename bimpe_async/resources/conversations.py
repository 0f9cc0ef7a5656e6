"""``client.conversations`` and ``client.conversations.messages``."""

from __future__ import annotations

import functools

from typing_extensions import Unpack

from .._checks import check_max_retries, check_timeout
from .._core import Core
from .._endpoint import Endpoint, Fields
from .._options import CallOptions
from ..errors import UserError
from ..models.conversations import (
    Channel,
    Conversation,
    ConversationAiStatus,
    ConversationDetail,
    Message,
    SendMessageParams,
    SetAiStatusParams,
    StartConversationParams,
    StreamTicket,
)
from ..pagination import AsyncPage
from ..streaming.connection import StreamOpener
from ..streaming.reader import MessageStream
from ._base import PAGE_QUERY, ListArgs, Resource

CONVERSATIONS = "/agents/{agent_id}/conversations"
CONVERSATION = CONVERSATIONS + "/{conversation_id}"
MESSAGES = CONVERSATION + "/messages"

LIST = Endpoint[list[Conversation]](
    "conversations.list",
    "GET",
    CONVERSATIONS,
    list[Conversation],
    query=(*PAGE_QUERY, "channel", "is_test_channel", "is_ai_chat_paused", "needs_attention"),
)
RETRIEVE = Endpoint[ConversationDetail](
    "conversations.retrieve", "GET", CONVERSATION, ConversationDetail
)
START = Endpoint[Message](
    "conversations.send",
    "POST",
    CONVERSATIONS + "/messages",
    Message,
    body=Fields(StartConversationParams),
)
SET_AI_STATUS = Endpoint[ConversationAiStatus](
    "conversations.set_ai_status",
    "PATCH",
    CONVERSATION + "/ai-status",
    ConversationAiStatus,
    body=Fields(SetAiStatusParams),
)
MESSAGE_LIST = Endpoint[list[Message]](
    "conversations.messages.list", "GET", MESSAGES, list[Message], query=PAGE_QUERY
)
MESSAGE_SEND = Endpoint[Message](
    "conversations.messages.send", "POST", MESSAGES, Message, body=Fields(SendMessageParams)
)
MESSAGE_RETRIEVE = Endpoint[Message](
    "conversations.messages.retrieve", "GET", MESSAGES + "/{message_id}", Message
)
STREAM_TICKET = Endpoint[StreamTicket](
    "conversations.messages.stream_ticket", "POST", CONVERSATION + "/stream-ticket", StreamTicket
)
STREAM = Endpoint[None]("conversations.messages.stream", "GET", CONVERSATION + "/stream", None)
"""Served as SSE by ``streaming``, not decoded as an envelope: used for its path only."""


class ConversationListArgs(ListArgs, total=False):
    channel: Channel | None
    is_test_channel: bool | None
    is_ai_chat_paused: bool | None
    needs_attention: bool | None


class StartConversationArgs(StartConversationParams, CallOptions, total=False):
    pass


class SetAiStatusArgs(SetAiStatusParams, CallOptions, total=False):
    pass


class SendMessageArgs(SendMessageParams, CallOptions, total=False):
    pass


class AsyncMessages(Resource):
    """``client.conversations.messages``."""

    async def list(
        self, agent_id: str, conversation_id: str, **args: Unpack[ListArgs]
    ) -> AsyncPage[Message]:
        return await self._core.page(MESSAGE_LIST, (agent_id, conversation_id), args)

    async def send(
        self, agent_id: str, conversation_id: str, **args: Unpack[SendMessageArgs]
    ) -> Message:
        """Send ``message`` (``role`` user or assistant) in the conversation."""
        return await self._core.call(MESSAGE_SEND, (agent_id, conversation_id), args)

    async def retrieve(
        self,
        agent_id: str,
        conversation_id: str,
        message_id: str,
        **options: Unpack[CallOptions],
    ) -> Message:
        return await self._core.call(
            MESSAGE_RETRIEVE, (agent_id, conversation_id, message_id), options
        )

    async def stream_ticket(
        self, agent_id: str, conversation_id: str, **options: Unpack[CallOptions]
    ) -> StreamTicket:
        """A single-use ticket for one connection to the conversation's message stream."""
        return await self._core.call(STREAM_TICKET, (agent_id, conversation_id), options)

    def stream(
        self,
        agent_id: str,
        conversation_id: str,
        *,
        after: str | None = None,
        reconnect: bool = True,
        max_retries: int = 5,
        timeout: float | None = None,
    ) -> MessageStream:
        """The conversation's messages as they arrive, resumed across dropped connections.

        ``async for message in messages.stream(...)`` yields each ``StreamMessageEvent``
        once, in order; ``async with messages.stream(...) as live:`` also closes the
        connection when the block ends. ``after`` (a message id or ISO-8601 timestamp)
        replays what came after it first. A dropped connection, a read stall longer
        than ``timeout`` seconds, or a retryable status reconnects with a fresh ticket,
        after up to ``max_retries`` consecutive failures (any delivered message
        refills the budget); then the last error is raised. With ``reconnect=False``
        the iteration ends when the server closes the stream.
        """
        if after is not None and (not isinstance(after, str) or not after):
            raise UserError(
                f"after must be a message id, an ISO-8601 timestamp or None, got {after!r}"
            )
        if not isinstance(reconnect, bool):
            raise UserError(f"reconnect must be True or False, got {reconnect!r}")
        check_max_retries("max_retries", max_retries)
        check_timeout("timeout", timeout)
        # The ticket call is not retried by the client: the stream's own budget covers it,
        # so a failing server costs one series of waits, not nested ones.
        tickets = functools.partial(self.stream_ticket, agent_id, conversation_id, max_retries=0)
        opener = StreamOpener(
            self._core,
            STREAM.render_path((agent_id, conversation_id)),
            tickets,
            read_timeout=timeout,
            route=STREAM.path,
        )
        return MessageStream(opener, after=after, reconnect=reconnect, max_retries=max_retries)


class AsyncConversations(Resource):
    """``client.conversations``."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.messages = AsyncMessages(core)

    async def list(
        self, agent_id: str, **args: Unpack[ConversationListArgs]
    ) -> AsyncPage[Conversation]:
        """A page of the agent's conversations, filtered by channel and state."""
        return await self._core.page(LIST, (agent_id,), args)

    async def retrieve(
        self, agent_id: str, conversation_id: str, **options: Unpack[CallOptions]
    ) -> ConversationDetail:
        """One conversation with its contact's profile."""
        return await self._core.call(RETRIEVE, (agent_id, conversation_id), options)

    async def send(self, agent_id: str, **args: Unpack[StartConversationArgs]) -> Message:
        """Start a conversation, or add to one, by ``conversation_id`` or channel address."""
        return await self._core.call(START, (agent_id,), args)

    async def set_ai_status(
        self, agent_id: str, conversation_id: str, **args: Unpack[SetAiStatusArgs]
    ) -> ConversationAiStatus:
        """Pause (``is_ai_chat_paused=True``) or resume the AI in a conversation."""
        return await self._core.call(SET_AI_STATUS, (agent_id, conversation_id), args)
