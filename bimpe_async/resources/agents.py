"""``client.agents`` and what hangs off an agent: lists, actions, knowledge bases.

The integration families live in ``integrations.py``.
"""

from __future__ import annotations

from typing_extensions import Unpack

from .._core import Core
from .._endpoint import Endpoint, Fields, Tagged
from .._options import CallOptions
from ..models.agents import (
    ActionIdsParams,
    Agent,
    AgentAction,
    AgentChannel,
    AgentCreateResponse,
    AgentDetail,
    AgentLiveStatus,
    AgentTestCode,
    BulkActionUpdate,
    ConversationFlow,
    CreateAgentParams,
    CreateKnowledgeBaseParams,
    KnowledgeBaseItem,
    TextKnowledgeBaseParams,
    UpdateAgentParams,
    UpdateKnowledgeBaseParams,
    UpdateLiveStatusParams,
    UrlKnowledgeBaseParams,
)
from ..pagination import AsyncPage
from ._base import PAGE_QUERY, ListArgs, Resource
from .integrations import AsyncIntegrations

AGENT = "/agents/{agent_id}"
_AGENT_FIELDS = {"agent_workflow_id": "workflow_id"}

LIST = Endpoint[list[Agent]]("agents.list", "GET", "/agents", list[Agent], query=PAGE_QUERY)
CREATE = Endpoint[AgentCreateResponse](
    "agents.create",
    "POST",
    "/agents",
    AgentCreateResponse,
    body=Fields(CreateAgentParams, renames=_AGENT_FIELDS),
)
RETRIEVE = Endpoint[AgentDetail]("agents.retrieve", "GET", AGENT, AgentDetail)
UPDATE = Endpoint[Agent](
    "agents.update", "PATCH", AGENT, Agent, body=Fields(UpdateAgentParams, renames=_AGENT_FIELDS)
)
DELETE = Endpoint[None]("agents.delete", "DELETE", AGENT, None)
UPDATE_LIVE_STATUS = Endpoint[AgentLiveStatus](
    "agents.update_live_status",
    "PATCH",
    AGENT + "/live-status",
    AgentLiveStatus,
    body=Fields(UpdateLiveStatusParams),
)
GET_TEST_CODE = Endpoint[AgentTestCode](
    "agents.get_test_code", "GET", AGENT + "/deployment/agent-test-code", AgentTestCode
)

CHANNELS = Endpoint[list[AgentChannel]](
    "agents.channels.list", "GET", AGENT + "/channels", list[AgentChannel]
)
CONVERSATION_FLOWS = Endpoint[list[ConversationFlow]](
    "agents.conversation_flows.list", "GET", AGENT + "/conversation_flows", list[ConversationFlow]
)
ACTIONS = Endpoint[list[AgentAction]](
    "agents.actions.list", "GET", AGENT + "/actions", list[AgentAction]
)
ACTIONS_ENABLE = Endpoint[BulkActionUpdate](
    "agents.actions.enable",
    "POST",
    AGENT + "/actions/enable",
    BulkActionUpdate,
    body=Fields(ActionIdsParams),
)
ACTIONS_DISABLE = Endpoint[BulkActionUpdate](
    "agents.actions.disable",
    "POST",
    AGENT + "/actions/disable",
    BulkActionUpdate,
    body=Fields(ActionIdsParams),
)

KNOWLEDGE_BASES = AGENT + "/knowledge_bases"
KNOWLEDGE_BASE = KNOWLEDGE_BASES + "/{kb_id}"
KB_LIST = Endpoint[list[KnowledgeBaseItem]](
    "agents.knowledge_bases.list", "GET", KNOWLEDGE_BASES, list[KnowledgeBaseItem]
)
KB_CREATE = Endpoint[KnowledgeBaseItem](
    "agents.knowledge_bases.create",
    "POST",
    KNOWLEDGE_BASES,
    KnowledgeBaseItem,
    body=Tagged("type", {"text": TextKnowledgeBaseParams, "url": UrlKnowledgeBaseParams}),
)
KB_UPDATE = Endpoint[KnowledgeBaseItem](
    "agents.knowledge_bases.update",
    "PATCH",
    KNOWLEDGE_BASE,
    KnowledgeBaseItem,
    body=Fields(UpdateKnowledgeBaseParams),
)
KB_DELETE = Endpoint[None]("agents.knowledge_bases.delete", "DELETE", KNOWLEDGE_BASE, None)


class CreateAgentArgs(CreateAgentParams, CallOptions, total=False):
    pass


class UpdateAgentArgs(UpdateAgentParams, CallOptions, total=False):
    pass


class UpdateLiveStatusArgs(UpdateLiveStatusParams, CallOptions, total=False):
    pass


class ActionIdsArgs(ActionIdsParams, CallOptions, total=False):
    pass


class UpdateKnowledgeBaseArgs(UpdateKnowledgeBaseParams, CallOptions, total=False):
    pass


class AsyncChannels(Resource):
    """``client.agents.channels``."""

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[AgentChannel]:
        return await self._core.call(CHANNELS, (agent_id,), options)


class AsyncConversationFlows(Resource):
    """``client.agents.conversation_flows``: 0.1.0's read-only list of an agent's flows."""

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[ConversationFlow]:
        return await self._core.call(CONVERSATION_FLOWS, (agent_id,), options)


class AsyncActions(Resource):
    """``client.agents.actions``: what an agent may do through its integrations."""

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[AgentAction]:
        return await self._core.call(ACTIONS, (agent_id,), options)

    async def enable(self, agent_id: str, **args: Unpack[ActionIdsArgs]) -> BulkActionUpdate:
        """Turn on the actions in ``action_ids``."""
        return await self._core.call(ACTIONS_ENABLE, (agent_id,), args)

    async def disable(self, agent_id: str, **args: Unpack[ActionIdsArgs]) -> BulkActionUpdate:
        """Turn off the actions in ``action_ids``."""
        return await self._core.call(ACTIONS_DISABLE, (agent_id,), args)


class AsyncKnowledgeBases(Resource):
    """``client.agents.knowledge_bases``: the documents an agent answers from."""

    async def list(self, agent_id: str, **options: Unpack[CallOptions]) -> list[KnowledgeBaseItem]:
        return await self._core.call(KB_LIST, (agent_id,), options)

    async def create(
        self,
        agent_id: str,
        body: CreateKnowledgeBaseParams,
        **options: Unpack[CallOptions],
    ) -> KnowledgeBaseItem:
        """Add ``{"type": "text", "name", "content"}`` or ``{"type": "url", "name", "url"}``."""
        return await self._core.call(KB_CREATE, (agent_id,), options, body)

    async def update(
        self, agent_id: str, kb_id: str, **args: Unpack[UpdateKnowledgeBaseArgs]
    ) -> KnowledgeBaseItem:
        return await self._core.call(KB_UPDATE, (agent_id, kb_id), args)

    async def delete(self, agent_id: str, kb_id: str, **options: Unpack[CallOptions]) -> None:
        return await self._core.call(KB_DELETE, (agent_id, kb_id), options)


class AsyncAgents(Resource):
    """``client.agents``."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.integrations = AsyncIntegrations(core)
        self.channels = AsyncChannels(core)
        self.conversation_flows = AsyncConversationFlows(core)
        self.actions = AsyncActions(core)
        self.knowledge_bases = AsyncKnowledgeBases(core)

    async def list(self, **args: Unpack[ListArgs]) -> AsyncPage[Agent]:
        """A page of agents (``page``, ``limit``, ``search``, ``sort``)."""
        return await self._core.page(LIST, (), args)

    async def create(self, **args: Unpack[CreateAgentArgs]) -> AgentCreateResponse:
        """Create an agent from a workflow: ``workflow_id``, ``name`` and ``description``."""
        return await self._core.call(CREATE, (), args)

    async def retrieve(self, agent_id: str, **options: Unpack[CallOptions]) -> AgentDetail:
        """One agent with its knowledge bases, integrations and channels."""
        return await self._core.call(RETRIEVE, (agent_id,), options)

    async def update(self, agent_id: str, **args: Unpack[UpdateAgentArgs]) -> Agent:
        """Change the given fields of an agent; the others stay as they are."""
        return await self._core.call(UPDATE, (agent_id,), args)

    async def delete(self, agent_id: str, **options: Unpack[CallOptions]) -> None:
        return await self._core.call(DELETE, (agent_id,), options)

    async def update_live_status(
        self, agent_id: str, **args: Unpack[UpdateLiveStatusArgs]
    ) -> AgentLiveStatus:
        """Put an agent in ``development``, ``live`` or ``paused``."""
        return await self._core.call(UPDATE_LIVE_STATUS, (agent_id,), args)

    async def get_test_code(self, agent_id: str, **options: Unpack[CallOptions]) -> AgentTestCode:
        """The code that opens a test conversation, and the channels it works on."""
        return await self._core.call(GET_TEST_CODE, (agent_id,), options)
