"""``client.conversations`` and ``client.conversations.messages``."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from typing_extensions import Unpack

from .._core import Core, check_max_retries, check_timeout
from .._endpoint import Endpoint
from ..errors import UserError
from ..models.conversations import (
    Channel,
    Conversation,
    Message,
    SendMessageParams,
    StreamTicket,
)
from ..pagination import AsyncPage
from ..streaming.connection import StreamOpener
from ..streaming.reader import MessageStream
from ._base import Resource, checked_body, write_options

LIST = Endpoint[list[Conversation]]("GET", "/agents/{agent_id}/conversations", list[Conversation])
RETRIEVE = Endpoint[Conversation](
    "GET", "/agents/{agent_id}/conversations/{conversation_id}", Conversation
)
MESSAGES = Endpoint[list[Message]](
    "GET", "/agents/{agent_id}/conversations/{conversation_id}/messages", list[Message]
)
SEND = Endpoint[Message](
    "POST", "/agents/{agent_id}/conversations/{conversation_id}/messages", Message
)
STREAM = Endpoint[None]("GET", "/agents/{agent_id}/conversations/{conversation_id}/stream", None)
"""Served as SSE by ``streaming``, not decoded as an envelope: used for its path only."""
STREAM_TICKET = Endpoint[StreamTicket](
    "POST", "/agents/{agent_id}/conversations/{conversation_id}/stream-ticket", StreamTicket
)


class AsyncMessages(Resource):
    """``client.conversations.messages``."""

    async def list(
        self,
        agent_id: str,
        conversation_id: str,
        *,
        page: int = 1,
        limit: int | None = None,
        search: str | None = None,
        sort: str | None = None,
    ) -> AsyncPage[Message]:
        return await self._core.page(
            MESSAGES,
            {"agent_id": agent_id, "conversation_id": conversation_id},
            query={"page": page, "limit": limit, "search": search, "sort": sort},
        )

    async def send(
        self,
        agent_id: str,
        conversation_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: Unpack[SendMessageParams],
    ) -> Message:
        """Send ``message`` (with optional ``attachments=[{"type", "url"}]``)."""
        return await self._core.call(
            SEND,
            {"agent_id": agent_id, "conversation_id": conversation_id},
            body=checked_body(SendMessageParams, dict(fields), "messages.send"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

    async def stream_ticket(
        self,
        agent_id: str,
        conversation_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> StreamTicket:
        """A single-use ticket for one connection to the conversation's message stream."""
        return await self._core.call(
            STREAM_TICKET,
            {"agent_id": agent_id, "conversation_id": conversation_id},
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

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
            STREAM.render_path({"agent_id": agent_id, "conversation_id": conversation_id}),
            tickets,
            read_timeout=timeout,
        )
        return MessageStream(opener, after=after, reconnect=reconnect, max_retries=max_retries)


class AsyncConversations(Resource):
    """``client.conversations``."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.messages = AsyncMessages(core)

    async def list(
        self,
        agent_id: str,
        *,
        channel: Channel | None = None,
        search: str | None = None,
        sort: str | None = None,
        page: int = 1,
        limit: int | None = None,
    ) -> AsyncPage[Conversation]:
        return await self._core.page(
            LIST,
            {"agent_id": agent_id},
            query={
                "page": page,
                "limit": limit,
                "search": search,
                "sort": sort,
                "channel": channel,
            },
        )

    async def retrieve(self, agent_id: str, conversation_id: str) -> Conversation:
        return await self._core.call(
            RETRIEVE, {"agent_id": agent_id, "conversation_id": conversation_id}
        )
