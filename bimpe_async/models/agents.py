"""Agents and what hangs off them: integrations, channels, actions, knowledge bases.

Enumerations the server may extend (status, persona, types) are plain ``str`` so that a
new value never breaks decoding; the known values are listed in the docstrings and in
the ``Literal`` types of the request bodies.
"""

from typing import Literal

from msgspec import field
from msgspec.structs import force_setattr
from typing_extensions import Required, TypedDict

from .base import Model
from .workflows import RuleParam, Workflow


class Agent(Model, frozen=True):
    """An AI agent. ``status``: development, live or paused; ``persona``: professional,
    friendly or concise.

    ``agent_workflow_id`` is the 0.1.0 name of ``workflow_id`` and reads either;
    ``system_prompt`` is a 0.1.0 field the current API no longer sends (0.1.0's
    ``rules``, if a server still sends them, read as plain dicts).
    """

    id: str
    name: str
    created_at: str
    updated_at: str
    description: str | None = None
    workflow_id: str | None = None
    language: str | None = None
    persona: str | None = None
    timezone: str | None = None
    logo: str | None = None
    business_name: str | None = None
    business_address: str | None = None
    business_email: str | None = None
    business_description: str | None = None
    test_channel_code: str | None = None
    status: str | None = None
    status_reason: str | None = None
    escalation_email: str | None = None
    system_prompt: str | None = None

    @property
    def agent_workflow_id(self) -> str | None:
        """``workflow_id`` under its 0.1.0 name (or as an older server still sends it)."""
        if self.workflow_id is not None:
            return self.workflow_id
        legacy = self.model_extra.get("agent_workflow_id")
        return legacy if isinstance(legacy, str) else None


class AgentCreateResponse(Agent, frozen=True):
    """A new agent, with the workflow it was built from."""

    workflow: Workflow | None = None


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


class IntegrationSummary(Model, frozen=True):
    """An integration as an agent's detail lists it."""

    id: str
    type: str
    name: str | None = None
    status: str | None = None
    is_connected: bool = False


class AgentIntegration(IntegrationSummary, frozen=True):
    """An integration configured on an agent, with its settings and actions."""

    config_fields: list[IntegrationConfigField] = field(default_factory=list)
    actions: list[IntegrationAction] = field(default_factory=list)


class AgentChannel(Model, frozen=True):
    """A channel of an agent: whatsapp, instagram, messenger, webchat, voice, telephony."""

    id: str
    type: str
    name: str | None = None
    status: str | None = None
    is_connected: bool = False


class ConversationFlow(Model, frozen=True):
    """A conversation flow as 0.1.0's ``agents.conversation_flows.list`` gave it."""

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


class KnowledgeBaseSummary(Model, frozen=True):
    """A knowledge base of an agent: ``type`` is ``text`` or ``url``."""

    id: str
    type: str
    name: str
    description: str | None = None


class KnowledgeBaseItem(KnowledgeBaseSummary, frozen=True):
    """A knowledge base with its content (``text``) or address (``url``)."""

    url: str | None = None
    content: str | None = None


class AgentDetail(Agent, frozen=True):
    """An agent with everything attached to it.

    API versions before 0.2 named two lists in the singular (``integration``,
    ``channel``); either spelling decodes into the plural field.
    """

    knowledge_bases: list[KnowledgeBaseItem] = field(default_factory=list)
    integrations: list[AgentIntegration] = field(default_factory=list)
    channels: list[AgentChannel] = field(default_factory=list)
    conversation_flows: list[ConversationFlow] = field(default_factory=list)
    actions: list[AgentAction] = field(default_factory=list)
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


class AgentLiveStatus(Model, frozen=True):
    """An agent's status after ``update_live_status``."""

    status: str
    status_reason: str | None = None


class BulkActionUpdate(Model, frozen=True):
    """How many actions ``actions.enable`` / ``disable`` changed."""

    updated_count: int


class WhatsappDeployment(Model, frozen=True):
    is_enabled: bool = False
    start_message: str | None = None
    phone_number: str | None = None
    url: str | None = None


class InstagramDeployment(Model, frozen=True):
    is_enabled: bool = False
    start_message: str | None = None
    username: str | None = None
    url: str | None = None


class MessengerDeployment(Model, frozen=True):
    is_enabled: bool = False
    start_message: str | None = None
    page: str | None = None
    url: str | None = None


class TelephonyDeployment(Model, frozen=True):
    is_enabled: bool = False


class DeploymentChannels(Model, frozen=True):
    """Where an agent's test code works, channel by channel."""

    whatsapp: WhatsappDeployment | None = None
    instagram: InstagramDeployment | None = None
    messenger: MessengerDeployment | None = None
    telephony: TelephonyDeployment | None = None


class AgentTestCode(Model, frozen=True):
    """The code that starts a test conversation with an agent, and where it works."""

    code: str
    channels: DeploymentChannels | None = None


Persona = Literal["professional", "friendly", "concise"]
AgentStatus = Literal["development", "live", "paused"]


class _AgentFields(TypedDict, total=False):
    """Fields of an agent body. ``agent_workflow_id`` is accepted as 0.1.0's name of
    ``workflow_id`` (and sent as ``workflow_id``); ``system_prompt``, ``rules`` and
    ``status`` are 0.1.0 fields, passed through as given."""

    workflow_id: str
    description: str
    language: str | None
    timezone: str | None
    logo: str | None
    business_name: str | None
    business_address: str | None
    business_email: str | None
    business_description: str | None
    escalation_email: str | None
    persona: Persona | None
    agent_workflow_id: str
    system_prompt: str | None
    rules: list[RuleParam]
    status: AgentStatus


class CreateAgentParams(_AgentFields, total=False):
    """A new agent. The API requires ``workflow_id`` (or 0.1.0's ``agent_workflow_id``),
    ``name`` and ``description``; only ``name`` is checked here, so 0.1.0 code reaches
    the server and gets its answer."""

    name: Required[str]


class UpdateAgentParams(_AgentFields, total=False):
    """Fields an agent update may set (all optional)."""

    name: str


class UpdateLiveStatusParams(TypedDict, total=False):
    status: Required[AgentStatus]
    status_reason: str | None


class ActionIdsParams(TypedDict, total=False):
    action_ids: Required[list[str]]


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
    content: str | None
    url: str | None
