"""Agents and what hangs off them: rules, integrations, channels, flows, actions, KBs.

Enumerations the server may extend (status, persona, types) are plain ``str`` so that a
new value never breaks decoding; the known values are listed in the docstrings.
"""

from typing import Literal

from msgspec import field
from msgspec.structs import force_setattr
from typing_extensions import Required, TypedDict

from .base import Model


class Rule(Model, frozen=True):
    """A behaviour rule: when ``trigger`` (and ``condition``) holds, answer ``response``."""

    id: str
    name: str | None = None
    trigger: str | None = None
    condition: str | None = None
    response: str | None = None
    action: str | None = None
    enabled: bool | None = None


class Agent(Model, frozen=True):
    """An AI agent. ``status`` is ``development``, ``live`` or ``paused``."""

    id: str
    name: str
    created_at: str
    updated_at: str
    description: str | None = None
    system_prompt: str | None = None
    language: str | None = None
    persona: str | None = None
    agent_workflow_id: str | None = None
    rules: list[Rule] | None = None
    timezone: str | None = None
    logo: str | None = None
    business_name: str | None = None
    business_address: str | None = None
    business_email: str | None = None
    business_description: str | None = None
    test_channel_code: str | None = None
    status: str = "development"
    status_reason: str | None = None
    escalation_email: str | None = None


class IntegrationConfigField(Model, frozen=True):
    key: str
    label: str
    type: str
    required: bool = False


class IntegrationAction(Model, frozen=True):
    action_name: str
    name: str
    description: str | None = None
    category: str | None = None
    is_enabled: bool = False
    require_human_approval: bool = False


class AgentIntegration(Model, frozen=True):
    """An integration configured on an agent, with its settings and actions."""

    id: str
    type: str
    name: str | None = None
    status: str | None = None
    is_connected: bool = False
    config_fields: list[IntegrationConfigField] = field(default_factory=list)
    actions: list[IntegrationAction] = field(default_factory=list)


class AgentChannel(Model, frozen=True):
    """A messaging channel (whatsapp, webchat, ...) attached to an agent."""

    id: str
    type: str
    name: str | None = None
    status: str | None = None
    is_connected: bool = False


class ConversationFlow(Model, frozen=True):
    name: str
    description: str | None = None
    category: str | None = None
    priority: int | None = None
    is_active: bool = False


class AgentAction(Model, frozen=True):
    """An action an agent may take through one of its integrations."""

    id: str
    name: str
    action_name: str
    integration_id: str | None = None
    integration_type: str | None = None
    integration_name: str | None = None
    description: str | None = None
    is_enabled: bool = False


class KnowledgeBaseItem(Model, frozen=True):
    """A knowledge base of an agent: ``type`` is ``text`` (with content) or ``url``."""

    id: str
    type: str
    name: str
    description: str | None = None
    url: str | None = None
    content: str | None = None


class KnowledgeBaseParamsBase(TypedDict, total=False):
    description: str | None


class TextKnowledgeBaseParams(KnowledgeBaseParamsBase, total=False):
    """A knowledge base whose content is given as text."""

    type: Required[Literal["text"]]
    name: Required[str]
    content: Required[str]


class UrlKnowledgeBaseParams(KnowledgeBaseParamsBase, total=False):
    """A knowledge base fetched from a URL."""

    type: Required[Literal["url"]]
    name: Required[str]
    url: Required[str]


CreateKnowledgeBaseParams = TextKnowledgeBaseParams | UrlKnowledgeBaseParams


class UpdateKnowledgeBaseParams(TypedDict, total=False):
    name: str
    description: str | None
    content: str
    url: str


class AgentDetail(Agent, frozen=True):
    """An agent with everything attached to it.

    API versions before 0.2 named three lists in the singular (``integration``,
    ``channel``, ``conversation_flow``); either spelling decodes into the plural field.
    """

    integrations: list[AgentIntegration] = field(default_factory=list)
    channels: list[AgentChannel] = field(default_factory=list)
    conversation_flows: list[ConversationFlow] = field(default_factory=list)
    actions: list[AgentAction] = field(default_factory=list)
    knowledge_bases: list[KnowledgeBaseItem] = field(default_factory=list)
    integration: list[AgentIntegration] | None = None
    channel: list[AgentChannel] | None = None
    conversation_flow: list[ConversationFlow] | None = None

    def __post_init__(self) -> None:
        if self.integration and not self.integrations:
            force_setattr(self, "integrations", self.integration)
        if self.channel and not self.channels:
            force_setattr(self, "channels", self.channel)
        if self.conversation_flow and not self.conversation_flows:
            force_setattr(self, "conversation_flows", self.conversation_flow)


class RuleParam(TypedDict, total=False):
    """A rule as sent in a create/update body."""

    id: str
    name: Required[str]
    trigger: Required[str]
    response: Required[str]
    condition: str | None
    action: str | None
    enabled: bool


AgentStatus = Literal["development", "live", "paused"]


class _AgentFields(TypedDict, total=False):
    description: str | None
    system_prompt: str | None
    language: str | None
    persona: str | None
    agent_workflow_id: str | None
    rules: list[RuleParam]
    timezone: str | None
    logo: str | None
    business_name: str | None
    business_address: str | None
    business_email: str | None
    business_description: str | None
    escalation_email: str | None
    status: AgentStatus


class CreateAgentParams(_AgentFields, total=False):
    """Fields of a new agent: only ``name`` is required."""

    name: Required[str]


class UpdateAgentParams(_AgentFields, total=False):
    """Fields an agent update may set (all optional)."""

    name: str


__all__ = [
    "Agent",
    "AgentAction",
    "AgentChannel",
    "AgentDetail",
    "AgentIntegration",
    "AgentStatus",
    "ConversationFlow",
    "CreateAgentParams",
    "CreateKnowledgeBaseParams",
    "IntegrationAction",
    "IntegrationConfigField",
    "KnowledgeBaseItem",
    "Rule",
    "RuleParam",
    "TextKnowledgeBaseParams",
    "UpdateAgentParams",
    "UpdateKnowledgeBaseParams",
    "UrlKnowledgeBaseParams",
]
