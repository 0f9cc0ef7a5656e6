"""``client.agents`` and what hangs off an agent: the read-only lists and knowledge bases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from typing_extensions import Unpack

from .._core import Core
from .._endpoint import Endpoint
from ..errors import UserError
from ..models.agents import (
    Agent,
    AgentAction,
    AgentChannel,
    AgentDetail,
    AgentIntegration,
    ConversationFlow,
    CreateAgentParams,
    CreateKnowledgeBaseParams,
    KnowledgeBaseItem,
    TextKnowledgeBaseParams,
    UpdateAgentParams,
    UpdateKnowledgeBaseParams,
    UrlKnowledgeBaseParams,
)
from ..pagination import AsyncPage
from ._base import Resource, checked_body, write_options

T = TypeVar("T")

LIST = Endpoint[list[Agent]]("GET", "/agents", list[Agent])
CREATE = Endpoint[Agent]("POST", "/agents", Agent)
RETRIEVE = Endpoint[AgentDetail]("GET", "/agents/{agent_id}", AgentDetail)
UPDATE = Endpoint[Agent]("PATCH", "/agents/{agent_id}", Agent)

INTEGRATIONS = Endpoint[list[AgentIntegration]](
    "GET", "/agents/{agent_id}/integrations", list[AgentIntegration]
)
CHANNELS = Endpoint[list[AgentChannel]]("GET", "/agents/{agent_id}/channels", list[AgentChannel])
CONVERSATION_FLOWS = Endpoint[list[ConversationFlow]](
    "GET", "/agents/{agent_id}/conversation_flows", list[ConversationFlow]
)
ACTIONS = Endpoint[list[AgentAction]]("GET", "/agents/{agent_id}/actions", list[AgentAction])

KB_LIST = Endpoint[list[KnowledgeBaseItem]](
    "GET", "/agents/{agent_id}/knowledge_bases", list[KnowledgeBaseItem]
)
KB_CREATE = Endpoint[KnowledgeBaseItem](
    "POST", "/agents/{agent_id}/knowledge_bases", KnowledgeBaseItem
)
KB_UPDATE = Endpoint[KnowledgeBaseItem](
    "PATCH", "/agents/{agent_id}/knowledge_bases/{kb_id}", KnowledgeBaseItem
)
KB_DELETE = Endpoint[None]("DELETE", "/agents/{agent_id}/knowledge_bases/{kb_id}", None)

_KB_BODIES: dict[str, type] = {"text": TextKnowledgeBaseParams, "url": UrlKnowledgeBaseParams}


class AgentListing(Resource, Generic[T]):
    """A read-only list under one agent (``integrations``, ``channels``, ...)."""

    def __init__(self, core: Core, endpoint: Endpoint[list[T]]) -> None:
        super().__init__(core)
        self._endpoint = endpoint

    async def list(self, agent_id: str) -> list[T]:
        return await self._core.call(self._endpoint, {"agent_id": agent_id})


class AsyncKnowledgeBases(Resource):
    """``client.agents.knowledge_bases``: the documents an agent answers from."""

    async def list(self, agent_id: str) -> list[KnowledgeBaseItem]:
        return await self._core.call(KB_LIST, {"agent_id": agent_id})

    async def create(
        self,
        agent_id: str,
        body: CreateKnowledgeBaseParams,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> KnowledgeBaseItem:
        """Add ``{"type": "text", "name", "content"}`` or ``{"type": "url", "name", "url"}``."""
        kind = body.get("type") if isinstance(body, dict) else None
        params = _KB_BODIES.get(kind) if isinstance(kind, str) else None
        if params is None:
            raise UserError(f"body['type'] must be 'text' or 'url', got {kind!r}")
        return await self._core.call(
            KB_CREATE,
            {"agent_id": agent_id},
            body=checked_body(params, dict(body), "knowledge_bases.create"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

    async def update(
        self,
        agent_id: str,
        kb_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: Unpack[UpdateKnowledgeBaseParams],
    ) -> KnowledgeBaseItem:
        return await self._core.call(
            KB_UPDATE,
            {"agent_id": agent_id, "kb_id": kb_id},
            body=checked_body(UpdateKnowledgeBaseParams, dict(fields), "knowledge_bases.update"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

    async def delete(
        self,
        agent_id: str,
        kb_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        await self._core.call(
            KB_DELETE,
            {"agent_id": agent_id, "kb_id": kb_id},
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )


class AsyncAgents(Resource):
    """``client.agents``."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.integrations = AgentListing(core, INTEGRATIONS)
        self.channels = AgentListing(core, CHANNELS)
        self.conversation_flows = AgentListing(core, CONVERSATION_FLOWS)
        self.actions = AgentListing(core, ACTIONS)
        self.knowledge_bases = AsyncKnowledgeBases(core)

    async def list(
        self,
        *,
        page: int = 1,
        limit: int | None = None,
        search: str | None = None,
        sort: str | None = None,
    ) -> AsyncPage[Agent]:
        """A page of agents; ``sort`` is a field name, ``-`` first for descending."""
        return await self._core.page(
            LIST, query={"page": page, "limit": limit, "search": search, "sort": sort}
        )

    async def create(
        self,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: Unpack[CreateAgentParams],
    ) -> Agent:
        """Create an agent; only ``name`` is required."""
        return await self._core.call(
            CREATE,
            body=checked_body(CreateAgentParams, dict(fields), "agents.create"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

    async def retrieve(self, agent_id: str) -> AgentDetail:
        """One agent with its integrations, channels, flows, actions and knowledge bases."""
        return await self._core.call(RETRIEVE, {"agent_id": agent_id})

    async def update(
        self,
        agent_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: Unpack[UpdateAgentParams],
    ) -> Agent:
        """Change the given fields of an agent; the others stay as they are."""
        return await self._core.call(
            UPDATE,
            {"agent_id": agent_id},
            body=checked_body(UpdateAgentParams, dict(fields), "agents.update"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )
