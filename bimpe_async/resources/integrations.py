"""``client.agents.integrations``: what an agent is connected to."""

from __future__ import annotations

from typing_extensions import Unpack

from .._endpoint import Endpoint
from .._options import CallOptions
from ..models.agents import AgentIntegration
from ._base import Resource

INTEGRATIONS = "/agents/{agent_id}/integrations"

LIST = Endpoint[list[AgentIntegration]](
    "agents.integrations.list", "GET", INTEGRATIONS, list[AgentIntegration]
)


class AsyncIntegrations(Resource):
    """``client.agents.integrations``."""

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[AgentIntegration]:
        """Every integration of the agent, with its settings and actions."""
        return await self._core.call(LIST, (agent_id,), options)
