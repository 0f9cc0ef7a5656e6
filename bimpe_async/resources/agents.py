"""``client.agents``: list, create, retrieve and update agents."""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import Unpack

from .._endpoint import Endpoint
from ..models.agents import Agent, AgentDetail, CreateAgentParams, UpdateAgentParams
from ..pagination import AsyncPage
from ._base import Resource, checked_body, write_options

LIST = Endpoint[list[Agent]]("GET", "/agents", list[Agent])
CREATE = Endpoint[Agent]("POST", "/agents", Agent)
RETRIEVE = Endpoint[AgentDetail]("GET", "/agents/{agent_id}", AgentDetail)
UPDATE = Endpoint[Agent]("PATCH", "/agents/{agent_id}", Agent)


class AsyncAgents(Resource):
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
