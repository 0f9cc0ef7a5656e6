"""``client.agents.integrations``: what an agent is connected to, family by family.

The four families (``bimpeai``, ``custom_api``, ``mcp_server``, ``pipedream``) share
``list`` and ``disconnect``: ``IntegrationFamily`` implements them once, and each
family only names its specs and adds what is its own (``configure`` with its typed
arguments, ``tools``, MCP ``discover`` / ``test``).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from typing_extensions import Unpack

from .._core import Core
from .._endpoint import Endpoint, Fields
from .._options import CallOptions
from ..models.agents import AgentIntegration
from ..models.base import Model
from ..models.integrations import (
    BimpeaiConfigureParams,
    BimpeaiIntegration,
    CreateToolParams,
    CustomApiConfigureParams,
    CustomApiIntegration,
    IntegrationTool,
    McpServerConfigureParams,
    McpServerDiscoverResult,
    McpServerIntegration,
    McpServerTestResult,
    OnboardingUrl,
    PipedreamConfigureParams,
    PipedreamIntegration,
)
from ._base import Resource

INTEGRATIONS = "/agents/{agent_id}/integrations"
BIMPEAI = INTEGRATIONS + "/bimpeai"
CUSTOM_API = INTEGRATIONS + "/custom_api"
MCP_SERVER = INTEGRATIONS + "/mcp_server"
PIPEDREAM = INTEGRATIONS + "/pipedream"
ONE = "/{integration_id}"

LIST = Endpoint[list[AgentIntegration]](
    "agents.integrations.list", "GET", INTEGRATIONS, list[AgentIntegration]
)

BIMPEAI_LIST = Endpoint[list[BimpeaiIntegration]](
    "agents.integrations.bimpeai.list", "GET", BIMPEAI, list[BimpeaiIntegration]
)
BIMPEAI_CONFIGURE = Endpoint[OnboardingUrl](
    "agents.integrations.bimpeai.configure",
    "POST",
    BIMPEAI + "/configure",
    OnboardingUrl,
    body=Fields(BimpeaiConfigureParams),
)
BIMPEAI_DISCONNECT = Endpoint[None](
    "agents.integrations.bimpeai.disconnect", "DELETE", BIMPEAI + ONE, None
)

CUSTOM_API_LIST = Endpoint[list[CustomApiIntegration]](
    "agents.integrations.custom_api.list", "GET", CUSTOM_API, list[CustomApiIntegration]
)
CUSTOM_API_CONFIGURE = Endpoint[CustomApiIntegration](
    "agents.integrations.custom_api.configure",
    "POST",
    CUSTOM_API + "/configure",
    CustomApiIntegration,
    body=Fields(CustomApiConfigureParams),
)
CUSTOM_API_DISCONNECT = Endpoint[None](
    "agents.integrations.custom_api.disconnect", "DELETE", CUSTOM_API + ONE, None
)
CUSTOM_API_TOOLS = CUSTOM_API + ONE + "/tools"
CUSTOM_API_TOOLS_LIST = Endpoint[list[IntegrationTool]](
    "agents.integrations.custom_api.tools.list", "GET", CUSTOM_API_TOOLS, list[IntegrationTool]
)
CUSTOM_API_TOOLS_ADD = Endpoint[IntegrationTool](
    "agents.integrations.custom_api.tools.add",
    "POST",
    CUSTOM_API_TOOLS,
    IntegrationTool,
    body=Fields(CreateToolParams),
)
CUSTOM_API_TOOLS_DELETE = Endpoint[None](
    "agents.integrations.custom_api.tools.delete", "DELETE", CUSTOM_API_TOOLS + "/{tool_id}", None
)

MCP_SERVER_LIST = Endpoint[list[McpServerIntegration]](
    "agents.integrations.mcp_server.list", "GET", MCP_SERVER, list[McpServerIntegration]
)
MCP_SERVER_CONFIGURE = Endpoint[McpServerIntegration](
    "agents.integrations.mcp_server.configure",
    "POST",
    MCP_SERVER + "/configure",
    McpServerIntegration,
    body=Fields(McpServerConfigureParams),
)
MCP_SERVER_DISCONNECT = Endpoint[None](
    "agents.integrations.mcp_server.disconnect", "DELETE", MCP_SERVER + ONE, None
)
MCP_SERVER_DISCOVER = Endpoint[McpServerDiscoverResult](
    "agents.integrations.mcp_server.discover",
    "POST",
    MCP_SERVER + ONE + "/discover",
    McpServerDiscoverResult,
)
MCP_SERVER_TEST = Endpoint[McpServerTestResult](
    "agents.integrations.mcp_server.test", "POST", MCP_SERVER + ONE + "/test", McpServerTestResult
)
MCP_SERVER_TOOLS_LIST = Endpoint[list[IntegrationTool]](
    "agents.integrations.mcp_server.tools.list",
    "GET",
    MCP_SERVER + ONE + "/tools",
    list[IntegrationTool],
)

PIPEDREAM_LIST = Endpoint[list[PipedreamIntegration]](
    "agents.integrations.pipedream.list", "GET", PIPEDREAM, list[PipedreamIntegration]
)
PIPEDREAM_CONFIGURE = Endpoint[OnboardingUrl](
    "agents.integrations.pipedream.configure",
    "POST",
    PIPEDREAM + "/configure",
    OnboardingUrl,
    body=Fields(PipedreamConfigureParams),
)
PIPEDREAM_DISCONNECT = Endpoint[None](
    "agents.integrations.pipedream.disconnect", "DELETE", PIPEDREAM + ONE, None
)


class BimpeaiConfigureArgs(BimpeaiConfigureParams, CallOptions, total=False):
    pass


class CustomApiConfigureArgs(CustomApiConfigureParams, CallOptions, total=False):
    pass


class McpServerConfigureArgs(McpServerConfigureParams, CallOptions, total=False):
    pass


class PipedreamConfigureArgs(PipedreamConfigureParams, CallOptions, total=False):
    pass


ItemT = TypeVar("ItemT", bound=Model)


class IntegrationFamily(Resource, Generic[ItemT]):
    """``list`` and ``disconnect``, shared by the four families.

    A family sets ``list_spec`` and ``disconnect_spec`` and defines its own
    ``configure``, whose arguments differ from family to family.
    """

    list_spec: Endpoint[list[ItemT]]
    disconnect_spec: Endpoint[None]

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[ItemT]:
        """The agent's integrations of this family."""
        return await self._core.call(self.list_spec, (agent_id,), options)

    async def disconnect(
        self, agent_id: str, integration_id: str, **options: Unpack[CallOptions]
    ) -> None:
        """Remove this integration from the agent."""
        return await self._core.call(self.disconnect_spec, (agent_id, integration_id), options)


class AsyncBimpeaiIntegrations(IntegrationFamily[BimpeaiIntegration]):
    """``client.agents.integrations.bimpeai``: built-in apps such as Paystack or Stripe."""

    list_spec = BIMPEAI_LIST
    disconnect_spec = BIMPEAI_DISCONNECT

    async def configure(self, agent_id: str, **args: Unpack[BimpeaiConfigureArgs]) -> OnboardingUrl:
        """Connect the built-in app ``type``; the user finishes at the onboarding URL."""
        return await self._core.call(BIMPEAI_CONFIGURE, (agent_id,), args)


class AsyncCustomApiTools(Resource):
    """``client.agents.integrations.custom_api.tools``: the endpoints a custom API offers."""

    async def list(
        self, agent_id: str, integration_id: str, **options: Unpack[CallOptions]
    ) -> list[IntegrationTool]:
        """The tools of one custom API integration."""
        return await self._core.call(CUSTOM_API_TOOLS_LIST, (agent_id, integration_id), options)

    async def add(
        self,
        agent_id: str,
        integration_id: str,
        body: CreateToolParams,
        **options: Unpack[CallOptions],
    ) -> IntegrationTool:
        """Describe one more endpoint as a tool (the body's ``timeout`` is the tool's)."""
        return await self._core.call(
            CUSTOM_API_TOOLS_ADD, (agent_id, integration_id), options, body
        )

    async def delete(
        self, agent_id: str, integration_id: str, tool_id: str, **options: Unpack[CallOptions]
    ) -> None:
        """Remove one tool from a custom API integration."""
        return await self._core.call(
            CUSTOM_API_TOOLS_DELETE, (agent_id, integration_id, tool_id), options
        )


class AsyncCustomApiIntegrations(IntegrationFamily[CustomApiIntegration]):
    """``client.agents.integrations.custom_api``: the team's own HTTP APIs."""

    list_spec = CUSTOM_API_LIST
    disconnect_spec = CUSTOM_API_DISCONNECT

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.tools = AsyncCustomApiTools(core)

    async def configure(
        self, agent_id: str, **args: Unpack[CustomApiConfigureArgs]
    ) -> CustomApiIntegration:
        """Connect a custom API (``name``, ``base_url``, authentication); add tools next."""
        return await self._core.call(CUSTOM_API_CONFIGURE, (agent_id,), args)


class AsyncMcpServerTools(Resource):
    """``client.agents.integrations.mcp_server.tools``: what ``discover`` found."""

    async def list(
        self, agent_id: str, integration_id: str, **options: Unpack[CallOptions]
    ) -> list[IntegrationTool]:
        """The tools discovered on one MCP server."""
        return await self._core.call(MCP_SERVER_TOOLS_LIST, (agent_id, integration_id), options)


class AsyncMcpServerIntegrations(IntegrationFamily[McpServerIntegration]):
    """``client.agents.integrations.mcp_server``: tools served by MCP servers."""

    list_spec = MCP_SERVER_LIST
    disconnect_spec = MCP_SERVER_DISCONNECT

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.tools = AsyncMcpServerTools(core)

    async def configure(
        self, agent_id: str, **args: Unpack[McpServerConfigureArgs]
    ) -> McpServerIntegration:
        """Connect the MCP server at ``server_url``; ``discover`` then fetches its tools."""
        return await self._core.call(MCP_SERVER_CONFIGURE, (agent_id,), args)

    async def discover(
        self, agent_id: str, integration_id: str, **options: Unpack[CallOptions]
    ) -> McpServerDiscoverResult:
        """Fetch the server's tools now, creating, updating and disabling tools to match."""
        return await self._core.call(MCP_SERVER_DISCOVER, (agent_id, integration_id), options)

    async def test(
        self, agent_id: str, integration_id: str, **options: Unpack[CallOptions]
    ) -> McpServerTestResult:
        """Check that the server answers, and count the tools it offers."""
        return await self._core.call(MCP_SERVER_TEST, (agent_id, integration_id), options)


class AsyncPipedreamIntegrations(IntegrationFamily[PipedreamIntegration]):
    """``client.agents.integrations.pipedream``: apps connected through Pipedream."""

    list_spec = PIPEDREAM_LIST
    disconnect_spec = PIPEDREAM_DISCONNECT

    async def configure(
        self, agent_id: str, **args: Unpack[PipedreamConfigureArgs]
    ) -> OnboardingUrl:
        """Connect the Pipedream app ``app_slug``; the user finishes at the onboarding URL."""
        return await self._core.call(PIPEDREAM_CONFIGURE, (agent_id,), args)


class AsyncIntegrations(Resource):
    """``client.agents.integrations``: every integration, and the four families."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.bimpeai = AsyncBimpeaiIntegrations(core)
        self.custom_api = AsyncCustomApiIntegrations(core)
        self.mcp_server = AsyncMcpServerIntegrations(core)
        self.pipedream = AsyncPipedreamIntegrations(core)

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[AgentIntegration]:
        """Every integration of the agent, with its settings and actions."""
        return await self._core.call(LIST, (agent_id,), options)
